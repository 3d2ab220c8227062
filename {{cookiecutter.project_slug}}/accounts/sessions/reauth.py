"""Re-authentication: a fresh proof of who is at the keyboard, held by one session (SEC-55).

A stolen token must not be enough to lock the owner out: turning a second factor on or off,
changing the address, renaming or deleting the account (and, in other packages, adding
passkeys or linking providers) each need the session to have re-authenticated within
``AUTH_REAUTH_SECONDS``. ``POST reauthenticate`` (``accounts.reauth``) proves it with the
password or a second factor and stamps the session's element of ``users.sessions``
(``reauth_at``), so the check costs no read: the one ``find_one`` that authenticated the
request brought the stamp with it. Logging in does not count: a re-authentication is an
explicit act on one session, and another session of the same account gains nothing.

A body that carries the right ``current_password`` (the clients of the contract's section 6)
re-authenticates its own request, and only that one: the session gets no stamp from it.
"""

import dataclasses
from datetime import timedelta

from accounts import clock, conf
from accounts.core.audit import security_event
from accounts.core.payload import string_field
from accounts.errors import ReauthenticationRequired
from accounts.security import credentials
from accounts.sessions import tokens
from accounts.sessions.decorators import authenticate_request


def fresh_until(session):
    """Return when ``session``'s re-authentication stops counting (``None`` if it has none)."""
    if session is None or session.reauth_at is None:
        return None
    return session.reauth_at + timedelta(seconds=conf.get("AUTH_REAUTH_SECONDS"))


def is_fresh(session) -> bool:
    """Tell whether ``session`` re-authenticated within ``AUTH_REAUTH_SECONDS``."""
    until = fresh_until(session)
    return until is not None and clock.now() < until


def stamp(request, method: str):
    """Record that the request's session has just re-authenticated; return until when it counts.

    Called once the proof (``method``: password, totp, recovery_code, passkey) was checked.
    """
    user, session = request.user, request.auth_session
    now = clock.now()
    if tokens.stamp_reauthentication(user, session.id, now):
        request.auth_session = session = dataclasses.replace(session, reauth_at=now)
    security_event("reauthenticated", user=user.pk, method=method)
    return fresh_until(session) or now


def require(request, data: dict | None = None):
    """Return the request's user if its session may do a sensitive operation, else raise.

    The session must have re-authenticated lately, or ``data`` (the request's JSON body) carry
    the right ``current_password``: a wrong one is ``InvalidCredentials`` and counts as a
    failed login (SEC-47). Otherwise ``ReauthenticationRequired`` (403) names the methods
    this account can use.
    """
    user = authenticate_request(request)
    if data is not None and "current_password" in data:
        password = string_field(data, "current_password", max_length=10**6)
        credentials.check_current_password(user, password, event="reauthentication_failed")
        return user
    if not is_fresh(request.auth_session):
        security_event("reauthentication_required", user=user.pk, path=request.path[:100])
        raise ReauthenticationRequired(user.reauthentication_methods)
    return user
