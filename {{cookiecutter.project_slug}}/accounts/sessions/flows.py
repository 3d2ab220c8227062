"""What the API does with sessions: log out, log out everywhere, list and end one (SEC-13, 14, 49).

Plain functions of a request or a user; each raises an ``AuthError`` subclass on failure.
How sessions are stored and read is ``accounts.sessions.tokens``.
"""

from accounts import clock
from accounts.core.audit import security_event
from accounts.errors import NotFound
from accounts.sessions import tokens
from accounts.sessions.decorators import authenticate_request


def logout(request) -> None:
    """Revoke the token the request carries (SEC-13)."""
    user = authenticate_request(request)
    tokens.revoke_session(user, request.auth_session.id)
    security_event("logout", user=user.pk)


def logout_all(request) -> None:
    """Revoke every token of the request's user (SEC-14)."""
    user = authenticate_request(request)
    tokens.end_all_sessions(user)
    security_event("logout_all", user=user.pk)


def list_sessions(user, current=None) -> list[dict]:
    """Return ``user``'s live sessions as the API shows them, newest first.

    ``current`` is the session of the request asking, marked ``"current": true``.
    No last-use time is kept: it would add a write to every authenticated request.
    """
    current_id = getattr(current, "id", None)
    return [
        {
            "id": session.id,
            "created_at": clock.iso(session.created_at),
            "expires_at": clock.iso(session.expires_at),
            "current": session.id == current_id,
            "user_agent": session.user_agent,
        }
        for session in tokens.list_sessions(user)
    ]


def revoke_session(user, session_id: str) -> None:
    """End one of ``user``'s own live sessions, or raise ``NotFound``.

    The update is conditioned on the user's own document, so another account's
    session id is, to this function, exactly an id that does not exist: same
    answer, same work (SEC-49).
    """
    if not tokens.revoke_session(user, session_id):
        raise NotFound("No such session.")
    security_event("session_revoked", user=user.pk)
