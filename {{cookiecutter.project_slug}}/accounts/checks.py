"""System checks (``manage.py check``): configuration the app can run without, but should not."""

from django.conf import settings
from django.core.checks import Warning as CheckWarning

from accounts import conf

MFA_KEY_MIN_LENGTH = 32


def mfa_key_check(app_configs=None, **kwargs) -> list:
    """Report a missing or weak ``AUTH_MFA_KEY``: two-factor authentication needs it.

    A warning, not an error: the rest of the API works without it, and MFA
    endpoints and MFA logins answer 503 ``mfa_unavailable`` rather than ever
    storing a secret in clear (SEC-51).
    """
    key = conf.get("AUTH_MFA_KEY")
    if not key:
        return [
            CheckWarning(
                "AUTH_MFA_KEY is not set: two-factor authentication answers 503 mfa_unavailable.",
                hint="Set it to a random value (make install writes one to .env), e.g. "
                "python -c 'import secrets; print(secrets.token_urlsafe(32))'.",
                id="accounts.W101",
            )
        ]
    problems = []
    if len(key) < MFA_KEY_MIN_LENGTH:
        problems.append(
            CheckWarning(
                f"AUTH_MFA_KEY is shorter than {MFA_KEY_MIN_LENGTH} characters.",
                hint="Use 32 random bytes, e.g. secrets.token_urlsafe(32), and rotate to it "
                "(README: Two-factor authentication).",
                id="accounts.W102",
            )
        )
    if key == settings.SECRET_KEY:
        problems.append(
            CheckWarning(
                "AUTH_MFA_KEY is the same as DJANGO_SECRET_KEY.",
                hint="Give the MFA key a value of its own, so one leak does not open both.",
                id="accounts.W103",
            )
        )
    return problems
