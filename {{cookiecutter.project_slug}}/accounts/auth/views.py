"""HTTP views of the seed's flows: register, login, verify, reset, password.

Thin: parse and type-check the input, call ``accounts.auth.flows``, shape the JSON answer.
Errors are raised as ``AuthError`` and turned into JSON in one place,
``accounts.middleware.ApiMiddleware``.
"""

from django.http import JsonResponse

from accounts import clock
from accounts.auth import flows
from accounts.core.http import api_view
from accounts.core.payload import read_json, string_field
from accounts.errors import MfaRequired
from accounts.mail.emails import EmailTypes
from accounts.models import User
from accounts.sessions.http import challenge_response, session_response

RESET_REQUESTED = "If an account with that email address exists, a reset link has been sent to it."


def _user_fields(data: dict) -> User:
    return User(
        username=string_field(data, "username", max_length=1024),
        email=string_field(data, "email", max_length=1024),
        password=string_field(data, "password", max_length=10**6),
    )


@api_view("POST")
def register(request):
    user = flows.register(_user_fields(read_json(request)))
    flows.send_verification_after_register(user)
    return JsonResponse(user.as_json(), status=201)


@api_view("POST")
def login(request):
    data = read_json(request)
    try:
        issued = flows.login(
            string_field(data, "username", max_length=1024),
            string_field(data, "password", max_length=10**6),
        )
    except MfaRequired as challenge:  # right password, MFA on: the second step's token
        return challenge_response(request, challenge)
    return session_response(request, issued)


@api_view("POST", "PUT")
def verify(request):
    if request.method == "POST":
        flows.send_email(request, EmailTypes.VERIFY)
        return JsonResponse({"detail": "Verification email sent."}, status=201)
    user = flows.handle_email_request(request, EmailTypes.VERIFY)
    return JsonResponse(
        {"email_verified": True, "email_verified_at": clock.iso(user.email_verified_at)}
    )


@api_view("POST", "PUT")
def reset(request):
    if request.method == "POST":
        flows.send_email(request, EmailTypes.RESET)
        return JsonResponse({"detail": RESET_REQUESTED})
    flows.handle_email_request(request, EmailTypes.RESET)
    return JsonResponse({"detail": "Your password has been changed. Log in with the new one."})


@api_view("POST")
def change_password(request):
    flows.change_password(request)
    return JsonResponse({"detail": "Your password has been changed. Log in with the new one."})
