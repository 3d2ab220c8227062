"""HTTP views of the account's life after sign-up: ``me`` and ``email``.

Thin, as the seed's views: read and type-check the body, call ``accounts.lifecycle.flows``,
shape the answer. Errors become JSON in the middleware.
"""

from django.http import HttpResponse, JsonResponse

from accounts.core.http import api_view
from accounts.core.payload import body_json, link_token, string_field
from accounts.errors import InvalidInput
from accounts.lifecycle import flows
from accounts.sessions.decorators import authenticate_request

# Fields of GET me that PATCH me cannot set, and where each one is changed instead.
READ_ONLY_FIELDS = {
    "id": "It never changes.",
    "email": "Change it with POST /api/auth/email.",
    "email_verified": "It is set by the verification link.",
    "email_verified_at": "It is set by the verification link.",
    "password": "Change it with POST /api/auth/password.",
    "mfa_enabled": "Turn MFA on or off under /api/auth/mfa/.",
}
EDITABLE_FIELDS = ("username",)


def _refuse_fields_not_editable(data: dict) -> None:
    """Name every field PATCH me will not set: a silently ignored field is a lost edit."""
    refused = sorted(name for name in data if name not in EDITABLE_FIELDS)
    if not refused:
        return
    read_only = [name for name in refused if name in READ_ONLY_FIELDS]
    shown = [name[:64] for name in refused[:20]]  # echo a bounded amount of what was sent
    errors = {name: [READ_ONLY_FIELDS.get(name, "Unknown field.")] for name in shown}
    names = ", ".join(f"'{name}'" for name in shown)
    if read_only:
        message = f"These fields cannot be changed here: {names}."
        raise InvalidInput(message, code="read_only_field", errors=errors)
    raise InvalidInput(f"Unknown fields: {names}.", code="unknown_field", errors=errors)


@api_view("GET", "PATCH", "DELETE")
def me(request):
    user = authenticate_request(request)
    if request.method == "GET":
        return JsonResponse(user.as_json())
    data = body_json(request)
    if request.method == "PATCH":
        _refuse_fields_not_editable(data)
        username = string_field(data, "username", max_length=1024)
        return JsonResponse(flows.change_username(user, username).as_json())
    flows.delete_own_account(user, string_field(data, "current_password", max_length=10**6))
    return HttpResponse(status=204)


@api_view("POST", "PUT")
def email(request):
    if request.method == "POST":
        user = authenticate_request(request)
        data = body_json(request)
        flows.request_email_change(
            user,
            string_field(data, "new_email", max_length=1024),
            string_field(data, "current_password", max_length=10**6),
        )
        detail = "A confirmation link has been sent to the new address."
        return JsonResponse({"detail": detail}, status=202)
    user = flows.confirm_email_change(link_token(request))
    return JsonResponse(user.as_json())
