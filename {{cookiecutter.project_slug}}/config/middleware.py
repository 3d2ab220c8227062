"""Django's ``CommonMiddleware`` without slash redirects for the API.

With ``APPEND_SLASH`` (on by default) Django answers ``POST /api/notes`` for a
route ``api/notes/`` with a 301 to ``/api/notes/``; clients follow it with a GET
and the body is lost (in DEBUG, Django raises instead: a 500). Under ``/api/``
this middleware routes the request to the slashed path in place, so a project's
own API routes answer with or without the trailing slash, as the auth API does.
Other paths (the admin, the pages) keep Django's redirect.
"""

from django.middleware.common import CommonMiddleware as DjangoCommonMiddleware

API_PREFIX = "/api/"


class CommonMiddleware(DjangoCommonMiddleware):
    """``CommonMiddleware`` that serves ``/api/x`` as ``/api/x/`` instead of redirecting."""

    def process_request(self, request):
        if request.path_info.startswith(API_PREFIX) and self.should_redirect_with_slash(request):
            request.path_info += "/"
            request.path += "/"
        return super().process_request(request)
