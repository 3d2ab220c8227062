"""HTTP views: parse and type-check the input, call the flow, shape the JSON answer.

Errors are raised as ``AuthError`` and turned into JSON in one place,
``accounts.middleware.ApiMiddleware``.
"""

import functools

from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from accounts import clock, flows, lifecycle
from accounts.decorators import authenticated
from accounts.emails import EmailTypes
from accounts.errors import MethodNotAllowed, MfaRequired
from accounts.models import User
from accounts.payload import read_json, string_field

RESET_REQUESTED = "If an account with that email address exists, a reset link has been sent to it."


def api_view(*methods: str):
    """Route each allowed method to its handler; any other method is a JSON 405 with ``Allow``."""

    def decorate(view):
        @csrf_exempt  # token in a header, no cookies: CSRF does not apply (SEC-35)
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                raise MethodNotAllowed(request.method, list(methods))
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def _user_fields(data: dict) -> User:
    return User(
        username=string_field(data, "username", max_length=1024),
        email=string_field(data, "email", max_length=1024),
        password=string_field(data, "password", max_length=10**6),
    )


@api_view("POST")
def register(request):
    user = flows.register(_user_fields(read_json(request)))
    lifecycle.send_verification_after_register(user)
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
        return JsonResponse(challenge.as_challenge())
    return JsonResponse({"token": issued.token, "expires_at": clock.iso(issued.expires_at)})


@api_view("POST")
def logout(request):
    flows.logout(request)
    return HttpResponse(status=204)


@api_view("POST")
def logout_all(request):
    flows.logout_all(request)
    return HttpResponse(status=204)


@api_view("GET")
@authenticated
def me(request):
    return JsonResponse(request.user.as_json())


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
