"""``@authenticated`` under its public path: ``from accounts.decorators import authenticated``.

It lives in ``accounts.sessions.decorators``; this module only keeps the public name.
"""

from accounts.sessions.decorators import authenticate_request, authenticated

__all__ = ["authenticate_request", "authenticated"]
