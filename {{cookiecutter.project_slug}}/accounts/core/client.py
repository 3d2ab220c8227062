"""Who is asking: the current request and its client IP, for throttling and security logs.

The seed API's ``User.login(username, password)`` takes no request, so the
middleware binds the request to a context variable that the flows read.

Per-IP throttles key on ``client_bucket``: an IPv4 address, or the /64 an IPv6
address belongs to. One IPv6 subscriber routinely holds a whole /64 (2^64
addresses), so keying single addresses would hand every client endless fresh
buckets.
"""

import contextvars
import ipaddress
import logging

from accounts import conf

log = logging.getLogger("accounts.security")
IPV6_BUCKET_PREFIX = 64
UNUSABLE = ("unknown", "invalid")
_warned_unusable = False

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
        _warn_unusable(address)
        return "invalid"


def client_bucket(request=None) -> str:
    """Return what per-IP throttles count against: the IPv4 address, or the IPv6 /64."""
    ip = client_ip(request)
    if ip in UNUSABLE:
        return ip
    address = ipaddress.ip_address(ip)
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/{IPV6_BUCKET_PREFIX}", strict=False))
    return ip


# Headers a proxy adds: a request that carries one did not come straight from this machine.
FORWARDING_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


def is_local_probe(request) -> bool:
    """Tell whether ``request`` came from this machine itself, as the container's probe does.

    Its client address (``client_ip``, after the trusted proxies) is a loopback one and no
    proxy forwarded it: a proxy on the same machine connects from loopback too, but says
    whose request it carries. The ``Host`` header proves nothing: any client sends any.
    """
    if any(header in request.META for header in FORWARDING_HEADERS):
        return False
    ip = client_ip(request)
    if ip in UNUSABLE:
        return False
    address = ipaddress.ip_address(ip)
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def _warn_unusable(address: str) -> None:
    """Say once per process that clients cannot be told apart: per-IP limits are then global."""
    global _warned_unusable
    if _warned_unusable:
        return
    _warned_unusable = True
    log.warning(
        "event=no_client_ip remote_addr=%r: REMOTE_ADDR is not an IP address, so every "
        "client shares one per-IP throttle (one client can throttle them all). Behind a "
        "proxy, set AUTH_TRUSTED_PROXY_COUNT and have it send X-Forwarded-For.",
        address[:64],
    )
