"""django-ninja authentication with the project's login tokens.

Install with ``pip install -e ".[ninja]"`` (or ``make install EXTRAS=dev,ninja``), then::

    from accounts.integrations.ninja import TokenAuth

    api = NinjaAPI(auth=TokenAuth())

    @api.get("/notes")
    def notes(request):
        return {"owner": request.auth.username}
"""

from ninja.security import HttpBearer

from accounts.integrations import sends_our_token
from accounts.sessions.decorators import authenticate_request


class TokenAuth(HttpBearer):
    """Authenticate as ``@authenticated`` does; ``request.auth`` is the user.

    No token (or another scheme): ``None``, so ninja tries the next auth and answers 401.
    A bad, revoked or expired token raises the auth API's own error, which the project's
    middleware answers as every API 401: ``{"error", "code"}`` with ``WWW-Authenticate``.
    Unlike ninja's ``HttpBearer``, the bare token (as the djmongoauth library sent it) works too,
    and so does a browser session cookie (its unsafe methods need ``X-CSRFToken``).
    """

    def __call__(self, request):
        if not sends_our_token(request):
            return None
        return authenticate_request(request)

    def authenticate(self, request, token):
        return self(request)
