"""Project-level views."""

import time

from django.conf import settings
from django.core.mail import get_connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from pymongo.errors import PyMongoError

from accounts import store
from accounts.core.client import is_local_probe
from accounts.core.http import api_view
from accounts.errors import AuthError
from accounts.mail import outbox
from accounts.sessions.decorators import authenticate_request

# Opening an SMTP connection on every probe would hammer the mail server: remember the answer.
MAIL_CHECK_SECONDS = 30
_mail_check = {"at": float("-inf"), "ok": True}


def database_ok() -> bool:
    """Ping the database; ``False`` once the driver's selection timeout (seconds) runs out."""
    try:
        store.database().command("ping")
    except PyMongoError:
        return False
    return True


def mail_ok() -> bool:
    """Tell whether the SMTP server accepts a connection (other backends cannot be down)."""
    if not settings.EMAIL_BACKEND.endswith("smtp.EmailBackend"):
        return True
    if time.monotonic() - _mail_check["at"] > MAIL_CHECK_SECONDS:
        try:
            connection = get_connection(timeout=3)
            connection.open()
            connection.close()
            _mail_check["ok"] = True
        except OSError:
            _mail_check["ok"] = False
        _mail_check["at"] = time.monotonic()
    return _mail_check["ok"]


def has_staff_token(request) -> bool:
    """Tell whether ``request`` carries the token of a staff account (one indexed read)."""
    if not request.META.get("HTTP_AUTHORIZATION"):
        return False
    try:
        user = authenticate_request(request)
    except (AuthError, PyMongoError):
        return False
    return user.is_active and user.is_staff


@never_cache
@api_view("GET")  # a JSON 405 with Allow for any other method, CSRF or not
def health(request):
    """Say whether the database and the mail server can be reached, and how much mail waits.

    200 while the database answers (``"status": "degraded"`` when mail is down or the
    outbox is backlogged: the API still answers the same, and failed mail is logged),
    503 when it does not. Only the status is public. The container's probe (a loopback
    client nothing forwarded) and a staff token also get ``database``, ``email`` and
    ``outbox``: the queue's depth and its oldest message's age in seconds (``null`` while
    the database is down).
    """
    database, mail = database_ok(), mail_ok()
    queue = None
    if database:
        try:
            queue = outbox.stats()
        except PyMongoError:
            database = False
    healthy = mail and (queue is None or queue["status"] == "ok")
    status = ("ok" if healthy else "degraded") if database else "unavailable"
    body = {"status": status}
    # The queue's depth and age would tell a stranger whether a reset just queued a mail,
    # that is, whether an address has an account (SEC-58): only the probe and staff see them.
    if is_local_probe(request) or (database and has_staff_token(request)):
        body["database"] = "ok" if database else "unreachable"
        body["email"] = "ok" if mail else "unreachable"
        body["outbox"] = queue if database else None
    return JsonResponse(body, status=200 if database else 503)
