"""HTTP views of sessions: ``logout``, ``logout-all``, ``sessions`` and ``sessions/<id>``.

Thin: call ``accounts.sessions.flows`` and shape the answer. Errors become JSON in the
middleware.
"""

from django.http import HttpResponse, JsonResponse

from accounts.core.http import api_view
from accounts.sessions import flows
from accounts.sessions.decorators import authenticate_request


@api_view("POST")
def logout(request):
    flows.logout(request)
    return HttpResponse(status=204)


@api_view("POST")
def logout_all(request):
    flows.logout_all(request)
    return HttpResponse(status=204)


@api_view("GET")
def sessions(request):
    user = authenticate_request(request)
    return JsonResponse({"sessions": flows.list_sessions(user, request.auth_session)})


@api_view("DELETE")
def session(request, session_id):
    user = authenticate_request(request)
    flows.revoke_session(user, session_id)
    return HttpResponse(status=204)
