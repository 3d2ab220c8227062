from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """User accounts: registration, token login, email verification and password reset."""

    name = "accounts"

    def ready(self):
        from accounts import checks  # registers the system checks

        checks.log_client_ip_problems()
