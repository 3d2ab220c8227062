"""Settings for this project, read from the environment.

Every value can be overridden by an environment variable (docs/configuration.md); the
answers given when this project was baked are only defaults.
"""

import os
from pathlib import Path

import django
from corsheaders.defaults import default_headers
from django.core.exceptions import ImproperlyConfigured

from config.database import (  # noqa: F401 - DEFAULT_AUTO_FIELD, MIGRATION_MODULES are settings
    CONTRIB_APPS,
    DEFAULT_AUTO_FIELD,
    MIGRATION_MODULES,
    database_settings,
)
from config.env import (
    env_bool,
    env_choice,
    env_choices,
    env_int,
    env_list,
    env_origins,
    env_rates,
    env_seconds,
    env_secret,
    env_str,
    load_dotenv,
    origin,
    social_providers,
)
from config.log import logging_config
from config.safety import (
    refuse_console_email,
    refuse_cross_site_cookie_without_secure,
    refuse_lease_within_send_timeout,
    refuse_proxy_without_count,
    refuse_weak_secret_key,
)

BASE_DIR = Path(__file__).resolve().parent.parent
load_dotenv(Path(os.environ.get("DJANGO_ENV_FILE", BASE_DIR / ".env")))

# --- Answers baked by cookiecutter (defaults only) -----------------------------
PROJECT_SLUG = {{ cookiecutter.project_slug | tojson }}
SITE_NAME = env_str("SITE_NAME", {{ cookiecutter.site_name | tojson }})
DOMAIN_NAME = env_str("DOMAIN_NAME", {{ cookiecutter.domain_name | tojson }})
FRONTEND_URL = env_str("FRONTEND_URL", {{ cookiecutter.frontend_url | tojson }}).rstrip("/")
# `make run` sets LOCAL_SERVER_URL: unless FRONTEND_URL is set (environment or .env), the
# links printed by the console email backend then open this project's own local pages.
if not os.environ.get("FRONTEND_URL") and os.environ.get("LOCAL_SERVER_URL"):
    FRONTEND_URL = os.environ["LOCAL_SERVER_URL"].rstrip("/")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", {{ cookiecutter.from_email | tojson }})
AUTH_TOKEN_TTL = env_int("AUTH_TOKEN_TTL", {{ cookiecutter.auth_token_ttl_hours | int }} * 3600)
AUTH_VERIFY_LINK_TTL = env_int("AUTH_VERIFY_LINK_TTL", {{ cookiecutter.verify_link_ttl_hours | int }} * 3600)
AUTH_RESET_LINK_TTL = env_int("AUTH_RESET_LINK_TTL", {{ cookiecutter.reset_link_ttl_minutes | int }} * 60)
# Seconds a POST reauthenticate lets its session turn MFA on or off, change the address,
# rename or delete the account (SEC-55).
AUTH_REAUTH_SECONDS = env_int("AUTH_REAUTH_SECONDS", 300)

# --- Core ----------------------------------------------------------------------
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_secret("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set: run `make install` (it writes one to .env) "
        "or set it in the environment."
    )
if not DEBUG:
    refuse_weak_secret_key(SECRET_KEY)  # config/safety.py: placeholders, short keys
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [DOMAIN_NAME]
)
# The container's health check (config/healthcheck.py) asks for /api/health with this Host:
# allowed explicitly, so the probe passes with production ALLOWED_HOSTS. Empty: not added.
HEALTH_CHECK_HOST = os.environ.get("HEALTH_CHECK_HOST", "localhost")
if HEALTH_CHECK_HOST and HEALTH_CHECK_HOST not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append(HEALTH_CHECK_HOST)

INSTALLED_APPS = [
    *CONTRIB_APPS,
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "accounts",
]

