"""HTTP views of the account's life after sign-up: ``me`` and ``email``.

Thin, as the seed's views: read and type-check the body, call ``accounts.lifecycle.flows``,
shape the answer. Errors become JSON in the middleware. Changing the profile, deleting the
account and changing the address need a re-authenticated session or the right
``current_password`` in the body (``accounts.sessions.reauth``, SEC-55). What ``PATCH me``
sets is ``User.PROFILE_FIELDS`` (``accounts.models.profile``).
"""

from django.http import HttpResponse, JsonResponse

from accounts.core.http import api_view
from accounts.core.payload import body_json, link_token, string_field
from accounts.errors import InvalidInput
from accounts.lifecycle import flows
from accounts.models import User, profile
from accounts.sessions import browser, reauth
from accounts.sessions.decorators import authenticate_request

# The same answer whether or not the address is taken (SEC-58): the mail says which.
EMAIL_CHANGE_REQUESTED = "A confirmation link is on its way to the new address."

# Fields of GET me that PATCH me cannot set, and where each one is changed instead.
READ_ONLY_FIELDS = {
    "id": "It never changes.",
    "email": "Change it with POST /api/auth/email.",
    "email_verified": "It is set by the verification link.",
    "email_verified_at": "It is set by the verification link.",
    "password": "Change it with POST /api/auth/password.",
    "mfa_enabled": "Turn MFA on or off under /api/auth/mfa/.",
    "mfa_methods": "Turn MFA on or off under /api/auth/mfa/.",
}
# Not a field of the account: it re-authenticates the request (accounts.sessions.reauth).
PROOF_FIELDS = ("current_password",)


def _refuse_fields_not_editable(data: dict) -> None:
    """Name every field PATCH me will not set: a silently ignored field is a lost edit."""
    editable = (*User.PROFILE_FIELDS, *PROOF_FIELDS)
    refused = sorted(name for name in data if name not in editable)
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
        changes = {name: data[name] for name in User.PROFILE_FIELDS if name in data}
        if not changes:
            fields = ", ".join(f"'{name}'" for name in User.PROFILE_FIELDS)
            raise InvalidInput(f"Send at least one field to change: {fields}.", code="no_fields")
        profile.clean(user, changes)  # a malformed value is a 400 before a password is asked for
        reauth.require(request, data)
        return JsonResponse(flows.update_profile(user, changes).as_json())
    reauth.require(request, data)
    flows.delete_account(user)
    response = HttpResponse(status=204)
    browser.clear_session_cookie(request, response)
    return response


@api_view("POST", "PUT")
def email(request):
    if request.method == "POST":
        data = body_json(request)
        new_email = string_field(data, "new_email", max_length=1024)
        flows.request_email_change(reauth.require(request, data), new_email)
        return JsonResponse({"detail": EMAIL_CHANGE_REQUESTED}, status=202)
    user = flows.confirm_email_change(link_token(request))
    return JsonResponse(user.as_json())
