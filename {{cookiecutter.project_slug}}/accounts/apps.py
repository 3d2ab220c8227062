from django.apps import AppConfig
from django.core import checks


class AccountsConfig(AppConfig):
    """User accounts: registration, token login, email verification and password reset."""

    name = "accounts"

    def ready(self):
        """Wire the layers together once every model is loaded (docs/architecture.md).

        The models sit below the flows, so they cannot import them: the seed's ``User``
        methods get their flows here, and importing the sessions connects the signals that
        end or keep them when a password changes. The flows that register outbox tasks are
        imported in every process, so a sender can run what any request queued.
        """
        from accounts import models
        from accounts.auth import flows as auth
        from accounts.checks import (
            check_client_ip,
            log_client_ip_problems,
            mfa_key_check,
            passkey_origin_check,
            profile_fields_check,
            social_providers_check,
        )
        from accounts.codes import flows as codes  # noqa: F401 - its outbox task
        from accounts.lifecycle import flows as lifecycle  # noqa: F401 - its outbox task
        from accounts.sessions import flows as sessions
        from accounts.sessions import tokens  # noqa: F401 - connects its signal receivers

        models.SEED_FLOWS.update(
            register=auth.register,
            login=auth.login,
            logout=sessions.logout,
            send_email=auth.send_email,
            handle_email_request=auth.handle_email_request,
        )
        checks.register(mfa_key_check)
        checks.register(passkey_origin_check)
        checks.register(social_providers_check)
        checks.register(profile_fields_check, checks.Tags.models)
        checks.register(check_client_ip, checks.Tags.security)
        log_client_ip_problems()