MIDDLEWARE = [
    # First, so every answer under /api/ (JSON errors included) carries the CORS headers, and a
    # preflight is answered before anything else runs.
    "corsheaders.middleware.CorsMiddleware",
    "accounts.middleware.ApiMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files (the admin's), from STATIC_ROOT
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.CommonMiddleware",  # Django's, minus slash redirects under /api/
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Project-level templates win over the apps' own: templates/README.md says how. Then
        # each package of accounts/ keeps its own templates (accounts/mail/templates/, ...).
        "DIRS": [BASE_DIR / "templates", *sorted((BASE_DIR / "accounts").glob("*/templates"))],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database: MongoDB ---------------------------------------------------------
# The database name is the URI's path when it has one, else the project slug.
MONGODB_URI = env_secret("MONGODB_URI", "mongodb://127.0.0.1:27017")  # or MONGODB_URI_FILE
DATABASES = {"default": database_settings(MONGODB_URI, PROJECT_SLUG)}
# DEFAULT_AUTO_FIELD, MIGRATION_MODULES and the contrib apps come from config/database.py.

# --- Users and passwords -------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Django's ModelBackend with the API login's look-up and throttles, so the admin's login
# (and any other authenticate()) is throttled like POST /api/auth/login (SEC-27).
AUTHENTICATION_BACKENDS = ["accounts.backends.ThrottledModelBackend"]
# bcrypt-SHA256 first: bcrypt alone truncates at 72 bytes. PBKDF2 stays for upgrades.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# NIST SP 800-63B: length (15+, at most AUTH_PASSWORD_MAX_LENGTH), no composition rules,
# not common, not built from the username, email or site name.
AUTH_PASSWORD_MAX_LENGTH = 1024
# How accounts log in: "username", "email" (POST login's "username" field takes either) and
# "code" (POST and PUT login/code: a one-time code mailed to the account, docs/login-by-code.md).
AUTH_LOGIN_METHODS = env_choices(
    "AUTH_LOGIN_METHODS", ["username", "email", "code"], {"username", "email", "code"}
)
# A login by code still asks an account with a second factor for it; 1 lets the code alone in.
AUTH_LOGIN_CODE_SKIPS_MFA = env_bool("AUTH_LOGIN_CODE_SKIPS_MFA", False)
# POST register sends the verification email itself; 0 leaves it to POST verify, as the seed did.
AUTH_REGISTER_SENDS_VERIFICATION = env_bool("AUTH_REGISTER_SENDS_VERIFICATION", True)
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("AUTH_PASSWORD_MIN_LENGTH", 15)},
    },
    {"NAME": "accounts.core.passwords.CommonPasswordValidator"},
    {"NAME": "accounts.core.passwords.ContextPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]

# --- Two-factor authentication (accounts.mfa) -------------------------------------
# Seals TOTP secrets at rest. Unset: MFA answers 503 mfa_unavailable and `check` says so.
# Rotate with AUTH_MFA_KEY_PREVIOUS + `manage.py rotate_mfa_key` (docs/two-factor.md).
AUTH_MFA_KEY = env_secret("AUTH_MFA_KEY", "")  # or AUTH_MFA_KEY_FILE (a Docker secret)
AUTH_MFA_KEY_PREVIOUS = env_str("AUTH_MFA_KEY_PREVIOUS", "")
# The admin's login always asks an account with a second factor for it (accounts/admin/login.py);
# on, it also refuses staff who have none, saying how to turn it on.
AUTH_ADMIN_REQUIRE_MFA = env_bool("AUTH_ADMIN_REQUIRE_MFA", False)

# --- Passkeys (accounts.mfa.passkeys; docs/passkeys.md) ---------------------------
# The relying party id passkeys are bound to: this domain or a parent of it, and every web
# origin below must be on it (`check` warns otherwise). Browsers offer no passkeys on an IP
# address, so `make run` (LOCAL_SERVER_URL) uses localhost: open http://localhost:8000.
_LOCAL_SERVER = os.environ.get("LOCAL_SERVER_URL", "").rstrip("/")
AUTH_WEBAUTHN_RP_ID = env_str("AUTH_WEBAUTHN_RP_ID", "localhost" if _LOCAL_SERVER else DOMAIN_NAME)
# Origins besides FRONTEND_URL's that may use them: other front ends, Android apps
# (android:apk-key-hash:<base64url SHA-256 of the app's signing certificate>).
AUTH_WEBAUTHN_ORIGINS = env_list(
    "AUTH_WEBAUTHN_ORIGINS",
    [_LOCAL_SERVER.replace("//127.0.0.1:", "//localhost:")] if _LOCAL_SERVER else [],
)

# --- Social login (accounts.social; docs/social-login.md) ------------------------------
# JSON, id -> settings: {"google": {"client_id": "...", "client_secret": "..."}}; or a file
# named by AUTH_SOCIAL_PROVIDERS_FILE. A secret may come on its own instead:
# AUTH_SOCIAL_<ID>_CLIENT_SECRET (Apple: _PRIVATE_KEY), or the file its *_FILE names.
AUTH_SOCIAL_PROVIDERS = social_providers(env_secret("AUTH_SOCIAL_PROVIDERS", ""))
# Link a provider account to the account with the same address when both verified it (the
# docs explain the risk); off: such a sign-in answers 409 account_exists.
AUTH_SOCIAL_LINK_BY_VERIFIED_EMAIL = env_bool("AUTH_SOCIAL_LINK_BY_VERIFIED_EMAIL", False)
AUTH_SOCIAL_TIMEOUT = env_seconds("AUTH_SOCIAL_TIMEOUT", 5)  # one call to a provider, in all

# --- Abuse resistance (accounts.security.throttling; counters live in MongoDB) ------
# "scope=limit/seconds,..." over the defaults in accounts/throttling.py.
AUTH_THROTTLE_RATES = env_rates("AUTH_THROTTLE_RATES")
AUTH_THROTTLE_ENABLED = env_bool("AUTH_THROTTLE_ENABLED", True)
# How many proxies in front append to X-Forwarded-For; 0 (default) trusts none of it.
AUTH_TRUSTED_PROXY_COUNT = env_int("AUTH_TRUSTED_PROXY_COUNT", 0, minimum=0)
AUTH_MAX_BODY_BYTES = env_int("AUTH_MAX_BODY_BYTES", 64 * 1024)

# --- API description -----------------------------------------------------------
# GET /api/openapi.json and the Swagger UI page /api/docs: on in development, opt-in in
# production (they describe every endpoint, which an attacker need not be handed).
API_DOCS_ENABLED = env_bool("API_DOCS_ENABLED", DEBUG)
# The modules whose paths() and TAGS /api/openapi.json adds to the auth API's own: the
# project's (config/openapi.py), then each app's openapi.py (`make app` appends it).
API_DESCRIPTIONS = [
    "config.openapi",
]

# --- Email ---------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / ".mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_seconds("EMAIL_TIMEOUT", 10)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if not DEBUG:
    refuse_console_email(EMAIL_BACKEND)  # config/safety.py: links would land in the logs
# Requests only queue mail in MongoDB (accounts.mail.outbox); a sender delivers it: a thread
# in each server process ("thread"), or `manage.py send_mail_worker` alone ("worker").
# See docs/mail.md.
AUTH_MAIL_DELIVERY = env_choice("AUTH_MAIL_DELIVERY", "thread", {"thread", "worker", "sync"})
AUTH_OUTBOX_MAX_ATTEMPTS = env_int("AUTH_OUTBOX_MAX_ATTEMPTS", 6)
AUTH_OUTBOX_RETRY_SECONDS = env_seconds("AUTH_OUTBOX_RETRY_SECONDS", 10)
AUTH_OUTBOX_LEASE_SECONDS = env_seconds("AUTH_OUTBOX_LEASE_SECONDS", 120)
refuse_lease_within_send_timeout(AUTH_OUTBOX_LEASE_SECONDS, EMAIL_TIMEOUT)
AUTH_OUTBOX_POLL_SECONDS = env_seconds("AUTH_OUTBOX_POLL_SECONDS", 2)
AUTH_OUTBOX_HEALTH_MAX_AGE = env_int("AUTH_OUTBOX_HEALTH_MAX_AGE", 300)
AUTH_OUTBOX_HEALTH_MAX_DEPTH = env_int("AUTH_OUTBOX_HEALTH_MAX_DEPTH", 1000)

# --- HTTP security -------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# The health probe comes from inside the container over plain HTTP: exempt its path only.
SECURE_REDIRECT_EXEMPT = [r"^api/health/?$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"  # the /verify and /reset pages send no-referrer
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# Django's database sessions (the admin's), each row keyed by a digest of its key: a dump of
# django_session holds no working admin login (accounts/admin/sessions.py, SEC-56).
SESSION_ENGINE = "accounts.admin.sessions"
# A CSRF failure under /api/ or on the link pages is JSON 403 csrf_failed; the admin's stays
# Django's HTML page.
CSRF_FAILURE_VIEW = "accounts.middleware.csrf_failure"
X_FRAME_OPTIONS = "DENY"

# --- Browser sessions and front ends on other origins (docs/browser-sessions.md) ---------
# A client that sends X-Auth-Client: browser gets its session as an HttpOnly cookie, Secure
# (and __Host- prefixed) with the cookies above; unsafe methods it authenticates need the CSRF
# header (SEC-64). SameSite: Lax (default) suits a front end on the same site
# (app.example.com calling api.example.com); None, for another site, needs Secure cookies.
AUTH_COOKIE_SAMESITE = env_choice("AUTH_COOKIE_SAMESITE", "Lax", {"Lax", "Strict", "None"})
CSRF_COOKIE_SAMESITE = AUTH_COOKIE_SAMESITE
refuse_cross_site_cookie_without_secure(AUTH_COOKIE_SAMESITE, SESSION_COOKIE_SECURE)
# __Host-: a sibling subdomain cannot plant a CSRF cookie of its choosing (the admin's forms
# and browser sessions both rely on this cookie).
CSRF_COOKIE_NAME = "__Host-csrftoken" if CSRF_COOKIE_SECURE else "csrftoken"
# The pages allowed to call the API with the browser's cookies: FRONTEND_URL's origin and
# CORS_ALLOWED_ORIGINS (comma-separated). Any other origin's preflight gets no CORS headers.
FRONTEND_ORIGINS = [origin(FRONTEND_URL)]
FRONTEND_ORIGINS += [o for o in env_origins("CORS_ALLOWED_ORIGINS") if o not in FRONTEND_ORIGINS]
CORS_ALLOWED_ORIGINS = FRONTEND_ORIGINS
CORS_ALLOW_CREDENTIALS = True  # sent only with an allowed origin's Access-Control-Allow-Origin
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_HEADERS = (*default_headers, "x-auth-client")
CORS_EXPOSE_HEADERS = ["X-CSRFToken"]  # GET csrf and a browser login hand the token over in it
# The same origins pass Django's CSRF check: Django 4+ compares the Origin header with them;
# Django 3.1 (djongo) compares an HTTPS request's Referer with their host[:port].
CSRF_TRUSTED_ORIGINS = (
    FRONTEND_ORIGINS if django.VERSION >= (4, 0) else [o.split("://")[1] for o in FRONTEND_ORIGINS]
)
# GET /demo/ (DEBUG only): the API the reference front end calls; empty, this server's own.
DEMO_API_URL = os.environ.get("DEMO_API_URL", "")
if DEMO_API_URL:
    DEMO_API_URL = origin(DEMO_API_URL, "DEMO_API_URL")
if env_bool("DJANGO_BEHIND_PROXY", False):
    # Only behind a proxy that sets this header itself: otherwise clients could forge it.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    if not DEBUG:
        # config/safety.py: every client would share the proxy's address (and its throttles).
        refuse_proxy_without_count(AUTH_TRUSTED_PROXY_COUNT)

# --- Internationalisation and static files -------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# WhiteNoise serves what `collectstatic` gathered (the image does it at build), compressed and
# under hashed names cached for a year. STORAGES is Django 4.2+'s name, STATICFILES_STORAGE
# Django 3.1's (the djongo variant); each version ignores the other's.
STATIC_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": STATIC_STORAGE},
}
STATICFILES_STORAGE = STATIC_STORAGE

# Every handler scrubs link tokens and Authorization values (SEC-38): config/log.py.
LOGGING = logging_config(env_str("DJANGO_LOG_LEVEL", "INFO"))
