"""Routing a request's method: the one decorator every JSON view of the API starts with."""

import functools

from django.views.decorators.csrf import csrf_exempt

from accounts.errors import MethodNotAllowed


def api_view(*methods: str):
    """Route each allowed method to its handler; any other method is a JSON 405 with ``Allow``."""

    def decorate(view):
        @csrf_exempt  # token in a header, no cookies: CSRF does not apply (SEC-35)
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                raise MethodNotAllowed(request.method, list(methods))
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
