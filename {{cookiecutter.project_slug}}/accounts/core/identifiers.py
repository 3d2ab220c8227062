"""Usernames and email addresses: validation and one canonical key each (SEC-29).

Two spellings that look alike to a person must not become two accounts.

- Email addresses: ``canonical_key`` (NFKC, then casefold), so ``Alice@x`` and
  ``ALICE@x`` are one address. Addresses are delivery routes, not names shown to
  other people, so they are not folded further.
- Usernames have two keys, each under a unique index. ``canonical_key`` is the
  login identity (case and width folded, so ``ALICE`` logs in as ``alice``).
  ``username_skeleton`` is how the name looks: its Unicode TR #39 "skeleton",
  case-folded, so ``alice``, ``аlice`` (Cyrillic а), ``alicе`` (Cyrillic е),
  ``a1ice``, ``aIice`` and ``ａｌｉｃｅ`` cannot be two accounts. Invisible
  characters (default-ignorable code points and the Hangul fillers, which
  Unicode counts as letters) are refused outright.

Why the skeleton and not django-registration's mixed-script test
(``confusable_homoglyphs.is_dangerous``): the mixed-script test lets through a
name written wholly in one script that looks like another (Cyrillic ``асе`` for
Latin ``ace``) and digit-for-letter swaps (``a1ice``), while the skeleton
catches both and refuses nothing that looks unlike every existing name. It
costs a few false clashes (``rn`` and ``m``, ``0`` and ``o`` are one name).

Why a second key rather than folding the login key: the skeleton is not
case-insensitive (it maps ``I`` to ``l`` but leaves ``i``), so folding it into the
login key would stop ``Ivan`` logging in as ``ivan``, or merge ``ali`` and ``all``.

The skeleton table is bundled (``data/confusables.txt``, Unicode 13.0) rather
than taken from a package, because keys are stored under a unique index: the
table must only change together with a migration that recomputes them.
"""

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email as django_validate_email

from accounts.errors import InvalidInput

USERNAME_MAX = 150
EMAIL_MAX = 254
# Letters and digits of any script, and . _ - (checked after NFKC).
USERNAME_RE = re.compile(r"^[\w.-]+\Z")
CONFUSABLES = Path(__file__).resolve().parent / "data" / "confusables.txt"

# Default_Ignorable_Code_Point (Unicode DerivedCoreProperties): characters that draw
# nothing. Hangul fillers are letters (Lo) to Python's \w, so the allowlist alone lets
# ``alice`` + U+3164 through; this list refuses them.
DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
# Blank-looking characters that are not default-ignorable but draw as nothing too.
BLANKS = frozenset({0x2800, 0x3000})  # braille pattern blank, ideographic space


def is_invisible(char: str) -> bool:
    """Tell whether ``char`` draws nothing: default-ignorable, a filler or a blank."""
    point = ord(char)
    if point in BLANKS:
        return True
    return any(low <= point <= high for low, high in DEFAULT_IGNORABLE)


@lru_cache(maxsize=1)
def _prototypes() -> dict[int, str]:
    table = {}
    for line in CONFUSABLES.read_text(encoding="ascii").splitlines():
        if line and not line.startswith("#"):
            source, *prototype = line.split()
            table[int(source, 16)] = "".join(chr(int(p, 16)) for p in prototype)
    return table


def skeleton(value: str) -> str:
    """Return the UTS #39 skeleton: NFD, drop default-ignorables, map to prototypes, NFD."""
    table = _prototypes()
    decomposed = unicodedata.normalize("NFD", value)
    mapped = "".join(table.get(ord(c), c) for c in decomposed if not is_invisible(c))
    return unicodedata.normalize("NFD", mapped)


def canonical_key(value: str) -> str:
    """Return the comparison key of a name or address: NFKC, then casefold, then NFKC again."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).casefold())


def username_skeleton(value: str) -> str:
    """Return the key of how a username looks: the skeleton of the name as shown, case-folded.

    The skeleton is taken before case folding because names are shown as typed:
    ``aIice`` (capital I) reads as ``alice`` although it folds to ``aiice``.
    Folding repeats until stable (``0`` becomes ``O``, then ``o``), so the key of
    a key is itself.
    """
    key = unicodedata.normalize("NFKC", value)
    for _ in range(4):
        folded = unicodedata.normalize("NFKC", skeleton(key).casefold())
        if folded == key:
            break
        key = folded
    return key


def normalize_username(raw: str) -> str:
    """Return ``raw`` in the form usernames are stored and measured in (NFKC)."""
    return unicodedata.normalize("NFKC", raw)


def clean_username(raw: str, field: str = "username") -> str:
    """Return the username as stored (NFKC), or raise ``InvalidInput``."""
    username = normalize_username(raw)
    if not 1 <= len(username) <= USERNAME_MAX:
        _invalid(field, f"Username must be 1 to {USERNAME_MAX} characters.", "invalid_username")
    if not USERNAME_RE.match(username) or any(is_invisible(c) for c in username):
        _invalid(field, "Username may contain only letters, digits and . _ -", "invalid_username")
    return username


def _invalid(field: str, message: str, code: str):
    raise InvalidInput(message, code=code, errors={field: [message]})


def clean_email(raw: str, field: str = "email") -> str:
    """Return the address as stored (NFKC, domain lower-cased), or raise ``InvalidInput``."""
    email = unicodedata.normalize("NFKC", raw.strip())
    if len(email) > EMAIL_MAX:
        _invalid(field, "Email address is too long.", "invalid_email")
    try:
        django_validate_email(email)
    except ValidationError:
        _invalid(field, "Enter a valid email address.", "invalid_email")
    local, _, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"
