"""What an OpenID provider publishes: its discovery document and its keys, cached per process.

Each worker process fetches a provider's discovery document
(``<issuer>/.well-known/openid-configuration``) when it first needs it and again after a day,
and its key set (``jwks_uri``) after an hour, keeping both in memory. A token signed with a key
id the cached set lacks makes it fetch the set again at once: that is how a provider's key
rotation reaches the app, with no restart. At most once a minute per provider, though, so a
stream of tokens with made-up key ids costs the provider one request a minute, not one each.

The document must name the issuer it was fetched for (OpenID Connect Discovery 1.0, 4.3) and
each endpoint must pass ``providers.allowed_url``. Microsoft's multi-tenant documents
(``common``, ``organizations``, ``consumers``) name a template instead,
``https://login.microsoftonline.com/{tenantid}/v2.0``, which each ID token's ``tid`` fills.

Only asymmetric signatures are accepted, of those the document lists: an ``alg`` of ``none``
or ``HS256`` (which an attacker would sign with the provider's public key as the secret) is
refused before any key is looked at (``accounts.social.id_tokens``).
"""

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from accounts import clock
from accounts.core.audit import security_event
from accounts.social import outbound
from accounts.social.errors import ProviderUnavailable
from accounts.social.providers import allowed_url

DISCOVERY_MAX_AGE = timedelta(days=1)
JWKS_MAX_AGE = timedelta(hours=1)
JWKS_MIN_REFETCH = timedelta(minutes=1)
ASYMMETRIC = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")

_cache: dict[tuple, tuple[datetime, object]] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class Metadata:
    """The parts of a discovery document the app uses."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    algorithms: tuple[str, ...]  # the asymmetric ID token algorithms the provider uses
    auth_methods: tuple[str, ...]  # how a client may authenticate at the token endpoint


def forget() -> None:
    """Drop every cached document and key set (tests; a changed configuration)."""
    with _lock:
        _cache.clear()


def _cached(key: tuple, max_age: timedelta):
    with _lock:
        entry = _cache.get(key)
    if entry is not None and clock.now() - entry[0] < max_age:
        return entry[1]
    return None


def _keep(key: tuple, value) -> None:
    with _lock:
        _cache[key] = (clock.now(), value)


def _unusable(provider, reason: str):
    security_event("social_provider_misconfigured", provider=provider.id, reason=reason)
    return ProviderUnavailable()


def discover(provider) -> Metadata:
    """Return ``provider``'s discovery document, fetched or cached."""
    key = ("discovery", provider.id, provider.issuer)
    if (metadata := _cached(key, DISCOVERY_MAX_AGE)) is not None:
        return metadata
    url = provider.issuer.rstrip("/") + "/.well-known/openid-configuration"
    status, document = outbound.get_json(url)
    if status != 200 or not isinstance(document, dict):
        raise _unusable(provider, f"discovery_status_{status}")
    issuer = document.get("issuer")
    if issuer not in (provider.issuer, provider.tenant_issuer or provider.issuer):
        raise _unusable(provider, "discovery_issuer_mismatch")
    endpoints = [document.get(name) for name in ("authorization_endpoint", "token_endpoint")]
    jwks_uri = document.get("jwks_uri")
    if not all(allowed_url(url) for url in [*endpoints, jwks_uri]):
        raise _unusable(provider, "discovery_endpoint_not_allowed")
    listed = document.get("id_token_signing_alg_values_supported") or ["RS256"]
    algorithms = tuple(alg for alg in ASYMMETRIC if isinstance(listed, list) and alg in listed)
    if not algorithms:
        raise _unusable(provider, "no_asymmetric_algorithm")
    methods = document.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    metadata = Metadata(
        issuer=issuer,
        authorization_endpoint=endpoints[0],
        token_endpoint=endpoints[1],
        jwks_uri=jwks_uri,
        algorithms=algorithms,
        auth_methods=tuple(m for m in methods if isinstance(m, str)),
    )
    _keep(key, metadata)
    return metadata


def keys(provider, *, refresh: bool = False) -> KeySet:
    """Return ``provider``'s signing keys; ``refresh`` fetches them again unless just fetched."""
    jwks_uri = discover(provider).jwks_uri
    key = ("jwks", provider.id, jwks_uri)
    with _lock:
        entry = _cache.get(key)
    if entry is not None:
        age = clock.now() - entry[0]
        if age < (JWKS_MIN_REFETCH if refresh else JWKS_MAX_AGE):
            return entry[1]
    status, document = outbound.get_json(jwks_uri)
    try:
        if status != 200 or not isinstance(document, dict):
            raise ValueError(f"status {status}")
        key_set = KeySet.import_key_set(document)
    except (JoseError, ValueError, TypeError, KeyError) as exc:
        raise _unusable(provider, f"jwks_{type(exc).__name__}") from None
    _keep(key, key_set)
    security_event("social_jwks_fetched", provider=provider.id, keys=len(key_set.keys))
    return key_set
