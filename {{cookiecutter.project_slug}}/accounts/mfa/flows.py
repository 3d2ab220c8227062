"""Two-factor authentication: set-up, the login's second step, turning it off, new recovery codes.

Plain functions that the views (``accounts.mfa.views``), ``accounts.auth.flows.login`` and
the admin call; each failure is an ``AuthError`` subclass. How codes are made, kept and
checked is ``accounts.mfa.totp`` and ``accounts.mfa.recovery_codes``.

A login with MFA on takes two requests. The right password gives an
``mfa_token`` (an ``MfaChallenge``) instead of a session; ``complete_login``
trades it and a code for the session. The token is 256 bits stored as a digest,
lives ``MFA_TOKEN_TTL`` seconds, dies after ``MAX_WRONG_CODES`` wrong codes, is
used once, and is bound to the password, so a reset kills it (SEC-50). Each try
on it is counted before its code is checked, and codes count against the account
with failed logins (scope ``login_account``), also before each check
(``accounts.security.throttling.attempt``).
Every change to the account's MFA is mailed to it (SEC-52).
"""

import hmac
from datetime import timedelta

from pymongo import ReturnDocument

from accounts import clock, documents, store
from accounts.core import digests
from accounts.core.audit import security_event
from accounts.core.client import client_bucket
from accounts.errors import (
    InvalidCode,
    InvalidMfaToken,
    MfaAlreadyEnabled,
    MfaNotEnabled,
    MfaRequired,
    MfaSetupNotStarted,
)
from accounts.mail.emails import (
    MfaDisabledByAdminEmail,
    MfaDisabledEmail,
    MfaEnabledEmail,
    RecoveryCodesRenewedEmail,
    RecoveryCodeUsedEmail,
)
from accounts.mfa import recovery_codes, totp
from accounts.models import MfaChallenge, User
from accounts.security import throttling
from accounts.sessions import tokens as sessions

MFA_TOKEN_TTL = 300  # seconds: five minutes to open the app and type a code
MAX_WRONG_CODES = 5  # per mfa_token; the account throttle bounds guesses across tokens
CODE_MAX = 64  # a TOTP code is 6 digits and a recovery code 19 characters: room for spaces


# --- Login ---------------------------------------------------------------------------
def challenge(user: User) -> MfaRequired:
    """Return the ``MfaRequired`` that answers ``user``'s right password: a fresh ``mfa_token``."""
    totp.require_key()
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


def complete_login(mfa_token: str, code: str, recovery_code: str) -> digests.IssuedToken:
    """Trade a live ``mfa_token`` and a TOTP or recovery code for a login token."""
    totp.require_key()
    counted = throttling.attempt(("login_ip", client_bucket()))  # counted first: SEC-27
    pending = _find_challenge(mfa_token)
    tries = _count_try(pending)  # before the code is looked at: racing guesses stop at the limit
    try:
        verify_second_factor(pending.user, code, recovery_code)
    except InvalidCode:
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


def verify_second_factor(user: User, code: str, recovery_code: str, *, notify=True) -> str:
    """Accept ``code`` (TOTP) or else ``recovery_code``, once; return which, else ``InvalidCode``.

    Counted with failed logins before the code is checked, and given back when it
    is right, so racing guesses never get past the limit; a used recovery code is
    mailed to the user.
    """
    counted = throttling.attempt(("login_account", throttling.account_key(user)))
    if code:
        secret = totp.open_secret(user, user.mfa_secret)
        step = totp.matching_step(secret, code, user.mfa_last_step or 0)
        method, ok = "totp", step is not None and totp.claim_step(user, step)
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


# --- Set-up, off, renew ------------------------------------------------------------
def begin_setup(user: User) -> dict:
    """Make a new secret pending for ``user`` (replacing any); nothing changes until confirmed."""
    totp.require_key()
    if user.mfa_enabled:
        raise MfaAlreadyEnabled()
    secret = totp.new_secret()
    sealed = totp.seal_secret(user, secret)
    where = {"mfa_enabled": {"$ne": True}}
    if not _update(user, where, {"$set": {"mfa_pending_secret": sealed}}):
        raise MfaAlreadyEnabled()
    user.mfa_pending_secret = sealed
    url = totp.otpauth_url(secret, user.username)
    security_event("mfa_setup_started", user=user.pk)
    return {"secret": secret, "otpauth_url": url, "qr_svg": totp.qr_svg(url)}


