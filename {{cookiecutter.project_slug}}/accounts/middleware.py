"""One place that turns errors into JSON and sets the API's response headers.

- ``AuthError`` (raised anywhere below) becomes ``{"error", "code"}`` with its
  status, plus ``WWW-Authenticate`` (401), ``Allow`` (405), ``Retry-After`` (429).
- A database that cannot be reached becomes a 503, never a request let through.
- Anything else under ``/api/`` becomes a JSON 500 with no detail (SEC-40);
  Django's own HTML error pages under ``/api/`` are replaced by JSON.
- API answers are never cached (SEC-11): they carry tokens or user data.
- A CSRF failure under ``/api/`` or on the link pages is JSON 403 ``csrf_failed``
  (``csrf_failure``, the project's ``CSRF_FAILURE_VIEW``); the admin keeps Django's page.
"""

import logging

from django.db import DatabaseError
from django.http import JsonResponse
from django.views import csrf
from pymongo.errors import ConnectionFailure, PyMongoError, ServerSelectionTimeoutError

from accounts.core import client
from accounts.errors import (
    AuthError,
    MethodNotAllowed,
    NotAuthenticated,
    ServiceUnavailable,
    Throttled,
)

log = logging.getLogger("accounts.errors")

API_PREFIX = "/api/"
# The pages email links open (accounts.pages): they call the API and show its JSON errors.
LINK_PAGES = ("/verify", "/reset", "/email")
GENERIC = {
    400: ("Bad request.", "bad_request"),
    403: ("Forbidden.", "forbidden"),
    404: ("Not found.", "not_found"),
    405: ("Method not allowed.", "method_not_allowed"),
    413: ("The request body is too large.", "payload_too_large"),
    500: ("Internal server error.", "server_error"),
}


def error_response(error: AuthError) -> JsonResponse:
    """Return the JSON answer for ``error``, with the headers its status calls for."""
    response = JsonResponse(error.as_dict(), status=error.status)
    if isinstance(error, NotAuthenticated):
        detail = "" if error.code == "not_authenticated" else ', error="invalid_token"'
        response["WWW-Authenticate"] = f'Bearer realm="api"{detail}'
    elif isinstance(error, MethodNotAllowed):
        response["Allow"] = ", ".join(error.allowed)
    elif isinstance(error, Throttled):
        response["Retry-After"] = str(error.retry_after)
    return response


def generic_response(status: int) -> JsonResponse:
    """Return a plain JSON error for ``status``."""
    message, code = GENERIC.get(status, ("Request failed.", "error"))
    return JsonResponse({"error": message, "code": code}, status=status)


def is_database_outage(exc: BaseException) -> bool:
    """Tell whether ``exc`` (or what it wraps) means the database cannot be reached."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, ConnectionFailure | ServerSelectionTimeoutError):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


class ApiMiddleware:
    """Map errors to JSON, mark API answers ``no-store``, and keep HTML out of ``/api/``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        bound = client.bind(request)
        try:
            response = self.get_response(request)
        finally:
            client.unbind(bound)
        if request.path.startswith(API_PREFIX):
            if response.status_code >= 400 and not response.get("Content-Type", "").startswith(
                "application/json"
            ):
                allow = response.get("Allow")
                response = generic_response(response.status_code)
                if allow:
                    response["Allow"] = allow
            response["Cache-Control"] = "no-store"
        return response

    def process_exception(self, request, exc):
        if isinstance(exc, AuthError):
            return error_response(exc)
        if isinstance(exc, DatabaseError | PyMongoError) and is_database_outage(exc):
            log.warning("database_unavailable path=%s", request.path)
            return error_response(ServiceUnavailable())
        if request.path.startswith(API_PREFIX):
            log.exception("unhandled_error path=%s", request.path)
            return generic_response(500)
        return None


def json_handler(status: int):
    """Build a project-level handler (``handler404`` etc.) that answers JSON, never HTML."""

    def handler(request, exception=None):
        return generic_response(status)

    return handler


def csrf_failure(request, reason=""):
    """Answer a CSRF failure: JSON 403 ``csrf_failed`` for the API and the link pages.

    Their clients read JSON, and an HTML page there would break the one error shape (SEC-40).
    Anywhere else (the admin's forms) Django's own page explains the failure to a person.
    """
    path = request.path_info
    if path.startswith(API_PREFIX) or path.rstrip("/") in LINK_PAGES:
        return JsonResponse(
            {
                "error": "CSRF verification failed: a request that relies on cookies must "
                "send the CSRF cookie's value in the X-CSRFToken header.",
                "code": "csrf_failed",
            },
            status=403,
        )
    return csrf.csrf_failure(request, reason)
