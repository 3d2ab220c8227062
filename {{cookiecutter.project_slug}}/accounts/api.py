"""The public toolkit for writing JSON API views of your own: import from here.

Everything the auth API's own views use, in one place, so a new app needs one
import line and no knowledge of the modules underneath::

    from django.http import JsonResponse

    from accounts.api import api_view, authenticated, read_json, string_field


    @api_view("GET", "POST")
    @authenticated
    def notes(request):
        if request.method == "POST":
            title = string_field(read_json(request), "title", max_length=200)
            ...
        return JsonResponse({"notes": [...]})

- ``api_view(*methods)``: any other method is a JSON 405 with ``Allow``.
- ``authenticated``: a live token in ``Authorization`` or a JSON 401; sets
  ``request.user``. Token-only, so exempt from CSRF: POST, PUT, PATCH and
  DELETE work without a CSRF cookie, and a session cookie alone gets nothing.
- ``read_json(request)``: the body as a JSON object, or a 400/413/415.
- ``string_field(data, name, max_length=..., required=...)``: a string or a 400,
  checked before it reaches a query (``{"$ne": null}`` is refused).
- Raise ``InvalidInput`` (400), ``NotFound`` (404) or any ``AuthError`` subclass
  for a client's mistake: the project answers ``{"error", "code"}`` with its status.
"""

from accounts.core.http import api_view
from accounts.core.payload import body_json, read_json, string_field
from accounts.errors import AuthError, InvalidInput, NotFound
from accounts.sessions.decorators import authenticated

__all__ = [
    "AuthError",
    "InvalidInput",
    "NotFound",
    "api_view",
    "authenticated",
    "body_json",
    "read_json",
    "string_field",
]
