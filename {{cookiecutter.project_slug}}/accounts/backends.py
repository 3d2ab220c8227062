"""The authentication backend: Django's, with the API's throttles and look-up (SEC-27).

``django.contrib.auth.authenticate()`` (the admin's login form, ``Client.login``,
any view a project adds) goes through ``authenticate`` here, so every password
check shares the API login's per-account and per-IP counts. Over a limit it
raises ``Throttled`` (Django's ``authenticate()`` lets it through, unlike a
``PermissionDenied``), which the admin shows as a form error with a 429 and an
API view turns into its JSON 429.
"""

from django.contrib.auth.backends import ModelBackend

from accounts.core.audit import security_event
from accounts.errors import InvalidCredentials
from accounts.models import User
from accounts.security import credentials


class ThrottledModelBackend(ModelBackend):
    """Check credentials as ``POST /api/auth/login`` does; permissions as ``ModelBackend``."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if not isinstance(username, str) or not isinstance(password, str):
            return None
        try:
            user = credentials.authenticate_user(username, password, request)
        except InvalidCredentials:
            return None
        security_event("login_ok", user=user.pk, via="authenticate")
        return user
