"""Passkeys: register one, list, rename and remove them, log in with one, prove a second factor.

Every ceremony is two requests: options with a fresh challenge (``challenges``), then the
browser's answer, whose challenge is taken (once) before anything else is looked at, then
verified by the library (``relying_party``), then stored or used (``credentials``). Any
failure is ``InvalidCredential`` (400) and stores nothing (SEC-61).

- The first passkey of an account without TOTP turns MFA on and hands out its recovery
  codes, as a TOTP set-up does; removing the last second factor turns it off.
- A passwordless login (``login``) asks for user verification and needs no other factor:
  the passkey is something held and, verified by the authenticator, something known or
  been. A passkey as a second factor (``verify_second_factor``) only has to be held.
- A sign count that did not grow is refused and logged at WARNING (a cloned authenticator,
  or a replayed answer); 0 from an authenticator that keeps no count is allowed.

Registering, removing and the first use of a passkey are mailed to the account.
"""

import logging

from pymongo.errors import DuplicateKeyError

from accounts.core.audit import security_event
from accounts.core.client import client_bucket
from accounts.core.digests import IssuedToken
from accounts.errors import InvalidCredential, NoPasskey, NotFound, TooManyPasskeys
from accounts.mail.emails import PasskeyAddedEmail, PasskeyFirstUsedEmail, PasskeyRemovedEmail
from accounts.mfa import recovery_codes
from accounts.mfa.passkeys import challenges, credentials, relying_party
from accounts.models import MfaChallenge, User
from accounts.security import throttling
from accounts.sessions import tokens as sessions

STALE_CHALLENGE = "The passkey answered a challenge that is unknown, used or expired: try again."
ID_MAX = 32  # a passkey's API id is 16 characters


# --- Registration (a re-authenticated session: the views check it) ------------------------
def registration_options(user: User) -> dict:
    """Return the options that make a new passkey for ``user``."""
    if len(user.passkeys) >= credentials.MAX_PASSKEYS:
        raise TooManyPasskeys()
    challenge = challenges.issue("register", user)
    return relying_party.creation_options(user, challenge, user.passkeys)


def register(user: User, credential, name: str) -> tuple[dict, list[str] | None]:
    """Verify and store a new passkey; return it and, if it turned MFA on, the recovery codes."""
    answer = relying_party.parse(credential, "create")
    if not challenges.take(answer.challenge, "register", user):
        raise InvalidCredential(STALE_CHALLENGE)
    verified = relying_party.verify_attestation(answer, answer.challenge)
    element = credentials.new_element(verified, answer, name)
    codes = None if user.mfa_enabled else recovery_codes.new_codes()
    try:
        added = credentials.add(user, element, _digests(user, codes))
        if not added and codes is not None:  # MFA went on meanwhile: a later factor, then
            codes = None
            added = credentials.add(user, element, None)
    except DuplicateKeyError:  # the unique index: another account holds this credential id
        security_event("passkey_refused", user=user.pk, reason="credential_id_taken")
        raise InvalidCredential("This passkey is already registered.") from None
    if not added:
        if len(user.passkeys) >= credentials.MAX_PASSKEYS:
            raise TooManyPasskeys()
        raise InvalidCredential("This passkey is already registered.")
    fmt = getattr(verified.fmt, "value", verified.fmt)  # the attestation format, as sent
    security_event("passkey_added", user=user.pk, passkey=element["id"], fmt=fmt)
    PasskeyAddedEmail(user, name=element["name"], mfa_turned_on=codes is not None).send()
    return credentials.as_json(element), codes


def _digests(user: User, codes: list[str] | None) -> list[str] | None:
    return None if codes is None else [recovery_codes.digest(user, code) for code in codes]


def list_passkeys(user: User) -> list[dict]:
    """Return ``user``'s passkeys as the API shows them, oldest first."""
    return [credentials.as_json(e) for e in sorted(user.passkeys, key=lambda e: e["created_at"])]


def own(user: User, passkey_id: str) -> dict:
    """Return ``user``'s passkey ``passkey_id``; another account's answers as an unknown one."""
    element = credentials.find(user, id=passkey_id) if len(passkey_id) <= ID_MAX else None
    if element is None:
        raise NotFound("No such passkey.")
    return element


def rename(user: User, passkey_id: str, name: str) -> dict:
    """Rename one of ``user``'s passkeys; return it."""
    element = own(user, passkey_id)
    if not credentials.rename(user, passkey_id, name):
        raise NotFound("No such passkey.")
    return credentials.as_json({**element, "name": name})  # as written: no read back


