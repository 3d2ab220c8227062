"""Django REST framework authentication with the project's login tokens.

Install with ``pip install -e ".[drf]"`` (or ``make install EXTRAS=dev,drf``), then::

    from accounts.integrations.drf import TokenAuthentication

    class Notes(APIView):
        authentication_classes = [TokenAuthentication]
        permission_classes = [IsAuthenticated]

or list it in ``REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]``.
"""

from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed

from accounts.errors import NotAuthenticated
from accounts.integrations import sends_our_token
from accounts.sessions.decorators import authenticate_request


class TokenAuthentication(BaseAuthentication):
    """Authenticate ``Authorization: Bearer <token>`` (or the bare token) like ``@authenticated``.

    A browser session cookie works too, as for ``@authenticated``: its POST, PUT, PATCH and
    DELETE need the ``X-CSRFToken`` header, else a JSON 403 ``csrf_failed``.

    No token: ``None``, so DRF tries the next class and its permissions answer 401. A bad,
    revoked or expired token: 401 with the same ``code`` as the auth API
    (``invalid_token``, ``token_expired``). ``request.auth`` is the session
    (``accounts.sessions.tokens.Session``: id, created_at, expires_at, user_agent).
    """

    def authenticate(self, request):
        django_request = request._request
        if not sends_our_token(django_request):
            return None
        try:
            user = authenticate_request(django_request)
        except NotAuthenticated as error:
            raise AuthenticationFailed(error.message, code=error.code) from None
        return user, django_request.auth_session

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
