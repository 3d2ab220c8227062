"""Usernames and email addresses: validation and one canonical key each (SEC-29).

Two spellings that look alike to a person must not become two accounts:
``Alice``, ``alice`` and fullwidth ``ａｌｉｃｅ`` share one key (NFKC folds
compatibility forms, casefold folds case), and the keys sit under unique
indexes, so the database itself refuses the second one.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email as django_validate_email

from accounts.errors import InvalidInput

USERNAME_MAX = 150
EMAIL_MAX = 254
# Letters and digits of any script, and . _ - (checked after NFKC).
USERNAME_RE = re.compile(r"^[\w.-]+\Z")


def canonical_key(value: str) -> str:
    """Return the comparison key: NFKC-normalised, then case-folded, then NFKC again."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).casefold())


def clean_username(raw: str) -> str:
    """Return the username as stored (NFKC), or raise ``InvalidInput``."""
    username = unicodedata.normalize("NFKC", raw)
    if not 1 <= len(username) <= USERNAME_MAX:
        raise InvalidInput(
            f"Username must be 1 to {USERNAME_MAX} characters.", code="invalid_username"
        )
    if not USERNAME_RE.match(username):
        raise InvalidInput(
            "Username may contain only letters, digits and . _ -", code="invalid_username"
        )
    return username


def clean_email(raw: str) -> str:
    """Return the address as stored (NFKC, domain lower-cased), or raise ``InvalidInput``."""
    email = unicodedata.normalize("NFKC", raw.strip())
    if len(email) > EMAIL_MAX:
        raise InvalidInput("Email address is too long.", code="invalid_email")
    try:
        django_validate_email(email)
    except ValidationError:
        raise InvalidInput("Enter a valid email address.", code="invalid_email") from None
    local, _, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"
