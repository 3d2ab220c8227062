"""The project's login tokens for endpoints built with other frameworks (DRF, django-ninja).

Each adapter calls ``accounts.sessions.decorators.authenticate_request``, the function behind
``@authenticated``: one read of the token and its user, the same checks (expiry,
revocation, an inactive account), whatever the framework.
"""


def sends_our_token(request) -> bool:
    """Tell whether ``Authorization`` holds a token of ours (bare or ``Bearer``), not Basic etc.

    Headers of another scheme are left to the framework's other authentication classes.
    """
    header = request.META.get("HTTP_AUTHORIZATION", "").strip()
    if not header:
        return False
    scheme, _, rest = header.partition(" ")
    return not rest or scheme.lower() == "bearer"