def confirm_setup(user: User, code: str) -> list[str]:
    """Turn MFA on with a right code for the pending secret; return the recovery codes, once."""
    totp.require_key()
    if user.mfa_enabled:
        raise MfaAlreadyEnabled()
    pending = user.mfa_pending_secret
    if not pending:
        raise MfaSetupNotStarted()
    counted = throttling.attempt(("login_account", throttling.account_key(user)))
    step = totp.matching_step(totp.open_secret(user, pending), code, user.mfa_last_step or 0)
    codes = recovery_codes.new_codes()
    changes = {
        "mfa_enabled": True,
        "mfa_secret": pending,
        "mfa_pending_secret": "",
        "mfa_last_step": step,
        "mfa_recovery_codes": [recovery_codes.digest(user, c) for c in codes],
    }
    # The pending secret and the step in the filter: a racing confirm or a restarted set-up wins.
    where = {
        "mfa_enabled": {"$ne": True},
        "mfa_pending_secret": pending,
        "mfa_last_step": {"$not": {"$gte": step}},
    }
    if step is None or not _update(user, where, {"$set": changes}):
        security_event("mfa_code_failed", user=user.pk, method="setup")
        raise InvalidCode()
    counted.forgive()
    for field, value in changes.items():
        setattr(user, field, value)
    security_event("mfa_enabled", user=user.pk)
    MfaEnabledEmail(user).send()
    return codes


def disable(user: User, code: str, recovery_code: str) -> None:
    """Turn MFA off with a code (or a recovery code), on a re-authenticated session (SEC-52, 55)."""
    totp.require_key()
    if not user.mfa_enabled:
        raise MfaNotEnabled()
    verify_second_factor(user, code, recovery_code, notify=False)
    if not _turn_off(user):
        raise MfaNotEnabled()
    security_event("mfa_disabled", user=user.pk)
    MfaDisabledEmail(user).send()


def renew_recovery_codes(user: User) -> list[str]:
    """Replace all of ``user``'s recovery codes (on a re-authenticated session, SEC-55)."""
    totp.require_key()
    if not user.mfa_enabled:
        raise MfaNotEnabled()
    codes = recovery_codes.new_codes()
    stored = [recovery_codes.digest(user, c) for c in codes]
    if not _update(user, {"mfa_enabled": True}, {"$set": {"mfa_recovery_codes": stored}}):
        raise MfaNotEnabled()
    user.mfa_recovery_codes = stored
    security_event("mfa_recovery_codes_renewed", user=user.pk)
    RecoveryCodesRenewedEmail(user).send()
    return codes


def admin_disable(user: User, admin: User) -> bool:
    """Turn ``user``'s MFA off for a staff member (a locked-out user); tell whether it was on.

    Needs no key: an administrator can always let a user back in. Logged and mailed.
    """
    if not _turn_off(user):
        return False
    security_event("mfa_disabled_by_admin", user=user.pk, admin=admin.pk)
    MfaDisabledByAdminEmail(user).send()
    return True


def _turn_off(user: User) -> bool:
    """Clear every trace of MFA from ``user`` if it is on, and end its pending logins."""
    changes = {
        "mfa_enabled": False,
        "mfa_secret": "",
        "mfa_pending_secret": "",
        "mfa_last_step": 0,
        "mfa_recovery_codes": [],
    }
    if not _update(user, {"mfa_enabled": True}, {"$set": changes}):
        return False
    for field, value in changes.items():
        setattr(user, field, value)
    MfaChallenge.objects.filter(user=user).delete()
    return True


def _update(user: User, where: dict, update: dict) -> bool:
    """Apply ``update`` to ``user``'s document if it matches ``where`` (the database decides)."""
    return documents.update_where(User, user.pk, where, update)
