"""Refuse production settings that would make the deployment forgeable or leak secrets.

Run from ``config/settings.py`` when ``DJANGO_DEBUG`` is off (the cookie rule always). Each
refusal is an ``ImproperlyConfigured`` with one line saying what to do, so a container that
would be unsafe stops at start-up instead of serving.
"""

from django.core.exceptions import ImproperlyConfigured

MAKE_A_KEY = (
    "make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(50))' "
    "(or `make secrets` for docker compose)"
)
# Placeholders seen in examples and docs: a key anyone can read signs anyone's sessions.
PLACEHOLDER_KEYS = {"change-me", "changeme", "secret", "secret-key", "your-secret-key"}
CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"


def refuse_weak_secret_key(key: str) -> None:
    """Refuse a placeholder, short or ``django-insecure-`` key (Django's own W009 rules)."""
    if key.strip().lower() in PLACEHOLDER_KEYS:
        problem = "is a placeholder"
    elif key.startswith("django-insecure-"):
        problem = "is one of Django's django-insecure- development keys"
    elif len(key) < 50:
        problem = f"has {len(key)} characters, fewer than 50"
    elif len(set(key)) < 5:
        problem = "has fewer than 5 different characters"
    else:
        return
    raise ImproperlyConfigured(f"DJANGO_SECRET_KEY {problem}: {MAKE_A_KEY}.")


def refuse_console_email(backend: str) -> None:
    """Refuse the console email backend: it prints reset links, as good as a password."""
    if backend == CONSOLE_BACKEND:
        raise ImproperlyConfigured(
            "EMAIL_BACKEND is the console backend, which prints every link (a reset link is "
            "as good as a password) to the logs: it is for development only (DJANGO_DEBUG=1); "
            "set EMAIL_HOST and the other EMAIL_* variables of your mail provider."
        )


def refuse_proxy_without_count(trusted_proxies: int) -> None:
    """Refuse a proxy in front with no trusted hop: every client would have the proxy's address.

    Then one client's failed logins would throttle everyone's (SEC-60): the client address
    behind a proxy is the one the trusted hops append to ``X-Forwarded-For``.
    """
    if trusted_proxies == 0:
        raise ImproperlyConfigured(
            "DJANGO_BEHIND_PROXY=1 but AUTH_TRUSTED_PROXY_COUNT=0, so every client would have "
            "the proxy's address and share its login throttles: set AUTH_TRUSTED_PROXY_COUNT "
            "to the number of proxies that append to X-Forwarded-For (1 for one proxy)."
        )


def refuse_cross_site_cookie_without_secure(samesite: str, secure: bool) -> None:
    """Refuse ``SameSite=None`` cookies that are not ``Secure``: browsers drop them unseen."""
    if samesite == "None" and not secure:
        raise ImproperlyConfigured(
            "AUTH_COOKIE_SAMESITE=None needs Secure cookies (DJANGO_SECURE_COOKIES=1, HTTPS): "
            "browsers drop a SameSite=None cookie that is not Secure, so no browser session "
            "would ever start. Keep Lax unless the front end is on another site "
            "(docs/browser-sessions.md)."
        )


def refuse_lease_within_send_timeout(lease: float, timeout: float) -> None:
    """Refuse an outbox lease no longer than one send may take (``EMAIL_TIMEOUT``).

    A lease that ran out mid-send would let a second sender send the same mail.
    """
    if lease <= timeout:
        raise ImproperlyConfigured("AUTH_OUTBOX_LEASE_SECONDS must be longer than EMAIL_TIMEOUT")
