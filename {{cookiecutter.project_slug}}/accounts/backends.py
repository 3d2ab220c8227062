"""The authentication backend: Django's, with the API's throttles and look-up (SEC-27).

``django.contrib.auth.authenticate()`` (``Client.login``, DRF's ``BasicAuthentication``,
any view a project adds) goes through ``authenticate`` here, so every password check
shares the API login's per-account and per-IP counts. Over a limit it raises
``Throttled`` (Django's ``authenticate()`` lets it through, unlike a ``PermissionDenied``),
which an API view turns into its JSON 429.

``authenticate()`` takes a password and nothing else, so it refuses an account with a
second factor, answering as for a wrong password, and logs the refusal (SEC-56): such an
account logs in where the second factor is asked, the API's ``login`` and ``login/mfa``
or the admin's two steps (``accounts.admin.login``, which checks the password itself).
"""

import logging

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
        if user.has_second_factor:
            security_event(
                "login_refused_second_factor",
                level=logging.WARNING,
                user=user.pk,
                via="authenticate",
            )
            return None
        security_event("login_ok", user=user.pk, via="authenticate")
        return user
