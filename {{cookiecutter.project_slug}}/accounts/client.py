"""Who is asking: the current request and its client IP, for throttling and security logs.

The seed API's ``User.login(username, password)`` takes no request, so the
middleware binds the request to a context variable that the flows read.
"""

import contextvars
import ipaddress

from accounts import conf

_current_request = contextvars.ContextVar("accounts_current_request", default=None)


def bind(request):
    """Make ``request`` the current one; return a token for ``unbind``."""
    return _current_request.set(request)


def unbind(token) -> None:
    _current_request.reset(token)


def current_request():
    return _current_request.get()


def client_ip(request=None) -> str:
    """Return the client's IP: ``REMOTE_ADDR``, or the address a trusted proxy chain reports.

    ``X-Forwarded-For`` is trusted only when ``AUTH_TRUSTED_PROXY_COUNT`` says how
    many proxies append to it; anyone can send that header, so by default it is
    ignored (SEC-27).
    """
    request = request if request is not None else current_request()
    if request is None:
        return "unknown"
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = conf.get("AUTH_TRUSTED_PROXY_COUNT")
    if proxies > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            address = hops[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return "invalid"
