"""HTTP view of login by code: ``POST login/code`` mails one, ``PUT login/code`` trades it.

Thin: read and type-check the body, call ``accounts.codes.flows``, answer through
``accounts.sessions.http`` as every login does (a cookie for browser clients).
"""

from django.http import JsonResponse

from accounts.codes import flows
from accounts.core.http import api_view
from accounts.core.payload import read_json, string_field
from accounts.errors import MfaRequired
from accounts.sessions.http import challenge_response, session_response

# The same answer whether or not the address has an account (SEC-58).
CODE_REQUESTED = "If an account has that address, a login code is on its way to it."


@api_view("POST", "PUT")
def login_code(request):
    flows.require_enabled()  # a 404 before any complaint about the body
    data = read_json(request)
    email = string_field(data, "email", max_length=flows.EMAIL_MAX)
    if request.method == "POST":
        flows.request_code(email)
        return JsonResponse({"detail": CODE_REQUESTED}, status=202)
    code = string_field(data, "code", max_length=flows.CODE_MAX)
    try:
        issued = flows.log_in(email, code)
    except MfaRequired as challenge:  # right code, a second factor on: the second step
        return challenge_response(request, challenge)
    return session_response(request, issued)
