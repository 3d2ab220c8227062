"""The OpenAPI declarations of social login (``accounts.social``).

schemas.py   what the operations share: the tag, the provider parameter, the identity
sign_in.py   the providers, the browser's round trip, native apps' ID tokens, the code exchange
linking.py   an account's providers: link, re-authenticate, list, unlink
"""

from accounts.social.openapi import linking, sign_in


def paths() -> dict:
    """Every operation of social login."""
    return {**sign_in.paths(), **linking.paths()}
