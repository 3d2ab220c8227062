"""The container's health check: ``python -m config.healthcheck`` (exit 0 when healthy).

It asks gunicorn inside the container for ``/api/health`` with ``Host:`` set to
``HEALTH_CHECK_HOST`` (default ``localhost``), a name the settings add to
``ALLOWED_HOSTS`` for this probe, and the path is exempt from the HTTPS redirect
(``SECURE_REDIRECT_EXEMPT``): the check passes with production ``ALLOWED_HOSTS``
and ``DJANGO_SECURE_SSL_REDIRECT`` on, neither turned off. The Dockerfile's
``HEALTHCHECK``, docker-compose.yml and CI run this same module. Standard library
only: it must not import Django or the settings.
"""

import os
import sys
import urllib.error
import urllib.request

DEFAULT_HOST = "localhost"
PATH = "/api/health"


def probe(port: int, host: str, timeout: float = 5.0) -> tuple[int, str]:
    """Return the status and body of ``GET /api/health`` on 127.0.0.1:``port``."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{PATH}", headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - fixed URL
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def main() -> int:
    port = int(os.environ.get("PORT", "8000"))
    host = os.environ.get("HEALTH_CHECK_HOST") or DEFAULT_HOST
    try:
        status, body = probe(port, host)
    except OSError as exc:
        print(f"healthcheck: no answer on port {port}: {exc}", file=sys.stderr)
        return 1
    print(f"healthcheck: {status} {body[:200]}")
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
