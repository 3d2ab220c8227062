"""HTTP views of sessions: ``logout``, ``logout-all``, ``sessions``, ``sessions/<id>``, ``csrf``.

Thin: call ``accounts.sessions.flows`` and shape the answer. Errors become JSON in the
middleware.
"""

from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token

from accounts.core.http import api_view
from accounts.sessions import browser, flows
from accounts.sessions.decorators import authenticate_request


@api_view("POST")
def logout(request):
    flows.logout(request)
    response = HttpResponse(status=204)
    browser.clear_session_cookie(request, response)
    return response


@api_view("POST")
def logout_all(request):
    flows.logout_all(request)
    response = HttpResponse(status=204)
    browser.clear_session_cookie(request, response)
    return response


@api_view("GET")
def sessions(request):
    user = authenticate_request(request)
    return JsonResponse({"sessions": flows.list_sessions(user, request.auth_session)})


@api_view("DELETE")
def session(request, session_id):
    user = authenticate_request(request)
    flows.revoke_session(user, session_id)
    return HttpResponse(status=204)


@api_view("GET")
def csrf(request):
    """Set Django's CSRF cookie; hand its token over in ``X-CSRFToken`` too (SEC-64).

    The header is for front ends on another origin: they cannot read this host's cookies,
    and must send the token back in ``X-CSRFToken`` with every unsafe, cookie-authenticated
    request.
    """
    response = HttpResponse(status=204)
    response[browser.CSRF_HEADER] = get_token(request)
    return response
