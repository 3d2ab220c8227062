"""Views written the way the README tells a developer to: with ``accounts.api`` only."""

from django.http import JsonResponse
from django.urls import include, path

from accounts.api import api_view, authenticated, read_json, string_field


@api_view("GET", "POST", "PUT", "PATCH", "DELETE")
@authenticated
def echo(request):
    """Answer the token's user and, for a body, its ``text`` field."""
    body = {"method": request.method, "username": request.user.username}
    if request.method in ("POST", "PUT", "PATCH"):
        body["text"] = string_field(read_json(request), "text", max_length=100)
    return JsonResponse(body)


@authenticated
def bare(request):
    """``@authenticated`` alone, with no ``api_view`` around it."""
    return JsonResponse({"method": request.method, "username": request.user.username})


def plain(request):
    """A Django view of one's own under /api/: neither decorator, so CSRF-protected."""
    return JsonResponse({"method": request.method})


urlpatterns = [
    path("api/auth/", include("accounts.urls")),
    path("api/echo/", echo),
    path("api/bare/", bare),
    path("api/plain/", plain),
]
