"""Two-factor authentication at login: the ``mfa_token``, the second step, the factor check.

Plain functions that the views (``accounts.mfa.views``), ``accounts.auth.flows.login``,
re-authentication and the admin call; each failure is an ``AuthError`` subclass. Turning
factors on and off is ``accounts.mfa.enrolment``. How codes are made, kept and checked is
``accounts.mfa.totp`` and ``accounts.mfa.recovery_codes``; passkeys, the other second factor,
are ``accounts.mfa.passkeys``.

MFA is on while the account has a second factor: TOTP, passkeys or both
(``User.mfa_enabled``). Only TOTP needs ``AUTH_MFA_KEY``; an account with passkeys alone
logs in, re-authenticates and renews its codes without it.

A login with MFA on takes two requests. The right password gives an
``mfa_token`` (an ``MfaChallenge``) instead of a session; ``complete_login``
trades it and a code (or a passkey's answer) for the session. The token is 256 bits
stored as a digest, lives ``MFA_TOKEN_TTL`` seconds, dies after ``MAX_WRONG_CODES`` wrong
codes, is used once, and is bound to the password, so a reset kills it (SEC-50). Each try
on it is counted before its code is checked, and codes count against the account
with failed logins (scope ``login_account``), also before each check
(``accounts.security.throttling.attempt``).
"""

import hmac
from datetime import timedelta

from pymongo import ReturnDocument

from accounts import clock, documents, store
from accounts.core import digests
from accounts.core.audit import security_event
from accounts.core.client import client_bucket
from accounts.errors import InvalidCode, InvalidCredential, InvalidMfaToken, MfaRequired
from accounts.mail.emails import RecoveryCodeUsedEmail
from accounts.mfa import recovery_codes, totp
from accounts.mfa.passkeys import flows as passkeys
from accounts.models import MfaChallenge, User
from accounts.security import throttling
from accounts.sessions import tokens as sessions

MFA_TOKEN_TTL = 300  # seconds: five minutes to open the app and type a code
MAX_WRONG_CODES = 5  # per mfa_token; the account throttle bounds guesses across tokens
CODE_MAX = 64  # a TOTP code is 6 digits and a recovery code 19 characters: room for spaces


def require_key_for(user: User) -> None:
    """Raise ``MfaUnavailable`` (503) if ``user`` has TOTP and the server has no key.

    Without the key no TOTP code can be checked, so such an account's MFA steps answer 503
    rather than half-working; an account whose factors are passkeys needs no key.
    """
    if user.totp_enabled:
        totp.require_key()


# --- Login ---------------------------------------------------------------------------
def finish_login(user: User, method: str = "", *, ask_second_factor: bool = True):
    """Finish a login whose first factor was right: return a new session, or raise
    ``MfaRequired`` (an ``mfa_token``) for an account with a second factor.

    ``method`` names the first factor in the ``login_ok`` event (the password's has none);
    ``ask_second_factor=False`` is a first factor that stands for both.
    """
    if ask_second_factor and user.has_second_factor:
        raise challenge(user)  # a session only after the second factor
    issued = sessions.issue(user)
    security_event("login_ok", user=user.pk, **({"method": method} if method else {}))
    return issued


def challenge(user: User) -> MfaRequired:
    """Return the ``MfaRequired`` that answers ``user``'s right password: a fresh ``mfa_token``."""
    require_key_for(user)
    token = digests.new_secret()
    now = clock.now()
    expires_at = now + timedelta(seconds=MFA_TOKEN_TTL)
    MfaChallenge.objects.create(
        digest=digests.digest(token),
        user=user,
        binding=digests.password_fingerprint(user),
        created_at=now,
        expires_at=expires_at,
    )
    security_event("login_mfa_required", user=user.pk)
    return MfaRequired(token, expires_at)


def passkey_options(mfa_token: str) -> dict:
    """Return the request options for the passkeys of the account a live ``mfa_token`` names."""
    throttling.hit("passkey_ip", client_bucket())
    pending = _find_challenge(mfa_token)
    return passkeys.assertion_options(pending.user, "mfa")


