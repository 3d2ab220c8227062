"""Prove it is still the account's owner, with the password or a second factor (SEC-55)."""

from accounts.core.payload import object_field, string_field
from accounts.errors import InvalidInput, MfaNotEnabled, NoPasskey
from accounts.mfa import flows as mfa
from accounts.mfa.passkeys import flows as passkeys
from accounts.security import credentials
from accounts.sessions import reauth
from accounts.sessions.decorators import authenticate_request

PROOFS = ("current_password", "code", "recovery_code", "passkey")


def passkey_options(request) -> dict:
    """Return request options for the passkeys of the request's account (its next proof)."""
    return passkeys.assertion_options(authenticate_request(request), "reauth")


def reauthenticate(request, data: dict):
    """Check the one proof ``data`` carries and stamp the request's session; return until when.

    Each proof counts as a login try against the account before it is checked, and a
    right one gives it back (``accounts.security``), so the step is no password oracle.
    """
    user = authenticate_request(request)
    sent = [name for name in PROOFS if data.get(name) not in (None, "")]
    if len(sent) != 1:
        message = "Send one of 'current_password', 'code', 'recovery_code' or 'passkey'."
        raise InvalidInput(message, code="missing_field")
    if sent == ["current_password"]:
        password = string_field(data, "current_password", max_length=10**6)
        credentials.check_current_password(user, password, event="reauthentication_failed")
        return reauth.stamp(request, "password")
    if sent == ["passkey"]:
        answer = object_field(data, "passkey")
        if not user.passkeys:
            raise NoPasskey()
        return reauth.stamp(
            request, mfa.verify_second_factor(user, "", "", answer, purpose="reauth")
        )
    if not user.mfa_enabled or (sent == ["code"] and not user.totp_enabled):
        raise MfaNotEnabled()
    mfa.require_key_for(user)
    code = string_field(data, "code", max_length=mfa.CODE_MAX, required=False)
    recovery_code = string_field(data, "recovery_code", max_length=mfa.CODE_MAX, required=False)
    method = mfa.verify_second_factor(user, code, recovery_code, purpose="reauth")
    return reauth.stamp(request, method)
