"""One-time codes mailed to an account: short, so one-time, short-lived and tried three times.

A code is 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L, U): 30^8, about
39 bits, typed from a phone without confusion. Short, unlike a link token, so what makes it
safe is what bounds the guesses (SEC-63):

- it lives ``CODE_TTL`` (10 minutes) and works once;
- it dies after ``MAX_TRIES`` (3) wrong tries, each counted before the code is compared;
- asking for codes and trying them are throttled (``accounts.codes.flows``).

Where: in the user's own document, ``users.email_codes.<purpose>`` (``login``), one live code
per purpose, a new one replacing the old. Each holds::

    digest      keyed HMAC-SHA256 (SECRET_KEY) of the account, the purpose, the address and
                the code: a database dump alone cannot brute-force 39 bits back from it, and a
                code sent before the address changed stops matching
    expires_at  checked by the query that counts a try
    failures    tries so far, counted by that same query

What bounds it: one sub-document per purpose, ``$unset`` when used or dead.
"""

import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.utils.crypto import salted_hmac

from accounts import clock, documents
from accounts.models import User

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 8
CODE_TTL = 600  # seconds: ten minutes to open the mail and type the code
MAX_TRIES = 3
LOGIN = "login"


@dataclass(frozen=True)
class IssuedCode:
    """A code in plaintext, for the one email that carries it."""

    code: str
    expires_at: object

    @property
    def shown(self) -> str:
        """The code as the email shows it: two groups of four (``ABCD-EFGH``)."""
        return f"{self.code[:4]}-{self.code[4:]}"


def normalise(typed: str) -> str | None:
    """Return the code ``typed`` means (spaces, dashes and case ignored), ``None`` if none."""
    code = "".join(typed.split()).replace("-", "").upper()
    if len(code) != LENGTH or any(character not in ALPHABET for character in code):
        return None
    return code


def code_digest(pk, purpose: str, email_key: str, code: str) -> str:
    """Return the stored form of ``code``: keyed, and bound to the account and its address."""
    value = "\x00".join([str(pk), purpose, email_key, code])
    return salted_hmac("accounts.email-code", value, algorithm="sha256").hexdigest()


def issue(user: User, purpose: str) -> IssuedCode | None:
    """Make ``user`` a new code of ``purpose``, replacing any; ``None`` if the address moved.

    Written only while the account still has the address it was looked up by and is
    active: the code goes to that address.
    """
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    expires_at = clock.now() + timedelta(seconds=CODE_TTL)
    stored = {
        "digest": code_digest(user.pk, purpose, user.email_key, code),
        "expires_at": expires_at,
        "failures": 0,
    }
    where = {"email_key": user.email_key, "is_active": True}
    if not documents.set_email_code(User, user.pk, where, purpose, stored):
        return None
    return IssuedCode(code, expires_at)


def try_code(email_key: str, purpose: str) -> tuple[User, dict] | None:
    """Count a try on the live code of ``purpose`` of the account with ``email_key``.

    Returns the account (its primary key and address only: enough to check the code) and its
    stored code once the try is counted, or ``None`` when no active account has that address
    and a live code with tries left: one query either way, by the address's unique index.
    """
    where = {"email_key": email_key, "is_active": True}
    found = documents.try_email_code(User, where, purpose, clock.now(), MAX_TRIES)
    if found is None:
        return None
    pk, stored = found
    return User(pk=pk, email_key=email_key), stored


def matches(user: User, purpose: str, stored: dict, code: str) -> bool:
    """Tell whether ``code`` is ``stored``, ``user``'s code of ``purpose`` (constant time)."""
    wanted = code_digest(user.pk, purpose, user.email_key, code)
    return hmac.compare_digest(stored.get("digest", ""), wanted)


def use(user: User, purpose: str, stored: dict) -> User | None:
    """Remove the code ``stored`` and return its account, read afresh; ``None`` if it was gone.

    Of racing requests that present the same right code, exactly one gets the account.
    """
    if not documents.drop_email_code(User, user.pk, purpose, stored["digest"]):
        return None
    found = documents.find_user(User, user.pk)
    return found[0] if found is not None else None


def kill(user: User, purpose: str) -> None:
    """Remove ``user``'s code of ``purpose`` (its mail was never delivered)."""
    documents.drop_email_code(User, user.pk, purpose)
