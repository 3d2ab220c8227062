"""URL routes: the auth API, its pages and description, health, the admin and (in DEBUG) ``/``."""

from django.contrib import admin
from django.urls import include, path, re_path

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
    # DEBUG only: the end of a social sign-in when this server is the front end (make run).
    re_path(r"^social/?$", social.social_page, name="social_page"),
    path("pages/social.js", social.social_script, name="social_script"),
    path("admin/", admin.site.urls),
    path("", index, name="index"),  # DEBUG only: a JSON 404 in production
]

# JSON, never an HTML page or a stack trace (SEC-40).
handler400 = json_handler(400)
handler403 = json_handler(403)
handler404 = json_handler(404)
handler500 = json_handler(500)
