"""Challenges: random, one-time, five minutes, bound to a purpose and an account (SEC-61).

Each set of options carries 32 fresh random bytes. The browser signs them inside
``clientDataJSON`` and sends them back, so only their SHA-256 is stored (``PasskeyChallenge``):
the answer's own challenge finds the row by its digest. Taking a challenge is one
``delete_one`` whose filter also names the purpose, the account and the expiry, so a
challenge answers once, for what it was made for, and never late, whatever races.

Purposes: ``register`` (a new passkey), ``login`` (a discoverable login: no account yet),
``mfa`` (the second step of a password login), ``reauth`` (``POST reauthenticate``) and
``admin`` (the admin's second step).
"""

import hashlib
import secrets
from datetime import timedelta

from accounts import clock, documents
from accounts.models import PasskeyChallenge

TTL = 300  # seconds: five minutes to touch the authenticator
CHALLENGE_BYTES = 32
PURPOSES = ("register", "login", "mfa", "reauth", "admin")


def _digest(challenge: bytes) -> str:
    return hashlib.sha256(challenge).hexdigest()


def issue(purpose: str, user=None) -> bytes:
    """Return a new challenge for ``purpose`` (and ``user``, unless a discoverable login)."""
    assert purpose in PURPOSES, purpose
    challenge = secrets.token_bytes(CHALLENGE_BYTES)
    now = clock.now()
    PasskeyChallenge.objects.create(
        digest=_digest(challenge),
        purpose=purpose,
        user=user,
        created_at=now,
        expires_at=now + timedelta(seconds=TTL),
    )
    return challenge


def take(challenge: bytes, purpose: str, user=None) -> bool:
    """Use up ``challenge`` if it is live and was made for ``purpose`` and ``user``."""
    condition = {
        "digest": _digest(challenge),
        "purpose": purpose,
        "user_id": None if user is None else user.pk,
        "expires_at": {"$gt": clock.now()},
    }
    return documents.take(PasskeyChallenge, condition)
