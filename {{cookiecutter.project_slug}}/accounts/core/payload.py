"""Reading API requests: the JSON body, its fields and the token headers, checked by type.

Every field is checked to be what it should be (a string of bounded length)
before it reaches a query, so ``{"username": {"$ne": null}}`` is a 400, not a
query operator (SEC-30). Malformed bodies of any shape are 400s (SEC-31).
"""

import json
import math

from django.core.exceptions import RequestDataTooBig

from accounts import conf
from accounts.errors import InvalidInput, NotAuthenticated, PayloadTooLarge, UnsupportedMediaType

MAX_DEPTH = 32


def _reject_constant(name):
    raise ValueError(f"{name} is not valid JSON")


def _check_depth(value, depth=0):
    if depth > MAX_DEPTH:
        raise ValueError("nested too deeply")
    if isinstance(value, dict):
        for item in value.values():
            _check_depth(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check_depth(item, depth + 1)


def _parse_float(text):
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("number out of range")
    return value


def read_json(request, *, required: bool = True) -> dict:
    """Return the request body as a JSON object, or raise the matching 400/413/415."""
    limit = conf.get("AUTH_MAX_BODY_BYTES")
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise InvalidInput("Invalid Content-Length header.") from None
    if declared > limit:
        raise PayloadTooLarge()
    try:
        body = request.body
    except RequestDataTooBig:
        raise PayloadTooLarge() from None
    if len(body) > limit:
        raise PayloadTooLarge()
    if not body.strip():
        if required:
            raise InvalidInput("The request body must be a JSON object.", code="invalid_json")
        return {}
    content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise UnsupportedMediaType()
    try:
        text = body.decode("utf-8")
        data = json.loads(text, parse_constant=_reject_constant, parse_float=_parse_float)
        _check_depth(data)
        # Lone surrogates decode from \\ud800 escapes; they cannot be stored or encoded.
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except (UnicodeError, ValueError, RecursionError):
        raise InvalidInput("The request body is not valid JSON.", code="invalid_json") from None
    if not isinstance(data, dict):
        raise InvalidInput("The request body must be a JSON object.", code="invalid_json")
    request._json = data
    return data


def string_field(data: dict, name: str, *, max_length: int = 1024, required: bool = True) -> str:
    """Return ``data[name]`` if it is a non-empty string of at most ``max_length`` characters."""
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise InvalidInput(f"'{name}' is required.", code="missing_field")
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"'{name}' must be a string.", code="invalid_field")
    if len(value) > max_length:
        raise InvalidInput(f"'{name}' is too long.", code="invalid_field")
    return value


def object_field(data: dict, name: str, *, required: bool = True) -> dict | None:
    """Return ``data[name]`` if it is a JSON object (a passkey's ``credential``, say)."""
    value = data.get(name)
    if value is None:
        if required:
            raise InvalidInput(f"'{name}' is required.", code="missing_field")
        return None
    if not isinstance(value, dict):
        raise InvalidInput(f"'{name}' must be a JSON object.", code="invalid_field")
    return value


def body_json(request) -> dict:
    """Return the parsed JSON body, parsing it once per request; an empty body is ``{}``."""
    if not hasattr(request, "_json"):
        read_json(request, required=False)
    return getattr(request, "_json", {})


def bearer_token(request) -> str:
    """Return the token of ``Authorization: <token>`` or ``Authorization: Bearer <token>``."""
    header = request.META.get("HTTP_AUTHORIZATION", "").strip()
    if not header:
        raise NotAuthenticated()
    scheme, _, rest = header.partition(" ")
    if rest and scheme.lower() == "bearer":
        header = rest.strip()
    if not header or " " in header:
        raise NotAuthenticated("Malformed Authorization header.")
    return header


def link_token(request) -> str:
    """Return the link token from ``?a=`` or, preferably, from the JSON body's ``a`` (SEC-20)."""
    token = request.GET.get("a")
    if not token:
        token = string_field(body_json(request), "a", max_length=256, required=False)
    if not token:
        raise InvalidInput("The link token 'a' is missing.", code="missing_field")
    return token
