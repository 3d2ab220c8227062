"""The authorization code flow with PKCE: where to send the browser, and what its code is worth.

``authorization_url`` is the provider's authorization endpoint with the client, the callback,
the scopes, ``state``, ``nonce`` (OpenID Connect) and a PKCE S256 challenge (RFC 7636).
``exchange`` trades the code the provider sent back, with the PKCE verifier and the client's
credentials, for tokens: an ID token, checked like any other (``accounts.social.id_tokens``),
or, for GitHub, an access token for its API (``accounts.social.github``). Either way it
returns the ``Profile`` of who signed in.

The client authenticates as the provider's discovery document allows: HTTP Basic when it
lists ``client_secret_basic`` (OAuth's default), else in the form (``client_secret_post``:
Apple, GitHub); a client without a secret sends only its id (a public client, PKCE alone).
"""

import base64
import hashlib
from urllib.parse import quote, urlencode

from accounts.core.audit import security_event
from accounts.social import apple, github, id_tokens, metadata, outbound
from accounts.social.errors import ProviderError
from accounts.social.profiles import Profile, from_claims

CODE_MAX = 2048


def challenge(verifier: str) -> str:
    """Return the PKCE S256 challenge of ``verifier``."""
    hashed = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(hashed).rstrip(b"=").decode("ascii")


def _endpoints(provider) -> tuple[str, str, tuple[str, ...]]:
    if provider.kind == "github":
        endpoints = provider.endpoints
        return endpoints["authorization_endpoint"], endpoints["token_endpoint"], ()
    published = metadata.discover(provider)
    return published.authorization_endpoint, published.token_endpoint, published.auth_methods


def authorization_url(
    provider, *, state: str, nonce: str, verifier: str, redirect_uri: str, max_age=None
) -> str:
    """Return the URL that asks ``provider`` to sign the browser's user in and come back."""
    endpoint, _, _ = _endpoints(provider)
    params = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": redirect_uri,
        "scope": provider.scopes,
        "state": state,
        "code_challenge": challenge(verifier),
        "code_challenge_method": "S256",
    }
    if provider.kind == "oidc":
        params["nonce"] = nonce
        if max_age is not None:  # a re-authentication: a sign-in that recent, or a new one
            params["max_age"] = str(max_age)
    if provider.response_mode != "query":
        params["response_mode"] = provider.response_mode
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(params)}"


def client_secret(provider) -> str:
    """Return the web client's secret; Apple's is made afresh (``accounts.social.apple``)."""
    if provider.apple_key:
        return apple.client_secret(provider.client_id, **provider.apple_key)
    return provider.client_secret


def exchange(
    provider, code: str, *, verifier: str, redirect_uri: str, nonce: str, issued_after=None
) -> Profile:
    """Trade ``code`` for the profile of who signed in, or raise ``ProviderError``."""
    _, endpoint, methods = _endpoints(provider)
    fields = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": verifier,
    }
    headers, secret = {}, client_secret(provider)
    if secret and "client_secret_basic" in methods:
        pair = f"{quote(provider.client_id, safe='')}:{quote(secret, safe='')}"
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
    else:
        fields["client_id"] = provider.client_id
        if secret:
            fields["client_secret"] = secret
    status, answer = outbound.post_form(endpoint, fields, headers)
    if status != 200 or not isinstance(answer, dict) or "error" in answer:
        error = str(answer.get("error"))[:64] if isinstance(answer, dict) else "-"
        security_event("social_code_refused", provider=provider.id, status=status, error=error)
        raise ProviderError()
    if provider.kind == "github":
        access_token = answer.get("access_token")
        if not isinstance(access_token, str) or not access_token:
            raise ProviderError()
        return github.profile(provider, access_token)
    claims = id_tokens.verify(
        provider, answer.get("id_token"), nonce=nonce, issued_after=issued_after
    )
    return from_claims(provider, claims)
