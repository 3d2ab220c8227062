"""Project-level views."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.database import database_is_reachable


@never_cache
@require_GET
def health(request):
    """Report whether the app can reach its database: 200 when it can, 503 when not."""
    if database_is_reachable():
        return JsonResponse({"status": "ok", "database": "ok"})
    return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
