"""The project's URLs plus one DRF and one django-ninja endpoint that use the adapters.

Imported only by ``tests/test_integrations.py``, after it has checked both are installed.
"""

from django.urls import path
from ninja import NinjaAPI
from rest_framework.authentication import BasicAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.integrations.drf import TokenAuthentication
from accounts.integrations.ninja import TokenAuth
from config.urls import urlpatterns as project_urlpatterns


class WhoAmI(APIView):
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]

    def get(self, request):
        return Response({"username": request.user.username, "session": request.auth.id})


class BasicWhoAmI(APIView):
    """DRF's own BasicAuthentication: a username and password through authenticate()."""

    authentication_classes = [BasicAuthentication]
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]

    def get(self, request):
        return Response({"username": request.user.username})


ninja_api = NinjaAPI(auth=TokenAuth(), urls_namespace="integration_test")


@ninja_api.get("/whoami")
def whoami(request):
    return {"username": request.auth.username}


urlpatterns = [
    path("ext/drf/whoami", WhoAmI.as_view()),
    path("ext/drf/basic", BasicWhoAmI.as_view()),
    path("ext/ninja/", ninja_api.urls),
    *project_urlpatterns,
]
