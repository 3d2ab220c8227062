"""The OpenAPI 3.1 description of the HTTP API, served at ``GET /api/openapi.json``.

Put together from each package's ``openapi.py`` (one ``operation(...)`` per method: its
summary, whether it needs a token, its body and query, its success answers and the error
``code`` values its 400s can carry), then from each module the ``API_DESCRIPTIONS`` setting
names (the project's own endpoints: ``config/openapi.py`` by default), and the shared
``accounts.openapi.components``. Describe a new endpoint in one of those
(docs/writing-endpoints.md).

The document is built per request, so settings (the password length limits) apply at once.
"""

from importlib import import_module

from accounts import conf
from accounts.auth import openapi as auth
from accounts.codes import openapi as codes
from accounts.lifecycle import openapi as lifecycle
from accounts.mfa import openapi as mfa
from accounts.mfa.passkeys import openapi as passkeys
from accounts.openapi.components import components
from accounts.reauth import openapi as reauth
from accounts.sessions import openapi as sessions
from accounts.social import openapi as social

# The auth API's own declarations, in the order the document lists them.
PACKAGES = (auth, codes, mfa, passkeys, sessions, reauth, lifecycle, social)

OPENAPI_VERSION = "3.1.0"
API_VERSION = "1.0.0"  # raise it when a client would see a change


DESCRIPTION = """\
JSON in and out. Every path also answers with a trailing slash.

Every failure is `{"error": "<message>", "code": "<code>"}`; each answer below lists the
codes it can carry. A method a path does not answer gets a 405 with `Allow` (see
`MethodNotAllowed`); an API answer is never cached (`Cache-Control: no-store`).
"""


def title() -> str:
    site = conf.get("SITE_NAME") or "Auth"
    return site if site.endswith("API") else f"{site} API"


def project_descriptions() -> list:
    """Return the modules ``API_DESCRIPTIONS`` names: each has ``paths()`` and may have ``TAGS``."""
    return [import_module(name) for name in conf.get("API_DESCRIPTIONS")]


def document() -> dict:
    """Return the whole OpenAPI document."""
    extra = project_descriptions()
    paths = {}
    for source in (*PACKAGES, *extra):
        paths.update(source.paths())
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": title(),
            "version": API_VERSION,
            "description": DESCRIPTION,
        },
        "servers": [{"url": "/"}],
        "tags": [
            {"name": "account", "description": "Registration and the account itself"},
            {"name": "session", "description": "Login tokens"},
            {
                "name": "email links",
                "description": "The one-time links mailed to verify an address, reset a password "
                "or move the account to a new address",
            },
            {"name": "two-factor", "description": "TOTP, recovery codes, a passkey as second step"},
            {"name": "passkeys", "description": "Passkeys (WebAuthn): add, list, log in with one"},
            {"name": "social login", "description": "Google, Apple, Microsoft, GitHub, OIDC"},
            *(tag for source in extra for tag in getattr(source, "TAGS", [])),
        ],
        "paths": paths,
        "components": components(),
    }
