"""``@authenticated``: let a request through only with a live token; set ``request.user``.

Its public name is ``accounts.decorators.authenticated`` (and ``accounts.api``).
"""

import functools

from django.views.decorators.csrf import csrf_exempt

from accounts.core.payload import bearer_token
from accounts.errors import NotAuthenticated
from accounts.sessions import browser
from accounts.sessions.tokens import authenticate


def request_token(request) -> tuple[str, bool]:
    """Return the request's token and whether it came from the browser session cookie.

    The ``Authorization`` header's token, else the cookie's (``accounts.sessions.browser``),
    else ``NotAuthenticated``. The header wins: when one is sent, the cookie is not read at
    all. A cookie stands in only for a request without one, and then an unsafe method must
    pass the CSRF check.
    """
    if request.META.get("HTTP_AUTHORIZATION", "").strip():
        return bearer_token(request), False
    token = browser.token_from_cookie(request)
    if not token:
        raise NotAuthenticated()
    browser.check_csrf(request)  # before the read: a forged request costs the database nothing
    return token, True


def authenticate_request(request):
    """Return the request's user from its token (one query), caching it on the request.

    The token is the ``Authorization`` header's or, without one, the session cookie's
    (``request_token``; ``request.auth_by_cookie`` says which). The session it belongs to is
    kept as ``request.auth_session`` (``accounts.sessions.tokens.Session``: its ``id`` marks
    the current one in a list).
    """
    if getattr(request, "auth_session", None) is None:
        token, by_cookie = request_token(request)
        user, session = authenticate(token)
        request.user = user
        request.auth_session = session
        request.auth_by_cookie = by_cookie
    return request.user


def authenticated(view=None):
    """Decorate a view (``@authenticated`` or ``@authenticated()``) to require a live token.

    Without one it raises ``AuthError`` (401); the project's middleware turns
    that into a JSON answer with ``WWW-Authenticate``.

    The view is exempt from Django's CSRF middleware, so a client POSTs, PUTs, PATCHes and
    DELETEs with its token and no CSRF cookie (SEC-35). That is safe because the user comes
    from the ``Authorization`` header, which a cross-site form cannot send, or from the
    browser session cookie, which ``request_token`` lets through on an unsafe method only
    with the CSRF header (SEC-64): ``request.user`` is replaced by the session's user, and a
    request carrying only another cookie (say, the admin's) is a 401 like any other.
    """

    def decorate(func):
        @csrf_exempt
        @functools.wraps(func)
        def wrapper(request, *args, **kwargs):
            authenticate_request(request)
            return func(request, *args, **kwargs)

        return wrapper

    return decorate(view) if callable(view) else decorate
