"""URL routes: the auth API, its pages and description, health, the admin, and in DEBUG ``/`` and
the reference front end ``/demo/`` (also at ``/social``, where a social sign-in comes back)."""

from django.contrib import admin
from django.urls import include, path, re_path

from accounts.demo import views as demo
from accounts.docs import views as docs
from accounts.middleware import json_handler
from accounts.pages import views as pages
from config.index import index
from config.views import health

urlpatterns = [
    path("api/auth/", include("accounts.urls")),
    re_path(r"^api/health/?$", health, name="health"),
    # The API's description and its interactive page (API_DOCS_ENABLED; see accounts/docs/).
    path("api/openapi.json", docs.openapi_json, name="openapi"),
    re_path(r"^api/docs/?$", docs.docs_page, name="api_docs"),
    path("api/docs/<str:name>", docs.docs_asset, name="api_docs_asset"),
    re_path(r"^verify/?$", pages.verify_page, name="verify_page"),
    re_path(r"^reset/?$", pages.reset_page, name="reset_page"),
    re_path(r"^email/?$", pages.email_page, name="email_page"),
    path("pages/auth.js", pages.pages_script, name="pages_script"),
    # The reference front end (DEBUG only; see accounts/demo/). A social sign-in comes back to
    # {FRONTEND_URL}/social#code=...: when this server is the front end (make run), the demo.
    re_path(r"^demo/?$", demo.demo_page, name="demo"),
    path("demo/<str:name>", demo.demo_asset, name="demo_asset"),
    re_path(r"^social/?$", demo.demo_page, name="social_landing"),
    path("admin/", admin.site.urls),
    path("", index, name="index"),  # DEBUG only: a JSON 404 in production
]

# JSON, never an HTML page or a stack trace (SEC-40).
handler400 = json_handler(400)
handler403 = json_handler(403)
handler404 = json_handler(404)
handler500 = json_handler(500)
