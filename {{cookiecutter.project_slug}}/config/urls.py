"""URL routes: the auth API, its pages and description, health, the admin, and in DEBUG ``/`` and
the reference front end ``/demo/``."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from accounts.demo import views as demo
from accounts.docs import views as docs
from accounts.middleware import json_handler
from accounts.pages import views as pages
from accounts.social import views as social
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
    # The reference front end (DEBUG only; see accounts/demo/).
    re_path(r"^demo/?$", demo.demo_page, name="demo"),
    path("demo/<str:name>", demo.demo_asset, name="demo_asset"),
    # DEBUG only: the end of a social sign-in when this server is the front end (make run).
    re_path(r"^social/?$", social.social_page, name="social_page"),
    path("pages/social.js", social.social_script, name="social_script"),
    path("admin/", admin.site.urls),
    path("", index, name="index"),  # DEBUG only: a JSON 404 in production
]

# A page that adds a passkey and logs in with it, and its scripts (accounts/pages/): in DEBUG
# only; the browser test mounts them with tests/passkey_urls.py.
PASSKEY_PAGES = [
    re_path(r"^passkeys/?$", pages.passkeys_page, name="passkeys_page"),
    path("pages/passkeys.js", pages.passkeys_script, name="passkeys_script"),
    path("pages/passkeys-page.js", pages.passkeys_page_script, name="passkeys_page_script"),
]
if settings.DEBUG:
    urlpatterns += PASSKEY_PAGES

# JSON, never an HTML page or a stack trace (SEC-40).
handler400 = json_handler(400)
handler403 = json_handler(403)
handler404 = json_handler(404)
handler500 = json_handler(500)
