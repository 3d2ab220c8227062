"""How a new session reaches the client: the one answer every way of logging in gives.

Password, second step, passkey, emailed code, social login and a reset that logs in all end
here, so the answer's shape (and, for browser clients, where the token goes) is decided in one
place. A login that still needs a second factor answers ``challenge_response`` instead.
"""

from django.http import JsonResponse

from accounts import clock


def session_response(request, issued, status: int = 200) -> JsonResponse:
    """Answer ``{"token", "expires_at"}`` for the session ``issued`` just started."""
    return JsonResponse(
        {"token": issued.token, "expires_at": clock.iso(issued.expires_at)}, status=status
    )


def challenge_response(request, challenge) -> JsonResponse:
    """Answer the second step's ``{"mfa_required", "mfa_token", "expires_at"}`` (a 200)."""
    return JsonResponse(challenge.as_challenge())
