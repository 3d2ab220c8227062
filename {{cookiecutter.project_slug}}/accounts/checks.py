"""System checks (``manage.py check``): configuration the app can run without, but should not.

- ``accounts.W001``: the server cannot tell clients apart, so per-IP throttles are
  one switch for everybody (SEC-27). Behind a proxy the client address is the
  proxy's unless ``AUTH_TRUSTED_PROXY_COUNT`` says to read ``X-Forwarded-For``, and
  behind a unix socket there is no address at all. Also logged at start-up
  (gunicorn runs no checks) and at the first request without a usable address
  (``accounts.core.client``).
- ``accounts.W101``-``W103``: the MFA key is missing, short or reused.
- ``accounts.W201``: a web origin allowed to use passkeys is not on the relying party id,
  so browsers there would refuse every passkey ceremony.
- ``accounts.E201``: a social login provider (``AUTH_SOCIAL_PROVIDERS``) that cannot work.
- ``accounts.E301``: ``User.PROFILE_FIELDS`` names a field its owner must not set, or one the
  API cannot carry.
"""

import logging
import os
import shlex
import sys

from django.conf import settings
from django.core.checks import Error as CheckError
from django.core.checks import Warning as CheckWarning
from django.core.exceptions import ImproperlyConfigured

from accounts import conf
from accounts.mfa.passkeys import relying_party
from accounts.models import User, profile
from accounts.social import providers

log = logging.getLogger("accounts.security")
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
                "(docs/two-factor.md).",
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


def passkey_origin_check(app_configs=None, **kwargs) -> list:
    """Warn about origins the relying party id does not cover (accounts.W201, SEC-61)."""
    return [
        CheckWarning(
            f"Passkeys cannot work there: {problem}.",
            hint="Set AUTH_WEBAUTHN_RP_ID to the domain of FRONTEND_URL (or a parent of it) "
            "and list only origins on it in AUTH_WEBAUTHN_ORIGINS (docs/passkeys.md).",
            id="accounts.W201",
        )
        for problem in relying_party.origin_problems()
    ]


def _bound_to_unix_socket() -> bool:
    """Tell whether this process is a gunicorn told to listen on a unix socket."""
    args = [*sys.argv, *shlex.split(os.environ.get("GUNICORN_CMD_ARGS", ""))]
    return any("unix:" in arg for arg in args)


def client_ip_problems() -> list[str]:
    """Return why the per-IP throttles would see one address for every client, if they would."""
    if conf.get("AUTH_TRUSTED_PROXY_COUNT") > 0:
        return []
    problems = []
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        problems.append(
            "the app trusts a proxy's X-Forwarded-Proto (DJANGO_BEHIND_PROXY), so REMOTE_ADDR "
            "is the proxy's address"
        )
    if _bound_to_unix_socket():
        problems.append("the server listens on a unix socket, so REMOTE_ADDR is no IP address")
    return problems


def check_client_ip(app_configs=None, **kwargs) -> list:
    """Warn when per-IP throttles cannot tell clients apart (accounts.W001)."""
    return [
        CheckWarning(
            f"Every client shares one per-IP throttle: {problem}.",
            hint="Set AUTH_TRUSTED_PROXY_COUNT to the number of proxies that append to "
            "X-Forwarded-For (see docs/throttling.md).",
            id="accounts.W001",
        )
        for problem in client_ip_problems()
    ]


def log_client_ip_problems() -> None:
    """Log the same warning once at start-up (gunicorn runs no system checks)."""
    for problem in client_ip_problems():
        log.warning(
            "event=no_client_ip every client shares one per-IP throttle: %s; "
            "set AUTH_TRUSTED_PROXY_COUNT",
            problem,
        )


def social_providers_check(app_configs=None, **kwargs) -> list:
    """Report a social login provider that cannot work (accounts.E201).

    An error, not a warning: its sign-ins would fail at the first user. The settings are
    read when used, so a request meeting the same mistake fails too (a 500 that logs it).
    """
    try:
        providers.configured()
    except ImproperlyConfigured as exc:
        hint = "See docs/social-login.md for each provider's settings."
        return [CheckError(str(exc), hint=hint, id="accounts.E201")]
    return []


def profile_fields_check(app_configs=None, **kwargs) -> list:
    """Report what is wrong with ``User.PROFILE_FIELDS`` (accounts.E301).

    An error: ``PATCH me`` refuses to run with such a list (a 500 that logs it), rather than
    let an account's owner set ``is_staff`` or its own address.
    """
    return [
        CheckError(
            f"User.PROFILE_FIELDS: {problem}.",
            hint="List only fields the account's owner may set freely (docs/add-a-field.md).",
            id="accounts.E301",
        )
        for problem in profile.problems(User)
    ]
