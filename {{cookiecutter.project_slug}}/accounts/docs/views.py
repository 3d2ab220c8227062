"""``GET /api/openapi.json`` and ``GET /api/docs``: the API's description and a page to try it.

Both are on when ``API_DOCS_ENABLED`` is (by default with ``DJANGO_DEBUG``); otherwise they
answer 404 like any unknown path. The page is Swagger UI from the
``drf-spectacular-sidecar`` package (no DRF needed), served by this project itself: no CDN,
so the page runs under a Content-Security-Policy that allows this origin only.
"""

import functools
from importlib.resources import files
from pathlib import Path

from django.http import FileResponse, JsonResponse
from django.shortcuts import render

from accounts import conf
from accounts.core.http import api_view
from accounts.docs import document
from accounts.errors import NotFound

SWAGGER_UI = (
    files("drf_spectacular_sidecar") / "static" / "drf_spectacular_sidecar" / "swagger-ui-dist"
)
OWN = Path(__file__).resolve().parent / "templates" / "accounts" / "docs"
# name -> (file, content type): the only files served, so no path comes from the request.
ASSETS = {
    "swagger-ui-bundle.js": (SWAGGER_UI / "swagger-ui-bundle.js", "text/javascript"),
    "swagger-ui.css": (SWAGGER_UI / "swagger-ui.css", "text/css"),
    "favicon-32x32.png": (SWAGGER_UI / "favicon-32x32.png", "image/png"),
    "docs.js": (OWN / "docs.js", "text/javascript"),
}
# Scripts, styles and requests from this origin only: no inline script or style (Swagger UI
# styles through the DOM, which CSP allows), and data: images for the icons in its CSS.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def docs_enabled(view):
    """Answer 404 unless ``API_DOCS_ENABLED``: in production the description stays private."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not conf.get("API_DOCS_ENABLED"):
            raise NotFound()
        return view(request, *args, **kwargs)

    return wrapper


@docs_enabled
@api_view("GET")
def openapi_json(request):
    return JsonResponse(document.document(), json_dumps_params={"indent": 1})


@docs_enabled
@api_view("GET")
def docs_page(request):
    response = render(request, "accounts/docs/docs.html", {"site_name": conf.get("SITE_NAME")})
    response["Content-Security-Policy"] = CSP
    return response


@docs_enabled
@api_view("GET")
def docs_asset(request, name: str):
    if name not in ASSETS:
        raise NotFound()
    path, content_type = ASSETS[name]
    return FileResponse(path.open("rb"), content_type=content_type)
