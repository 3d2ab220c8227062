from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """User accounts: registration, token login, email verification and password reset."""

    name = "accounts"
