"""Project-level views."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from pymongo.errors import PyMongoError

from accounts import store


@never_cache
@require_GET
def health(request):
    """Report whether the app can reach its database: 200 when it can, 503 when not."""
    try:
        store.database().command("ping")
    except PyMongoError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
