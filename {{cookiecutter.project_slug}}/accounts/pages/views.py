"""The ``/verify``, ``/reset`` and ``/email`` pages that email links open: templates, a little JS.

The token never leaves the page except in the API call's body: the script
removes it from the address bar first, and ``Referrer-Policy: no-referrer``
keeps it out of any request the page makes (SEC-20).

Each page says what its link will do and acts only when its button is pressed, never
on load: mail scanners open the links in mails and run their scripts (SEC-59).
"""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts import conf
from accounts.core.passwords import length_limits

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)


def _page(request, template: str):
    minimum, maximum = length_limits()
    context = {"site_name": conf.get("SITE_NAME"), "password_min": minimum or 1}
    response = render(request, template, {**context, "password_max": maximum})
    response["Referrer-Policy"] = "no-referrer"
    response["Content-Security-Policy"] = CSP
    return response


@never_cache
@require_GET
def verify_page(request):
    return _page(request, "accounts/pages/verify.html")


@never_cache
@require_GET
def reset_page(request):
    return _page(request, "accounts/pages/reset.html")


@never_cache
@require_GET
def email_page(request):
    return _page(request, "accounts/pages/email.html")


@require_GET
def pages_script(request):
    response = render(request, "accounts/pages/pages.js", content_type="text/javascript")
    response["Cache-Control"] = "public, max-age=300"
    return response
