"""The auth app's settings, read when used (never at import) so tests can override them.

Each value is a Django setting; the defaults below apply when a project leaves it out.
"""

from django.conf import settings

DEFAULTS = {
    "AUTH_TOKEN_TTL": 7 * 24 * 3600,  # seconds a login token lives
    "AUTH_MAX_SESSIONS": 100,  # live sessions kept per account; a new login drops the oldest
    # Seconds a re-authentication (POST reauthenticate) lets a session do sensitive operations.
    "AUTH_REAUTH_SECONDS": 300,
    # SameSite of the browser session cookie (accounts.sessions.browser): Lax, Strict or None.
    "AUTH_COOKIE_SAMESITE": "Lax",
    "AUTH_VERIFY_LINK_TTL": 24 * 3600,  # seconds a verification link lives
    "AUTH_RESET_LINK_TTL": 3600,  # seconds a reset link lives
    "AUTH_PASSWORD_MAX_LENGTH": 1024,  # answered with a 400 before any hashing
    "AUTH_MAX_BODY_BYTES": 64 * 1024,  # API request bodies past this get a 413
    "AUTH_THROTTLE_ENABLED": True,
    # scope -> "limit/seconds", over accounts.security.throttling.DEFAULT_RATES
    "AUTH_THROTTLE_RATES": {},
    "AUTH_TRUSTED_PROXY_COUNT": 0,  # proxies that append to X-Forwarded-For; 0 trusts none
    # How accounts log in, as allauth's ACCOUNT_LOGIN_METHODS: what POST login's "username" may
    # be ("username", "email"), and "code": a one-time code mailed to the address (login/code).
    "AUTH_LOGIN_METHODS": ("username", "email", "code"),
    # A login by code lets an account with a second factor in without it (not by default).
    "AUTH_LOGIN_CODE_SKIPS_MFA": False,
    # POST register mails the verification link itself (POST verify still sends another).
    "AUTH_REGISTER_SENDS_VERIFICATION": True,
    # Mail (accounts.mail.outbox, accounts.mail.sender): "thread" sends from a thread in each server
    # process, "worker" leaves it to `manage.py send_mail_worker`, "sync" sends inside the
    # request (tests only: it brings back the timing difference SEC-53 removes).
    "AUTH_MAIL_DELIVERY": "thread",
    "AUTH_OUTBOX_MAX_ATTEMPTS": 6,  # sends tried before the mail is dropped and its link withdrawn
    "AUTH_OUTBOX_RETRY_SECONDS": 10,  # wait after the first failure; doubles after each one
    "AUTH_OUTBOX_LEASE_SECONDS": 120,  # a claimed message is claimable again after this
    "AUTH_OUTBOX_POLL_SECONDS": 2,  # how often an idle sender looks for mail
    "AUTH_OUTBOX_HEALTH_MAX_AGE": 300,  # oldest queued mail older than this: health "degraded"
    "AUTH_OUTBOX_HEALTH_MAX_DEPTH": 1000,  # more queued mail than this: health "degraded"
    # Seals TOTP secrets at rest (accounts.mfa.totp); without it MFA answers 503. The previous
    # key still opens old secrets while `manage.py rotate_mfa_key` re-seals them.
    "AUTH_MFA_KEY": "",
    "AUTH_MFA_KEY_PREVIOUS": "",
    # The admin's login refuses staff without a second factor (accounts.admin.login, SEC-56).
    "AUTH_ADMIN_REQUIRE_MFA": False,
    # Passkeys (accounts.mfa.passkeys): the relying party id they are scoped to (empty:
    # DOMAIN_NAME) and the origins, besides FRONTEND_URL's, whose pages and apps may use them.
    "AUTH_WEBAUTHN_RP_ID": "",
    "AUTH_WEBAUTHN_ORIGINS": (),
    # Social login (accounts.social): id -> provider settings (accounts/social/providers.py).
    "AUTH_SOCIAL_PROVIDERS": {},
    # Link a provider account to an existing account with the same verified address (both
    # sides verified) instead of answering 409 account_exists: see docs/social-login.md.
    "AUTH_SOCIAL_LINK_BY_VERIFIED_EMAIL": False,
    "AUTH_SOCIAL_TIMEOUT": 5,  # seconds one call to a provider may take, all of it
    "SITE_NAME": "",
    "DOMAIN_NAME": "",
    "FRONTEND_URL": "",
    "API_DOCS_ENABLED": False,  # GET /api/openapi.json and /api/docs (accounts.docs)
    "DEMO_API_URL": "",  # the API GET /demo/ (accounts.demo) calls; empty: this server's
    # Modules whose paths() (and TAGS) /api/openapi.json adds to the auth API's own.
    "API_DESCRIPTIONS": ("config.openapi",),
}


def get(name: str):
    """Return the setting ``name``, or its default."""
    return getattr(settings, name, DEFAULTS[name])


def frontend_link(page: str, token: str) -> str:
    """Build ``{FRONTEND_URL}/{page}?a={token}``: from settings, never from the request's Host."""
    return f"{get('FRONTEND_URL').rstrip('/')}/{page}?a={token}"