def complete_login(
    mfa_token: str, code: str, recovery_code: str, passkey: dict | None = None
) -> digests.IssuedToken:
    """Trade a live ``mfa_token`` and a TOTP or recovery code, or a passkey's answer, for a
    login token."""
    if code:
        totp.require_key()
    counted = throttling.attempt(("login_ip", client_bucket()))  # counted first: SEC-27
    pending = _find_challenge(mfa_token)
    tries = _count_try(pending)  # before the code is looked at: racing guesses stop at the limit
    try:
        verify_second_factor(pending.user, code, recovery_code, passkey)
    except (InvalidCode, InvalidCredential):
        if tries >= MAX_WRONG_CODES:
            MfaChallenge.objects.filter(pk=pending.pk).delete()
            security_event("mfa_token_exhausted", user=pending.user_id)
        raise
    counted.forgive()
    if not _consume(pending):
        raise InvalidMfaToken()  # a racing request with another good code got there first
    # The same issuing function as a login without MFA.
    issued = sessions.issue(pending.user)
    security_event("login_ok", user=pending.user.pk, mfa=True)
    return issued


def _find_challenge(mfa_token: str) -> MfaChallenge:
    """Return the live challenge ``mfa_token`` names, or raise ``InvalidMfaToken``."""
    if not mfa_token or len(mfa_token) > digests.MAX_TOKEN_LENGTH:
        raise InvalidMfaToken()
    wanted = digests.digest(mfa_token)
    found = documents.find_with_user(MfaChallenge, User, {"digest": wanted})  # no $lookup
    if found is None or not hmac.compare_digest(found.digest, wanted):
        raise InvalidMfaToken()
    user = found.user
    if (
        found.used_at is not None
        or found.failures >= MAX_WRONG_CODES
        or found.expires_at <= clock.now()
        or not user.is_active
        or not user.mfa_enabled
        or not hmac.compare_digest(found.binding, digests.password_fingerprint(user))
    ):
        raise InvalidMfaToken()
    return found


def _count_try(pending: MfaChallenge) -> int:
    """Count one try on ``pending`` before its code is checked; return the count (SEC-50).

    One conditional ``$inc``: a try is let through only while fewer than
    ``MAX_WRONG_CODES`` went before it, so however many requests race, at most that many
    codes are ever checked against one ``mfa_token``.
    """
    counted = store.collection(MfaChallenge).find_one_and_update(
        {"digest": pending.digest, "failures": {"$lt": MAX_WRONG_CODES}},
        {"$inc": {"failures": 1}},
        return_document=ReturnDocument.AFTER,
    )
    if counted is None:
        raise InvalidMfaToken()
    return counted["failures"]


def _consume(pending: MfaChallenge) -> bool:
    """Mark ``pending`` used; of racing requests exactly one gets ``True``."""
    now = clock.now()
    claimed = MfaChallenge.objects.filter(
        pk=pending.pk, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    return claimed == 1


def verify_second_factor(
    user: User,
    code: str,
    recovery_code: str,
    passkey: dict | None = None,
    *,
    purpose: str = "mfa",
    notify=True,
) -> str:
    """Accept ``code`` (TOTP), a ``passkey``'s answer or else ``recovery_code``, once; return
    which (``totp``, ``passkey``, ``recovery_code``), else raise ``InvalidCode`` (or, for a
    passkey, ``InvalidCredential``).

    Counted with failed logins before the code is checked, and given back when it
    is right, so racing guesses never get past the limit; a used recovery code is
    mailed to the user. A passkey's answer must be to options made for ``user`` and
    ``purpose`` (``mfa`` for the login's second step, ``reauth``, ``admin``): the admin's
    second step calls this with ``passkey=`` and ``purpose="admin"``.
    """
    counted = throttling.attempt(("login_account", throttling.account_key(user)))
    if passkey is not None:
        try:
            passkeys.verify_second_factor(user, passkey, purpose)
        except InvalidCredential:
            security_event("mfa_code_failed", user=user.pk, method="passkey")
            raise
        counted.forgive()
        return "passkey"
    if code:
        ok = False
        if user.totp_enabled:  # a code for an account without TOTP is simply wrong
            secret = totp.open_secret(user, user.mfa_secret)
            step = totp.matching_step(secret, code, user.mfa_last_step or 0)
            ok = step is not None and totp.claim_step(user, step)
        method = "totp"
    else:
        method, ok = "recovery_code", recovery_codes.use(user, recovery_code)
    if not ok:
        security_event("mfa_code_failed", user=user.pk, method=method)
        raise InvalidCode()
    counted.forgive()
    if method == "recovery_code":
        remaining = len(user.mfa_recovery_codes or [])
        security_event("mfa_recovery_code_used", user=user.pk, remaining=remaining)
        if notify:
            RecoveryCodeUsedEmail(user, remaining=remaining).send()
    return method
