"""System checks: say when the server cannot tell clients apart (per-IP throttles, SEC-27).

Per-IP throttles key on the client address. Behind a proxy that address is the
proxy's unless ``AUTH_TRUSTED_PROXY_COUNT`` says to read ``X-Forwarded-For``,
and behind a unix socket there is no address at all: every client then shares
one bucket, and one client's failed logins throttle everybody. ``manage.py
check`` (and ``runserver``, ``migrate``) report it; a server logs it at start-up,
and again at the first request that carries no usable address
(``accounts.client``).
"""

import logging
import os
import shlex
import sys

from django.conf import settings
from django.core import checks

from accounts import conf

log = logging.getLogger("accounts.security")


def _bound_to_unix_socket() -> bool:
    """Tell whether this process is a gunicorn told to listen on a unix socket."""
    args = [*sys.argv, *shlex.split(os.environ.get("GUNICORN_CMD_ARGS", ""))]
    return any("unix:" in arg for arg in args)


def client_ip_problems() -> list[str]:
    """Return why the per-IP throttles would see one address for every client, if they would."""
    if conf.get("AUTH_TRUSTED_PROXY_COUNT") > 0:
        return []
    problems = []
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        problems.append(
            "the app trusts a proxy's X-Forwarded-Proto (DJANGO_BEHIND_PROXY), so REMOTE_ADDR "
            "is the proxy's address"
        )
    if _bound_to_unix_socket():
        problems.append("the server listens on a unix socket, so REMOTE_ADDR is no IP address")
    return problems


@checks.register(checks.Tags.security)
def check_client_ip(app_configs=None, **kwargs):
    """Warn when per-IP throttles cannot tell clients apart (accounts.W001)."""
    return [
        checks.Warning(
            f"Every client shares one per-IP throttle: {problem}.",
            hint="Set AUTH_TRUSTED_PROXY_COUNT to the number of proxies that append to "
            "X-Forwarded-For (see the README's throttle table).",
            id="accounts.W001",
        )
        for problem in client_ip_problems()
    ]


def log_client_ip_problems() -> None:
    """Log the same warning once at start-up (gunicorn runs no system checks)."""
    for problem in client_ip_problems():
        log.warning(
            "event=no_client_ip every client shares one per-IP throttle: %s; "
            "set AUTH_TRUSTED_PROXY_COUNT",
            problem,
        )
