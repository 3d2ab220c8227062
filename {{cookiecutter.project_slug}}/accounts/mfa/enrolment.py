"""Turning second factors on and off: TOTP's set-up and turn-off, new recovery codes, the
admin's turn-off for a locked-out user. Passkeys are added and removed by
``accounts.mfa.passkeys``.

MFA is on while the account has a factor (``User.mfa_enabled``): the recovery codes come with
the first factor and go with the last. Which applies is decided by the filter of each update,
never by a read before it, so a factor added or removed meanwhile cannot leave MFA on with no
factor, or off with one. Every change is mailed to the account (SEC-52); the operations that
need a re-authenticated session (SEC-55) get it checked by their views.
"""

from accounts import documents
from accounts.core.audit import security_event
from accounts.errors import InvalidCode, MfaAlreadyEnabled, MfaNotEnabled, MfaSetupNotStarted
from accounts.mail.emails import (
    MfaDisabledByAdminEmail,
    MfaDisabledEmail,
    MfaEnabledEmail,
    RecoveryCodesRenewedEmail,
)
from accounts.mfa import recovery_codes, totp
from accounts.mfa.flows import require_key_for, verify_second_factor
from accounts.models import MfaChallenge, User
from accounts.security import throttling

TOTP_OFF = {"mfa_secret": {"$in": ["", None]}}  # the secret is set exactly while TOTP is on


def begin_setup(user: User) -> dict:
    """Make a new secret pending for ``user`` (replacing any); nothing changes until confirmed."""
    totp.require_key()
    if user.totp_enabled:
        raise MfaAlreadyEnabled()
    secret = totp.new_secret()
    sealed = totp.seal_secret(user, secret)
    if not _update(user, TOTP_OFF, {"$set": {"mfa_pending_secret": sealed}}):
        raise MfaAlreadyEnabled()
    user.mfa_pending_secret = sealed
    url = totp.otpauth_url(secret, user.username)
    security_event("mfa_setup_started", user=user.pk)
    return {"secret": secret, "otpauth_url": url, "qr_svg": totp.qr_svg(url)}


def confirm_setup(user: User, code: str) -> list[str]:
    """Turn TOTP (and so MFA) on with a right code for the pending secret; return the recovery
    codes, once. They are a fresh set: any the account had from its passkeys stop working."""
    totp.require_key()
    if user.totp_enabled:
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
        **TOTP_OFF,
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
    """Turn TOTP off with a code (or a recovery code), on a re-authenticated session (SEC-52,
    55). MFA goes off with it unless the account has passkeys, which keep it on."""
    totp.require_key()
    if not user.totp_enabled:
        raise MfaNotEnabled()
    verify_second_factor(user, code, recovery_code, notify=False)
    outcome = _turn_off_totp(user)
    if outcome is None:
        raise MfaNotEnabled()
    security_event("mfa_disabled" if outcome == "mfa_off" else "totp_disabled", user=user.pk)
    MfaDisabledEmail(user, passkeys_remain=outcome == "totp_off").send()


def renew_recovery_codes(user: User) -> list[str]:
    """Replace all of ``user``'s recovery codes (on a re-authenticated session, SEC-55)."""
    require_key_for(user)
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

    Every second factor goes, passkeys included. Needs no key: an administrator can always
    let a user back in. Logged and mailed.
    """
    if not _turn_off(user):
        return False
    security_event("mfa_disabled_by_admin", user=user.pk, admin=admin.pk)
    MfaDisabledByAdminEmail(user).send()
    return True


TOTP_CLEARED = {"mfa_secret": "", "mfa_pending_secret": "", "mfa_last_step": 0}
ALL_CLEARED = {**TOTP_CLEARED, "mfa_enabled": False, "mfa_recovery_codes": [], "passkeys": []}


def _turn_off_totp(user: User) -> str | None:
    """Clear ``user``'s TOTP; say ``"totp_off"`` (its passkeys keep MFA on), ``"mfa_off"``
    (it was the last factor: the recovery codes go too) or ``None`` (TOTP was not on).

    Which one is decided by the filter of each update, so a passkey added or removed
    meanwhile cannot leave MFA on with no factor, or off with one.
    """
    on = {"mfa_secret": {"$nin": ["", None]}}
    for _ in range(3):
        if _update(user, {**on, "passkeys.0": {"$exists": True}}, {"$set": TOTP_CLEARED}):
            for field, value in TOTP_CLEARED.items():
                setattr(user, field, value)
            return "totp_off"
        if _update(user, {**on, "passkeys.0": {"$exists": False}}, {"$set": ALL_CLEARED}):
            _cleared(user)
            return "mfa_off"
    return None


def _turn_off(user: User) -> bool:
    """Clear every trace of MFA from ``user`` (passkeys too) if it is on; end pending logins."""
    if not _update(user, {"mfa_enabled": True}, {"$set": ALL_CLEARED}):
        return False
    _cleared(user)
    return True


def _cleared(user: User) -> None:
    for field, value in ALL_CLEARED.items():
        if field != "passkeys":
            setattr(user, field, value)
    user.__dict__["passkeys"] = []
    MfaChallenge.objects.filter(user=user).delete()


def _update(user: User, where: dict, update: dict) -> bool:
    """Apply ``update`` to ``user``'s document if it matches ``where`` (the database decides)."""
    return documents.update_where(User, user.pk, where, update)
