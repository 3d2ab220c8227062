"""Recovery codes: the second factor of last resort, ten of them, each usable once.

Why these choices (SEC-51): a recovery code is only ever compared, so only its digest is
stored. Each is 80 random bits, beyond brute force even from a dump, so a fast SHA-256 (with
the user id mixed in) is enough; using one is one ``$pull`` whose filter names the digest,
so a code works once even under a race.
"""

import base64
import hashlib
import re
import secrets

from accounts import documents
from accounts.models import User

COUNT = 10
CODE_BYTES = 10  # 80 bits: 16 base32 characters, shown as four groups of four
CODE_RE = re.compile(r"^[a-z2-7]{16}\Z")


def new_codes() -> list[str]:
    """Return ``COUNT`` fresh codes, each like ``abcd-efgh-ijkl-mnop``."""
    codes = []
    for _ in range(COUNT):
        raw = base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode("ascii").lower()
        codes.append("-".join(raw[i : i + 4] for i in range(0, 16, 4)))
    return codes


def digest(user: User, code: str) -> str | None:
    """Return the stored form of ``code`` for ``user``; ``None`` if it cannot be a code."""
    normalised = "".join(code.split()).replace("-", "").lower()
    if not CODE_RE.match(normalised):
        return None
    return hashlib.sha256(f"{user.pk}:{normalised}".encode("ascii")).hexdigest()


def use(user: User, code: str) -> bool:
    """Remove ``code``'s digest from ``user``'s codes; tell whether this call removed it."""
    wanted = digest(user, code)
    if wanted is None:
        return False
    where = {"mfa_enabled": True, "mfa_recovery_codes": wanted}
    if not documents.update_where(User, user.pk, where, {"$pull": {"mfa_recovery_codes": wanted}}):
        return False
    user.mfa_recovery_codes = [d for d in user.mfa_recovery_codes or [] if d != wanted]
    return True
