"""HTTP views of two-factor authentication: parse and type-check, call ``mfa.flows``, answer.

Turning MFA on or off and renewing recovery codes need a re-authenticated session, or the
right ``current_password`` in the body (``accounts.sessions.reauth``, SEC-55).

``mfa/totp``: POST starts a set-up, PUT confirms it, DELETE turns MFA off;
``mfa/recovery-codes``: POST replaces the codes; ``login/mfa``: the login's second step.
"""

from django.http import HttpResponse, JsonResponse

from accounts.core.http import api_view
from accounts.core.payload import body_json, read_json, string_field
from accounts.errors import InvalidInput
from accounts.mfa import flows as mfa
from accounts.sessions import reauth
from accounts.sessions.decorators import authenticated
from accounts.sessions.http import session_response


def second_factor(data: dict) -> tuple[str, str]:
    """Return ``(code, recovery_code)`` from the body: exactly one of the two, a string."""
    code = string_field(data, "code", max_length=mfa.CODE_MAX, required=False)
    recovery_code = string_field(data, "recovery_code", max_length=mfa.CODE_MAX, required=False)
    if bool(code) == bool(recovery_code):
        raise InvalidInput("Send either 'code' or 'recovery_code'.", code="missing_field")
    return code, recovery_code


@api_view("POST", "PUT", "DELETE")
@authenticated
def totp(request):
    if request.method == "POST":
        data = body_json(request)  # an empty body is fine; a malformed one is still a 400
        return JsonResponse(mfa.begin_setup(reauth.require(request, data)))
    data = read_json(request)
    user = reauth.require(request, data)
    if request.method == "PUT":
        code = string_field(data, "code", max_length=mfa.CODE_MAX)
        return JsonResponse({"recovery_codes": mfa.confirm_setup(user, code)})
    mfa.disable(user, *second_factor(data))
    return HttpResponse(status=204)


@api_view("POST")
@authenticated
def recovery_codes(request):
    user = reauth.require(request, body_json(request))
    return JsonResponse({"recovery_codes": mfa.renew_recovery_codes(user)})


@api_view("POST")
def login_mfa(request):
    data = read_json(request)
    mfa_token = string_field(data, "mfa_token", max_length=256)
    issued = mfa.complete_login(mfa_token, *second_factor(data))
    return session_response(request, issued)
