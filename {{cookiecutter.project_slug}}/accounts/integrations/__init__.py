"""The project's login tokens for endpoints built with other frameworks (DRF, django-ninja).

Each adapter calls ``accounts.sessions.decorators.authenticate_request``, the function behind
``@authenticated``: one read of the token and its user, the same checks (expiry,
revocation, an inactive account, the CSRF header of a browser session), whatever the framework.
"""

from accounts.sessions import browser


def sends_our_token(request) -> bool:
    """Tell whether the request carries a token of ours, in ``Authorization`` or its cookie.

    The header's token is bare or ``Bearer``; a header of another scheme (Basic etc.) is left
    to the framework's other authentication classes. The browser session cookie counts only
    when no ``Authorization`` header is sent at all.
    """
    header = request.META.get("HTTP_AUTHORIZATION", "").strip()
    if not header:
        return bool(browser.token_from_cookie(request))
    scheme, _, rest = header.partition(" ")
    return not rest or scheme.lower() == "bearer"
