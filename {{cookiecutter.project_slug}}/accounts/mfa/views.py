"""HTTP views of two-factor authentication: parse and type-check, call ``mfa.flows`` (the
login's second step) or ``mfa.enrolment`` (turning TOTP on and off, new codes), answer.

Turning MFA on or off and renewing recovery codes need a re-authenticated session, or the
right ``current_password`` in the body (``accounts.sessions.reauth``, SEC-55).

``mfa/totp``: POST starts a set-up, PUT confirms it, DELETE turns MFA off;
``mfa/recovery-codes``: POST replaces the codes; ``login/mfa``: the login's second step, with
a code or a passkey (whose options ``login/mfa/passkey`` gives). The passkeys' own endpoints
are ``accounts.mfa.passkeys.views``.
"""

from django.http import HttpResponse, JsonResponse

from accounts.core.http import api_view
from accounts.core.payload import body_json, object_field, read_json, string_field
from accounts.errors import InvalidInput
from accounts.mfa import enrolment
from accounts.mfa import flows as mfa
from accounts.sessions import reauth
from accounts.sessions.decorators import authenticated
from accounts.sessions.http import session_response


def second_factor(data: dict, *, passkey: bool = False) -> tuple:
    """Return ``(code, recovery_code[, passkey])`` from the body: exactly one of them, each of
    its type (two strings; a passkey's answer is a JSON object)."""
    code = string_field(data, "code", max_length=mfa.CODE_MAX, required=False)
    recovery_code = string_field(data, "recovery_code", max_length=mfa.CODE_MAX, required=False)
    answer = object_field(data, "passkey", required=False) if passkey else None
    if [bool(code), bool(recovery_code), answer is not None].count(True) != 1:
        names = "'code', 'recovery_code' or 'passkey'" if passkey else "'code' or 'recovery_code'"
        raise InvalidInput(f"Send one of {names}.", code="missing_field")
    return (code, recovery_code, answer) if passkey else (code, recovery_code)


@api_view("POST", "PUT", "DELETE")
@authenticated
def totp(request):
    if request.method == "POST":
        data = body_json(request)  # an empty body is fine; a malformed one is still a 400
        return JsonResponse(enrolment.begin_setup(reauth.require(request, data)))
    data = read_json(request)
    user = reauth.require(request, data)
    if request.method == "PUT":
        code = string_field(data, "code", max_length=mfa.CODE_MAX)
        return JsonResponse({"recovery_codes": enrolment.confirm_setup(user, code)})
    enrolment.disable(user, *second_factor(data))
    return HttpResponse(status=204)


@api_view("POST")
@authenticated
def recovery_codes(request):
    user = reauth.require(request, body_json(request))
    return JsonResponse({"recovery_codes": enrolment.renew_recovery_codes(user)})


@api_view("POST")
def login_mfa(request):
    data = read_json(request)
    mfa_token = string_field(data, "mfa_token", max_length=256)
    issued = mfa.complete_login(mfa_token, *second_factor(data, passkey=True))
    return session_response(request, issued)


@api_view("POST")
def login_mfa_passkey(request):
    mfa_token = string_field(read_json(request), "mfa_token", max_length=256)
    return JsonResponse({"options": mfa.passkey_options(mfa_token)})
