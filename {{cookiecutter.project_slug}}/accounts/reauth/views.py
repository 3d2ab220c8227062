"""HTTP views of re-authentication: ``POST reauthenticate`` and ``POST reauthenticate/passkey``."""

from django.http import JsonResponse

from accounts import clock
from accounts.core.http import api_view
from accounts.core.payload import read_json
from accounts.reauth import flows
from accounts.sessions.decorators import authenticate_request


@api_view("POST")
def reauthenticate(request):
    authenticate_request(request)  # a 401 before any complaint about the body
    until = flows.reauthenticate(request, read_json(request))
    return JsonResponse({"reauthenticated_until": clock.iso(until)})


@api_view("POST")
def passkey_options(request):
    return JsonResponse({"options": flows.passkey_options(request)})
