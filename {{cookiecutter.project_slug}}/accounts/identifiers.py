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


def clean_username(raw: str, field: str = "username") -> str:
    """Return the username as stored (NFKC), or raise ``InvalidInput``."""
    username = unicodedata.normalize("NFKC", raw)
    if not 1 <= len(username) <= USERNAME_MAX:
        _invalid(field, f"Username must be 1 to {USERNAME_MAX} characters.", "invalid_username")
    if not USERNAME_RE.match(username):
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
