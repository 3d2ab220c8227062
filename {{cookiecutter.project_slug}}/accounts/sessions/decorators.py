"""``@authenticated``: let a request through only with a live token; set ``request.user``.

Its public name is ``accounts.decorators.authenticated`` (and ``accounts.api``).
"""

import functools

from django.views.decorators.csrf import csrf_exempt

from accounts.core.payload import bearer_token
from accounts.sessions.tokens import authenticate


def authenticate_request(request):
    """Return the request's user from its token (one query), caching it on the request.

    The session the token belongs to is kept as ``request.auth_session``
    (``accounts.sessions.tokens.Session``: its ``id`` marks the current one in a list).
    """
    if getattr(request, "auth_session", None) is None:
        user, session = authenticate(bearer_token(request))
        request.user = user
        request.auth_session = session
    return request.user


def authenticated(view=None):
    """Decorate a view (``@authenticated`` or ``@authenticated()``) to require a live token.

    Without one it raises ``AuthError`` (401); the project's middleware turns
    that into a JSON answer with ``WWW-Authenticate``.

    The view is exempt from CSRF, so a client POSTs, PUTs, PATCHes and DELETEs with
    its token and no CSRF cookie (SEC-35). That is safe only because the user comes
    from the ``Authorization`` header alone, which a cross-site form cannot send:
    ``request.user`` is replaced by the token's user, and a request carrying only a
    session cookie (say, of the admin) is a 401 like any other without a token.
    """

    def decorate(func):
        @csrf_exempt
        @functools.wraps(func)
        def wrapper(request, *args, **kwargs):
            authenticate_request(request)
            return func(request, *args, **kwargs)

        return wrapper

    return decorate(view) if callable(view) else decorate
