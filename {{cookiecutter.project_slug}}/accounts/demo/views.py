"""``GET /demo/``: the reference front end, in DEBUG only; a JSON 404 in production.

``GET /social`` serves the same page: the end of a social sign-in's round trip, which comes
back to ``{FRONTEND_URL}/social#code=...``, when this server is the front end (``make run``).

The page is static but for two values it is rendered with (the site name, and the API's
origin when ``DEMO_API_URL`` points it at another server). Its script and style sheet are
files of this package, served as they are. A strict Content-Security-Policy: scripts and
styles from this origin only (no inline script, no inline style), requests to this origin
and the API's, data: images for the QR code of the MFA set-up.
"""

from pathlib import Path

from django.conf import settings
from django.http import FileResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from accounts import conf
from accounts.core.http import api_view
from accounts.errors import NotFound

FILES = Path(__file__).resolve().parent / "templates" / "accounts" / "demo"
# name -> content type: the only files served, so no path comes from the request.
ASSETS = {"demo.js": "text/javascript", "demo.css": "text/css"}


def content_security_policy(api: str) -> str:
    """Return the page's policy: this origin (and the API's) only, nothing inline."""
    connect = f"'self' {api}" if api else "'self'"
    return (
        f"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src {connect}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


def _require_debug() -> None:
    if not settings.DEBUG:
        raise NotFound()


@never_cache
@api_view("GET", "HEAD")
def demo_page(request):
    _require_debug()
    api = conf.get("DEMO_API_URL")
    context = {"site_name": conf.get("SITE_NAME"), "api_base": api}
    response = render(request, "accounts/demo/index.html", context)
    response["Content-Security-Policy"] = content_security_policy(api)
    # The origin goes with each API call: Django 3.1 checks an HTTPS request's Referer.
    response["Referrer-Policy"] = "strict-origin-when-cross-origin"
    return response


@never_cache
@api_view("GET", "HEAD")
def demo_asset(request, name: str):
    _require_debug()
    if name not in ASSETS:
        raise NotFound()
    return FileResponse((FILES / name).open("rb"), content_type=ASSETS[name])
