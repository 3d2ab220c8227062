"""A new account's username, made from what the provider says: readable, allowed and free.

Tried in order: the provider's suggestion (``preferred_username``, ``nickname``, GitHub's
login), the address's local part, the name. Each is cut down to what usernames allow and then
passes registration's own rules (``accounts.core.identifiers.clean_username``: NFKC; letters,
digits and ``._-``; nothing invisible). One that another account has, in another spelling or
a look-alike (``username_key``, ``username_skeleton``: SEC-29), is skipped; then the first
gets a random suffix (``ada-4821``), a few times, and last comes ``user-<random>``. The unique
indexes still decide a race (``accounts.social.identities.create_account``).
"""

import re
import secrets
from collections.abc import Iterator

from accounts.core.identifiers import (
    USERNAME_RE,
    clean_username,
    is_invisible,
    normalize_username,
)
from accounts.errors import InvalidInput
from accounts.models import User

BASE_MAX = 30  # leaves room for a suffix, and a name people can read
SUFFIX_TRIES = 5


def _base(raw: str) -> str:
    """Return ``raw`` as a username, keeping only the characters one may have; or ``""``."""
    text = re.sub(r"\s+", "_", normalize_username(raw).strip())
    text = "".join(c for c in text if USERNAME_RE.match(c) and not is_invisible(c))
    text = text.strip("._-")[:BASE_MAX].strip("._-")
    try:
        return clean_username(text) if text else ""
    except InvalidInput:
        return ""


def candidates(profile) -> Iterator[str]:
    """Yield the names to try for a new account of ``profile``, best first (a finite list)."""
    bases = []
    for raw in (profile.username, profile.email.partition("@")[0], profile.name):
        base = _base(raw)
        if base and base not in bases:
            bases.append(base)
    yield from bases
    first = bases[0] if bases else "user"
    for _ in range(SUFFIX_TRIES):
        yield f"{first}-{secrets.randbelow(9000) + 1000}"
    yield f"user-{secrets.token_hex(6)}"


def taken(username: str) -> bool:
    """Tell whether another account has ``username``, in any spelling or a look-alike."""
    return User.objects.username_taken(username)
