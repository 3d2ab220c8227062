"""The OpenAPI 3.1 description of the HTTP API, served at ``GET /api/openapi.json``.

- ``paths.py``: every operation, one ``operation(...)`` call each: its summary, whether it
  needs a token, its body and query, its success answers and the error ``code`` values its
  400s can carry. Describe a new endpoint there (README: "Describing a new endpoint").
  ``mfa_paths.py`` and ``lifecycle_paths.py`` hold the two-factor and lifecycle ones.
- ``components.py``: what operations share, declared once: the error body, the
  401/405/413/415/429/503 answers with their ``WWW-Authenticate``, ``Allow`` and
  ``Retry-After`` headers, and the token security scheme.
- ``builders.py``: the helpers both are written with.

The document is built per request, so settings (the password length limits) apply at once.
"""

from accounts import conf
from accounts.openapi.components import components
from accounts.openapi.paths import paths

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


def document() -> dict:
    """Return the whole OpenAPI document."""
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
            {"name": "email links", "description": "Verification and password reset"},
            {"name": "two-factor", "description": "TOTP and recovery codes"},
            {"name": "health", "description": "Probes for load balancers"},
        ],
        "paths": paths(),
        "components": components(),
    }
