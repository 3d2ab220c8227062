"""The project's URLs plus the two benchmark views, under ``/api/bench/``."""

from django.urls import re_path

from bench import views
from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    re_path(r"^api/bench/bare/?$", views.bare, name="bench_bare"),
    re_path(r"^api/bench/floor/?$", views.floor, name="bench_floor"),
    *project_urlpatterns,
]
