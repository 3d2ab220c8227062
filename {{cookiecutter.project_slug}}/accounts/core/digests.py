"""Random tokens and their digests: 256 bits from ``secrets``, stored only as SHA-256.

Every secret the app hands out (login tokens, email links, ``mfa_token``) is made here.
Why digests and not signed tokens: a stored digest can be revoked (logout, password reset)
and consumed exactly once with one conditional update, which a stateless signature cannot;
and a database dump yields nothing usable, because SHA-256 of a 256-bit random value cannot
be reversed. The random value needs no salt or slow hash: it is not guessable the way a
password is. Look-ups go by digest under a unique index, so no secret is compared in Python
at all except through ``hmac.compare_digest`` (SEC-07..09).
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.utils.crypto import salted_hmac

TOKEN_BYTES = 32  # 256 bits
MAX_TOKEN_LENGTH = 128  # longer input cannot be one of ours; refused before hashing


@dataclass(frozen=True)
class IssuedToken:
    """A token in plaintext, shown to its owner exactly once."""

    token: str
    expires_at: datetime


def new_secret() -> str:
    """Return 256 bits from ``secrets``, URL-safe."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def digest(token: str) -> str:
    """Return the hex SHA-256 of ``token``: the only form ever stored."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def password_fingerprint(user) -> str:
    """Return a keyed fingerprint of ``user``'s password hash: it changes with the password.

    What a reset link and an ``mfa_token`` are bound to, so a new password kills both.
    """
    return salted_hmac("accounts.reset-link", user.password, algorithm="sha256").hexdigest()
