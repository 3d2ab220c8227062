"""``@authenticated``: let a request through only with a live token; set ``request.user``."""

import functools

from accounts.payload import bearer_token
from accounts.tokens import authenticate_token


def authenticate_request(request):
    """Return the request's user from its token (one query), caching it on the request.

    The session the token belongs to is kept as ``request.auth_session``
    (``accounts.sessions.Session``: its ``id`` marks the current one in a list).
    """
    if getattr(request, "auth_session", None) is None:
        user, session = authenticate_token(bearer_token(request))
        request.user = user
        request.auth_session = session
    return request.user


def authenticated(view=None):
    """Decorate a view (``@authenticated`` or ``@authenticated()``) to require a live token.

    Without one it raises ``AuthError`` (401); the project's middleware turns
    that into a JSON answer with ``WWW-Authenticate``.
    """

    def decorate(func):
        @functools.wraps(func)
        def wrapper(request, *args, **kwargs):
            authenticate_request(request)
            return func(request, *args, **kwargs)

        return wrapper

    return decorate(view) if callable(view) else decorate
