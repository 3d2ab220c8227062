"""Project-level views."""

import time

from django.conf import settings
from django.core.mail import get_connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from pymongo.errors import PyMongoError

from accounts import store
from accounts.views import api_view

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


@never_cache
@api_view("GET")  # a JSON 405 with Allow for any other method, CSRF or not
def health(request):
    """Say whether the database and the mail server can be reached.

    200 while the database answers (``"status": "degraded"`` when only mail is down:
    the API still answers the same, and failed mail is logged), 503 when it does not.
    """
    database, mail = database_ok(), mail_ok()
    body = {
        "status": ("ok" if mail else "degraded") if database else "unavailable",
        "database": "ok" if database else "unreachable",
        "email": "ok" if mail else "unreachable",
    }
    return JsonResponse(body, status=200 if database else 503)
