"""URL routes: the auth API, its pages, health and the admin."""

from django.contrib import admin
from django.urls import path, re_path

from config.views import health

urlpatterns = [
    re_path(r"^api/health/?$", health, name="health"),
    path("admin/", admin.site.urls),
]
