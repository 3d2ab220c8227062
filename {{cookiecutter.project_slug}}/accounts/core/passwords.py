"""Password rules (NIST SP 800-63B): long, any characters, no composition rules, not common.

Django's own common-password list is mostly shorter than our 15-character
minimum, so on its own it would never fire. ``CommonPasswordValidator`` here
also catches the ways people stretch a common password to length: repeats
(``passwordpassword``), padding with digits or symbols (``password123456789``),
runs and keyboard walks (``123456789012345``, ``qwertyuiopasdfgh``), and a
bundled list of common long passwords and phrases.
"""

import re
from functools import lru_cache
from pathlib import Path

from django.contrib.auth import password_validation
from django.contrib.auth.password_validation import CommonPasswordValidator as DjangoCommon
from django.core.exceptions import ValidationError

from accounts import conf
from accounts.errors import InvalidInput

LONG_LIST = Path(__file__).resolve().parent / "data" / "common-long-passwords.txt"
LEET = str.maketrans("0134578@$!", "oieastbasi")
WALKS = (
    "abcdefghijklmnopqrstuvwxyz",
    "0123456789",
    "qwertyuiopasdfghjklzxcvbnm",
    "qwertzuiopasdfghjklyxcvbnm",
    "azertyuiopqsdfghjklmwxcvbn",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
    "zaq1xsw2cde3vfr4bgt5nhy6mju7",
)


def check_length_cap(password: str, field: str = "password") -> None:
    """Refuse an over-long password before any hashing (SEC-03): hashing is the costly part."""
    if len(password) > conf.get("AUTH_PASSWORD_MAX_LENGTH"):
        message = f"Password must be at most {conf.get('AUTH_PASSWORD_MAX_LENGTH')} characters."
        raise InvalidInput(message, code="password_too_long", errors={field: [message]})


def length_limits() -> tuple[int | None, int]:
    """Return a new password's (minimum, maximum) length under the settings in force.

    The minimum is the largest ``MinimumLengthValidator`` configured (``None`` without one),
    so the pages and the API description state the rule ``validate_new_password`` applies.
    """
    minimums = [
        validator.min_length
        for validator in password_validation.get_default_password_validators()
        if isinstance(validator, password_validation.MinimumLengthValidator)
    ]
    return (max(minimums) if minimums else None), conf.get("AUTH_PASSWORD_MAX_LENGTH")


def validate_new_password(password: str, user=None, field: str = "password") -> None:
    """Run the cap and every configured validator; raise one ``InvalidInput`` listing all.

    The answer keeps the one-line ``error`` and adds ``errors: {field: [...]}``, one
    message per failed rule, as djoser and allauth clients expect to show them.
    """
    check_length_cap(password, field)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        messages = list(exc.messages)
        error = InvalidInput(" ".join(messages), code="weak_password", errors={field: messages})
        raise error from None


@lru_cache(maxsize=1)
def _django_common() -> frozenset:
    return frozenset(DjangoCommon().passwords)


@lru_cache(maxsize=1)
def _long_common() -> frozenset:
    lines = (line.strip().lower() for line in LONG_LIST.read_text(encoding="utf-8").splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))


MAX_VARIANTS = 64  # the peeling below makes a handful; the bound keeps any input cheap


def _peelings(value: str):
    """Yield ``value`` with one layer taken off: separators, leet, padding, or a repetition."""
    yield re.sub(r"[\W_]", "", value)  # every space and symbol, wherever it is
    yield value.translate(LEET)
    yield re.sub(r"^[\d\W_]+|[\d\W_]+$", "", value)
    unit = re.fullmatch(r"(.+?)\1+", value)
    if unit:
        yield unit.group(1)


def _core_variants(lowered: str) -> set[str]:
    """Return the password with padding, repetition and leet peeled off, in every order.

    Each layer comes off the results of the others until nothing new appears:
    ``passwordpassword123`` is padded (``passwordpassword``) and that repeated (``password``),
    ``dr4gon2024dr4gon2024`` repeated, then leet, then padded. One pass of each, in a fixed
    order, missed the combinations.
    """
    variants, pending = {lowered}, [lowered]
    while pending and len(variants) < MAX_VARIANTS:
        for peeled in _peelings(pending.pop()):
            if peeled and peeled not in variants:
                variants.add(peeled)
                pending.append(peeled)
    return variants


def _is_walk(lowered: str) -> bool:
    """Tell whether the password is one or two characters repeated, or a run along a key row."""
    if len(set(lowered)) <= 2:
        return True
    for row in WALKS:
        for line in (row * 3, row[::-1] * 3):
            if lowered in line:
                return True
    return False


class CommonPasswordValidator:
    """Refuse common passwords, including common ones stretched to pass the length rule (SEC-05)."""

    def validate(self, password, user=None):
        lowered = password.lower()
        known = _django_common() | _long_common()
        if _is_walk(lowered) or any(v in known for v in _core_variants(lowered)):
            raise ValidationError("This password is too common.", code="password_too_common")

    def get_help_text(self):
        return "Your password can't be a commonly used password, however it is padded or repeated."


class ContextPasswordValidator:
    """Refuse passwords built around the username, the email address or the site name (SEC-05).

    What is left once those words are removed must still be a real password (at
    least half the minimum length), so ``alice-my-password`` fails for alice.
    """

    def __init__(self, min_remaining: int = 8):
        self.min_remaining = min_remaining

    def _context_words(self, user) -> list[str]:
        words = [conf.get("SITE_NAME")]
        if user is not None:
            words.append(getattr(user, "username", "") or "")
            email = getattr(user, "email", "") or ""
            words.extend([email, email.partition("@")[0]])
        return [w.lower() for w in words if w and len(w) >= 3]

    def validate(self, password, user=None):
        lowered = password.lower()
        rest = lowered
        for word in sorted(self._context_words(user), key=len, reverse=True):
            for form in {word, re.sub(r"[\W_]", "", word)}:
                rest = rest.replace(form, "") if len(form) >= 3 else rest
        if rest != lowered and len(re.sub(r"[\W_]", "", rest)) < self.min_remaining:
            raise ValidationError(
                "This password is too close to your username, email address or the site name.",
                code="password_too_similar",
            )

    def get_help_text(self):
        return "Your password can't be built around your username, email address or the site name."