def remove(user: User, passkey_id: str) -> None:
    """Remove one of ``user``'s passkeys (on a re-authenticated session); mailed."""
    element = own(user, passkey_id)
    outcome = credentials.remove(user, passkey_id)
    if outcome is None:
        raise NotFound("No such passkey.")
    if outcome == "mfa_off":  # its last second factor: pending second steps end with it
        MfaChallenge.objects.filter(user=user).delete()
    security_event("passkey_removed", user=user.pk, passkey=passkey_id, mfa_off=outcome)
    PasskeyRemovedEmail(user, name=element["name"], mfa_turned_off=outcome == "mfa_off").send()


# --- Passwordless login -------------------------------------------------------------------
def login_options() -> dict:
    """Return the options of a passwordless login: any discoverable passkey, user verified."""
    throttling.hit("passkey_ip", client_bucket())
    return relying_party.request_options(challenges.issue("login"), [], verify_user=True)


def login(credential) -> IssuedToken:
    """Log in with a passkey alone: one indexed read finds the account, one update counts.

    Counted as a login try per client IP before anything is checked, given back when it
    verifies (SEC-27). The session is the one a password login gives.
    """
    counted = throttling.attempt(("login_ip", client_bucket()))
    answer = relying_party.parse(credential, "get")
    if not challenges.take(answer.challenge, "login"):
        raise InvalidCredential(STALE_CHALLENGE)
    user = credentials.owner_of(answer.credential_id)
    if user is None or not user.is_active:
        security_event("passkey_refused", reason="unknown_credential")
        raise InvalidCredential("This passkey is not registered here.")
    if answer.user_handle != relying_party.user_handle(user):
        security_event("passkey_refused", user=user.pk, reason="user_handle")
        raise InvalidCredential("This passkey does not belong to the account it names.")
    _use(user, credentials.find(user, credential_id=answer.credential_id), answer, True)
    counted.forgive()
    issued = sessions.issue(user)
    security_event("login_ok", user=user.pk, method="passkey")
    return issued


# --- A second factor: the login's second step, re-authentication, the admin ---------------
def assertion_options(user: User, purpose: str) -> dict:
    """Return options asking for one of ``user``'s passkeys, for ``purpose`` (``mfa``,
    ``reauth`` or ``admin``): what the admin's second step shows its page too."""
    if not user.passkeys:
        raise NoPasskey()
    challenge = challenges.issue(purpose, user)
    return relying_party.request_options(challenge, user.passkeys, verify_user=False)


def verify_second_factor(user: User, credential, purpose: str) -> dict:
    """Verify a passkey answer as ``user``'s second factor for ``purpose``; return the passkey.

    The answer must be to a challenge made for this account and this purpose
    (``assertion_options``), by one of this account's own passkeys. Not throttled here:
    ``accounts.mfa.flows.verify_second_factor`` counts it with the other factors, and is
    what the login's second step, re-authentication and the admin call.
    """
    answer = relying_party.parse(credential, "get")
    if not challenges.take(answer.challenge, purpose, user):
        raise InvalidCredential(STALE_CHALLENGE)
    element = credentials.find(user, credential_id=answer.credential_id)
    if element is None:  # unknown, or another account's passkey
        security_event("passkey_refused", user=user.pk, reason="not_this_account")
        raise InvalidCredential("This passkey is not one of this account's.")
    _use(user, element, answer, False)
    return element


def _use(user: User, element: dict, answer, verify_user: bool) -> None:
    """Verify ``answer`` with ``element``'s key, then record the use over its sign count."""
    verified = relying_party.verify_assertion(
        answer, answer.challenge, element["public_key"], verify_user=verify_user
    )
    count, stored = verified.new_sign_count, element.get("sign_count") or 0
    went_back = (count or stored) and count <= stored
    if went_back or not credentials.record_use(user, element, count):
        security_event(
            "passkey_sign_count_regressed",
            level=logging.WARNING,
            user=user.pk,
            passkey=element["id"],
            stored=stored,
            received=count,
        )
        raise InvalidCredential("This passkey's signature counter went backwards: refused.")
    security_event("passkey_used", user=user.pk, passkey=element["id"])
    if element.get("last_used_at") is None:
        PasskeyFirstUsedEmail(user, name=element["name"]).send()
