"""How a new session reaches the client: the one answer every way of logging in gives.

Password, second step, passkey, emailed code, social login and a reset that logs in all end
here, so the answer's shape (and, for browser clients, where the token goes) is decided in one
place. A login that still needs a second factor answers ``challenge_response`` instead.

A client that sends ``X-Auth-Client: browser`` gets the token as an HttpOnly cookie and only
``{"expires_at"}`` in the body (``accounts.sessions.browser``, SEC-64); any other client gets
``{"token", "expires_at"}``, as always.
"""

from django.http import JsonResponse

from accounts import clock
from accounts.sessions import browser


def session_response(request, issued, status: int = 200) -> JsonResponse:
    """Answer the session ``issued`` just started: ``{"token", "expires_at"}``, or the cookie."""
    expires_at = clock.iso(issued.expires_at)
    if browser.wants_cookie(request):
        response = JsonResponse({"expires_at": expires_at}, status=status)
        browser.set_session_cookie(request, response, issued)
        return response
    return JsonResponse({"token": issued.token, "expires_at": expires_at}, status=status)


def challenge_response(request, challenge) -> JsonResponse:
    """Answer the second step's ``{"mfa_required", "mfa_token", "expires_at"}`` (a 200).

    The same for browser clients: an ``mfa_token`` is no session, only the right to try a
    second factor for five minutes, and the front end must hand it to ``login/mfa``.
    """
    return JsonResponse(challenge.as_challenge())
