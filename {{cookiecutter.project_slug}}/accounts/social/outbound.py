"""Calls to a provider: small JSON requests with a deadline, so a slow provider costs seconds.

The standard library's ``urllib.request``, no HTTP client to add. Each call must be over
within ``AUTH_SOCIAL_TIMEOUT`` seconds (5 by default): the socket gives up after that long
without a byte, and the body is read in chunks with the deadline checked between them, so a
provider that trickles its answer cannot hold a worker either. Past ``MAX_BODY`` an answer is
refused. Redirects are not followed: a provider's endpoints answer where they are published.

No answer at all (refused, reset, timed out, not JSON, a 5xx) is ``ProviderUnavailable``, a
503 ``provider_unavailable``; an answer that is an OAuth error (a 4xx with ``error``) comes
back to the caller, which decides what it means.
"""

import json
import time
import urllib.error
import urllib.request
from http.client import HTTPException
from urllib.parse import urlencode

from accounts import conf
from accounts.core.audit import security_event
from accounts.social.errors import ProviderUnavailable

MAX_BODY = 512 * 1024  # discovery documents and key sets are a few KiB
CHUNK = 16 * 1024
USER_AGENT = "djmongoauth-social/1"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 3xx is then an HTTPError, read like any other answer


OPENER = urllib.request.build_opener(_NoRedirects)


def get_json(url: str, headers: dict | None = None) -> tuple[int, object]:
    """GET ``url``; return the status and the JSON body."""
    return call("GET", url, None, headers or {})


def post_form(url: str, fields: dict, headers: dict | None = None) -> tuple[int, object]:
    """POST ``fields`` form-encoded to ``url``; return the status and the JSON body."""
    body = urlencode(fields).encode("ascii")
    form = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
    return call("POST", url, body, form)


def call(method: str, url: str, body: bytes | None, headers: dict) -> tuple[int, object]:
    """Send one request; return ``(status, JSON)`` for any JSON answer below 500."""
    timeout = conf.get("AUTH_SOCIAL_TIMEOUT")
    deadline = time.monotonic() + timeout
    sent = {"Accept": "application/json", "User-Agent": USER_AGENT, **headers}
    # Only https:// or loopback http:// URLs reach here (providers.allowed_url).
    request = urllib.request.Request(url, data=body, method=method, headers=sent)  # noqa: S310
    try:
        try:
            response = OPENER.open(request, timeout=timeout)
        except urllib.error.HTTPError as answer:
            response = answer  # a 4xx still carries a body worth reading (OAuth errors)
        with response:
            status, raw = response.status, _read(response, deadline)
    except (OSError, HTTPException, ValueError) as exc:  # URLError and timeouts are OSErrors
        security_event("social_provider_unavailable", url=url[:200], reason=type(exc).__name__)
        raise ProviderUnavailable() from None
    if status >= 500:
        security_event("social_provider_unavailable", url=url[:200], status=status)
        raise ProviderUnavailable()
    try:
        return status, json.loads(raw)
    except (ValueError, RecursionError):
        security_event("social_provider_unavailable", url=url[:200], reason="not_json")
        raise ProviderUnavailable() from None


def _read(response, deadline: float) -> bytes:
    chunks, size = [], 0
    while chunk := response.read1(CHUNK):  # what has come, not a full chunk: see the deadline
        size += len(chunk)
        if size > MAX_BODY:
            raise ValueError("answer too large")
        if time.monotonic() > deadline:
            raise TimeoutError("answer too slow")
        chunks.append(chunk)
    return b"".join(chunks)
