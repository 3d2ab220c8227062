from django.apps import AppConfig
from django.core import checks


class AccountsConfig(AppConfig):
    """User accounts: registration, token login, email verification and password reset."""

    name = "accounts"

    def ready(self):
        from accounts.checks import mfa_key_check

        checks.register(mfa_key_check)
