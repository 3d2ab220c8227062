from django.apps import AppConfig
from django.core import checks


class AccountsConfig(AppConfig):
    """User accounts: registration, token login, email verification and password reset."""

    name = "accounts"

    def ready(self):
        from accounts.checks import check_client_ip, log_client_ip_problems, mfa_key_check

        checks.register(mfa_key_check)
        checks.register(check_client_ip, checks.Tags.security)
        log_client_ip_problems()
