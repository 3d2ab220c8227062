"""Browser sessions: the session token in a cookie that scripts cannot read (SEC-64).

Why: a token a script can read (a bearer kept in ``localStorage``) is handed to any XSS on the
front end. A client that sends ``X-Auth-Client: browser`` when it logs in gets its token as
this cookie instead, and no ``token`` in the body (``accounts.sessions.http``). The cookie is:

- ``HttpOnly``: ``document.cookie`` never shows it;
- ``Secure`` wherever Django's own cookies are (``SESSION_COOKIE_SECURE``, env
  ``DJANGO_SECURE_COOKIES``: on unless DEBUG), and then named ``__Host-auth_session``: browsers
  take a ``__Host-`` cookie only with ``Secure``, ``Path=/`` and no ``Domain``, so no other
  host (a sibling subdomain) can set or shadow it;
- ``SameSite`` from ``AUTH_COOKIE_SAMESITE`` (``Lax`` by default, docs/browser-sessions.md);
- as long-lived as its session (``Max-Age``), and no longer.

A request with the cookie and no ``Authorization`` header is authenticated by it, with the
same one ``find_one`` as a bearer token (``accounts.sessions.decorators``). If both are sent
the header wins and the cookie is not looked at: a client that sends a header says which
session it means. A browser attaches cookies by itself, to requests other sites start too, so
a cookie-authenticated unsafe method must pass Django's own CSRF check
(``CsrfViewMiddleware``: the ``X-CSRFToken`` header against the CSRF cookie, the ``Origin``
against ``CSRF_TRUSTED_ORIGINS``); a bearer token needs none, as before (SEC-35).
"""

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware, get_token, rotate_token

from accounts import clock, conf
from accounts.errors import CsrfFailed

COOKIE = "auth_session"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")  # Django's own list: CSRF checks the others
HEADER = "HTTP_X_AUTH_CLIENT"  # X-Auth-Client
CSRF_HEADER = "X-CSRFToken"  # where GET csrf and a browser login hand the CSRF token over


def secure() -> bool:
    """Tell whether the cookie is ``Secure``: wherever Django's session and CSRF cookies are."""
    return bool(settings.SESSION_COOKIE_SECURE)


def cookie_name() -> str:
    """Return the cookie's name: ``__Host-`` prefixed when it is ``Secure``."""
    return f"__Host-{COOKIE}" if secure() else COOKIE


def wants_cookie(request) -> bool:
    """Tell whether the client asked for its session as a cookie (``X-Auth-Client: browser``)."""
    return request.META.get(HEADER, "").strip().lower() == "browser"


def token_from_cookie(request) -> str:
    """Return the session token the request's cookie carries, or ``""``."""
    return request.COOKIES.get(cookie_name(), "")


def set_session_cookie(request, response, issued) -> None:
    """Put the new session ``issued`` into ``response`` as the cookie; rotate the CSRF token.

    A new session gets a new CSRF token, as Django's own ``login()`` does: a token planted
    in the browser before the login (by a sibling subdomain, say) is worth nothing after it.
    The new token travels in the ``X-CSRFToken`` header, so a front end on another origin
    (which cannot read this host's cookies) has it without asking ``GET csrf`` again.
    """
    lifetime = int((issued.expires_at - clock.now()).total_seconds())
    response.set_cookie(
        cookie_name(),
        issued.token,
        max_age=max(0, lifetime),
        path="/",
        secure=secure(),
        httponly=True,
        samesite=conf.get("AUTH_COOKIE_SAMESITE"),
    )
    rotate_token(request)
    response[CSRF_HEADER] = get_token(request)


def clear_session_cookie(request, response) -> None:
    """Tell the browser to forget the cookie if it authenticated the request (logout).

    A request whose ``Authorization`` header won ended that header's session: a cookie it
    also carried still holds a live one, and is kept.
    """
    if getattr(request, "auth_by_cookie", False):
        response.delete_cookie(cookie_name(), path="/", samesite=conf.get("AUTH_COOKIE_SAMESITE"))


def _protected_view(request):  # pragma: no cover - never called: what the check looks at
    """Stand for the view in Django's CSRF check: a view that is not exempt."""


def check_csrf(request) -> None:
    """Run Django's CSRF check on a cookie-authenticated request; raise ``CsrfFailed`` (403).

    Django's own machinery, not a copy: safe methods pass; an unsafe one needs the
    ``X-CSRFToken`` header to match the CSRF cookie and, where the browser sends ``Origin``,
    that origin to be this host's or one of ``CSRF_TRUSTED_ORIGINS`` (over HTTPS without
    ``Origin``, the ``Referer``). A new middleware instance per check reads the settings in
    force.
    """
    if request.method in SAFE_METHODS:
        return  # what Django's check does with them, without building the middleware (GET me)
    middleware = CsrfViewMiddleware(lambda request: None)
    if middleware.process_view(request, _protected_view, (), {}) is not None:
        raise CsrfFailed()
