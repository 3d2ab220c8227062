"""Encryption at rest for secrets the app must read back (TOTP secrets, queued mail).

A digest is enough for what is only ever compared (tokens, recovery codes); a
TOTP secret or a queued link has to be read back, so it is sealed instead:
AES-256-GCM (``cryptography``), a fresh 96-bit nonce per message, and the
record's purpose as associated data, so a sealed value cannot be moved into
another field and opened there. The key comes from the environment, never from
the database, so a dump alone opens nothing (SEC-51, SEC-54).
"""

import base64
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = "v1"
NONCE_BYTES = 12


class SealError(ValueError):
    """A sealed value that is malformed, or was sealed under another key or purpose."""


def derive_key(secret: str, purpose: str) -> bytes:
    """Derive a 256-bit key for ``purpose`` from a configured secret (HKDF-SHA256)."""
    if not secret:
        raise SealError("no key configured")
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode())
    return hkdf.derive(secret.encode("utf-8"))


def seal(plaintext: bytes, key: bytes, *, context: str) -> str:
    """Encrypt ``plaintext`` under ``key``, bound to ``context``; return printable text."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, plaintext, context.encode())
    return f"{VERSION}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def unseal(value: str, key: bytes, *, context: str) -> bytes:
    """Decrypt what ``seal`` returned, or raise ``SealError``."""
    version, _, body = str(value).partition(".")
    if version != VERSION:
        raise SealError("unknown format")
    try:
        raw = base64.urlsafe_b64decode(body.encode())
        return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode())
    except (ValueError, InvalidTag):
        raise SealError("cannot open: wrong key, purpose or data") from None
