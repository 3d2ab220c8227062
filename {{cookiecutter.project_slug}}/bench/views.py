"""The benchmark's reference views: what ``GET /api/auth/me`` is measured against."""

from django.http import JsonResponse

from accounts import store
from accounts.core.payload import bearer_token
from accounts.models import User


def bare(request):
    """Answer JSON through the same middleware, without touching the database."""
    return JsonResponse({"ok": True})


def floor(request):
    """Answer with one ``find_one`` by primary key (the token's account) and no checks.

    The same read ``GET me`` makes, so the ratio between the two is what the rest of
    authenticating costs: hashing the token, matching the session, building the user.
    """
    account = bearer_token(request).partition(".")[0]
    document = store.collection(User).find_one({User._meta.pk.column: store.pk_from_text(account)})
    return JsonResponse({"username": document["username"] if document else None})
