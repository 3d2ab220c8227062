"""The providers people may sign in with: ``AUTH_SOCIAL_PROVIDERS``, with presets filled in.

The setting maps an id, the path segment of ``social/<id>/...``, to a provider::

    {
        "google": {"client_id": "1234.apps.googleusercontent.com", "client_secret": "..."},
        "apple": {"client_id": "com.example.web", "client_ids": ["com.example.ios"],
                  "team_id": "ABCDE12345", "key_id": "XYZ987", "private_key": "-----BEGIN..."},
        "microsoft": {"client_id": "...", "client_secret": "...", "tenant": "common"},
        "github": {"client_id": "...", "client_secret": "..."},
        "sso": {"issuer": "https://sso.example.com", "client_id": "...", "client_secret": "...",
                "name": "Example SSO"}
    }

An id that names a preset (``google``, ``apple``, ``microsoft``, ``github``) uses it, as does
any id with ``"preset": "<name>"``; any other is a generic OpenID Connect provider, found by
discovery from its ``issuer``. The keys:

    client_id       the web client: what the redirect flow signs in as, and an accepted ``aud``
    client_ids      more accepted ``aud`` values, for the token flow of native apps
    client_secret   the web client's secret (Apple's is made from team_id, key_id, private_key)
    name, scopes    shown by GET social/providers; asked for (default "openid email profile")
    tenant          Microsoft: "common" (default), "organizations", "consumers" or a tenant's
                    id (a GUID)
    redirect_uri    the callback URL registered with the provider, when it is not this
                    server's own address for ``social/<id>/callback`` as the request sees it
    response_mode   "query" (default), or "form_post": the provider POSTs its answer (Apple)
    authorization_endpoint, token_endpoint, api_url
                    GitHub's (GitHub Enterprise Server, or a stand-in in the tests)

Issuers and endpoints must be ``https://``, except on a loopback address
(``http://127.0.0.1:<port>``, ``http://localhost:<port>``), which development and the tests
use: a provider's keys and tokens must not travel in clear. Read when used, as every setting;
``manage.py check`` reports a provider that cannot work (``accounts.E201``).
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from accounts import conf
from accounts.social.errors import UnknownProvider

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}\Z")
RESERVED = {"providers", "identities", "exchange"}  # the paths beside social/<id>/
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
GUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
# Microsoft's multi-tenant issuers: the ID token's own tenant (tid) fills the template.
MICROSOFT_TENANTS = ("common", "organizations", "consumers")
MICROSOFT_TENANT_ISSUER = "https://login.microsoftonline.com/{tenantid}/v2.0"
DEFAULT_SCOPES = "openid email profile"
SETTINGS = {
    "preset", "name", "issuer", "client_id", "client_ids", "client_secret", "scopes", "tenant",
    "redirect_uri", "response_mode", "team_id", "key_id", "private_key",
    "authorization_endpoint", "token_endpoint", "api_url",
}  # fmt: skip

PRESETS = {
    "google": {
        "name": "Google",
        "issuer": "https://accounts.google.com",
        # Google's ID tokens may name their issuer without the scheme.
        "issuer_aliases": ("accounts.google.com",),
    },
    "apple": {
        "name": "Apple",
        "issuer": "https://appleid.apple.com",
        "scopes": "openid name email",
        # Apple answers a request for the name or address only by a POST to the callback.
        "response_mode": "form_post",
    },
    "microsoft": {
        "name": "Microsoft",
        "issuer": "https://login.microsoftonline.com/{tenant}/v2.0",
        # Entra's `email` is whatever the tenant's admin typed: verified only when the tenant
        # owns the address's domain, which the optional claim xms_edov says.
        "verified_claim": "xms_edov",
    },
    "github": {
        "name": "GitHub",
        "kind": "github",
        "scopes": "read:user user:email",
        "authorization_endpoint": "https://github.com/login/oauth/authorize",
        "token_endpoint": "https://github.com/login/oauth/access_token",
        "api_url": "https://api.github.com",
    },
}


@dataclass(frozen=True)
class Provider:
    """One provider, its settings checked and its preset applied."""

    id: str
    name: str
    kind: str  # "oidc", or "github" (OAuth 2 and an API: no ID token)
    issuer: str
    client_id: str
    audiences: tuple[str, ...]  # every client id an ID token may be issued to
    client_secret: str = field(default="", repr=False)
    scopes: str = DEFAULT_SCOPES
    response_mode: str = "query"
    redirect_uri: str = ""
    issuer_aliases: tuple[str, ...] = ()
    tenant_issuer: str = ""  # Microsoft multi-tenant: the issuer template discovery names
    verified_claim: str = "email_verified"
    apple_key: dict = field(default_factory=dict, repr=False)  # team_id, key_id, private_key
    endpoints: dict = field(default_factory=dict)  # GitHub's, or overrides

    @property
    def flows(self) -> list[str]:
        """The ways to sign in with it: ``redirect`` (browsers), ``token`` (native apps)."""
        flows = ["redirect"] if self.client_id else []
        if self.kind == "oidc" and self.audiences:
            flows.append("token")
        return flows

    def as_json(self) -> dict:
        return {"id": self.id, "name": self.name, "flows": self.flows}


def allowed_url(url) -> bool:
    """Tell whether ``url`` may be a provider's: ``https://``, or ``http://`` on loopback."""
    if not isinstance(url, str) or len(url) > 2048:
        return False
    parts = urlsplit(url)
    if parts.username or parts.password or parts.fragment or not parts.hostname:
        return False
    if parts.scheme == "https":
        return True
    return parts.scheme == "http" and parts.hostname in LOOPBACK and parts.port is not None


def _text(settings: dict, name: str, where: str, default: str = "") -> str:
    value = settings.get(name, default)
    if not isinstance(value, str):
        raise ImproperlyConfigured(f"{where}: {name} must be a string")
    return value.strip()


def build(provider_id: str, settings) -> Provider:
    """Return the provider ``provider_id`` of the setting, or raise ``ImproperlyConfigured``."""
    where = f"AUTH_SOCIAL_PROVIDERS[{provider_id!r}]"
    if not isinstance(provider_id, str) or not ID_RE.match(provider_id) or provider_id in RESERVED:
        raise ImproperlyConfigured(f"{where}: an id is 1-32 of a-z 0-9 _ - (not {RESERVED})")
    if not isinstance(settings, dict) or set(settings) - SETTINGS:
        unknown = sorted(set(settings) - SETTINGS) if isinstance(settings, dict) else "not a dict"
        raise ImproperlyConfigured(f"{where}: unknown settings {unknown}")
    preset_name = _text(settings, "preset", where, provider_id if provider_id in PRESETS else "")
    if preset_name and preset_name not in PRESETS:
        raise ImproperlyConfigured(f"{where}: no preset {preset_name!r} ({sorted(PRESETS)})")
    preset = PRESETS.get(preset_name, {})
    merged = {**preset, **{k: v for k, v in settings.items() if k != "preset"}}
    kind = preset.get("kind", "oidc")
    issuer = _text(merged, "issuer", where)
    tenant_issuer = ""
    if preset_name == "microsoft":
        tenant = _text(merged, "tenant", where, "common").lower()
        if tenant not in MICROSOFT_TENANTS and not GUID_RE.match(tenant):
            raise ImproperlyConfigured(f"{where}: tenant is one of {MICROSOFT_TENANTS} or a GUID")
        issuer = preset["issuer"].format(tenant=tenant)
        tenant_issuer = MICROSOFT_TENANT_ISSUER if tenant in MICROSOFT_TENANTS else ""
    if kind == "oidc" and not allowed_url(issuer):
        raise ImproperlyConfigured(f"{where}: issuer must be https:// (or http:// on loopback)")
    client_id = _text(merged, "client_id", where)
    extra = merged.get("client_ids", [])
    if not isinstance(extra, list) or not all(isinstance(c, str) and c for c in extra):
        raise ImproperlyConfigured(f"{where}: client_ids must be a list of strings")
    audiences = tuple(dict.fromkeys(c for c in [client_id, *extra] if c))
    if not audiences:
        raise ImproperlyConfigured(f"{where}: set client_id (or client_ids for native apps)")
    apple_key = {name: _text(merged, name, where) for name in ("team_id", "key_id", "private_key")}
    apple_key = apple_key if any(apple_key.values()) else {}
    if apple_key and not all(apple_key.values()):
        raise ImproperlyConfigured(f"{where}: Apple needs team_id, key_id and private_key")
    secret = _text(merged, "client_secret", where)
    endpoints = {
        name: _text(merged, name, where)
        for name in ("authorization_endpoint", "token_endpoint", "api_url")
        if merged.get(name)
    }
    redirect_uri = _text(merged, "redirect_uri", where)
    response_mode = _text(merged, "response_mode", where, "query")
    if response_mode not in ("query", "form_post"):
        raise ImproperlyConfigured(f"{where}: response_mode is query or form_post")
    for name, url in [*endpoints.items(), ("redirect_uri", redirect_uri)]:
        if url and not allowed_url(url):
            raise ImproperlyConfigured(f"{where}: {name} must be https:// (or http:// on loopback)")
    if kind == "github" and not (client_id and secret):
        raise ImproperlyConfigured(f"{where}: GitHub needs client_id and client_secret")
    return Provider(
        id=provider_id,
        name=_text(merged, "name", where, provider_id) or provider_id,
        kind=kind,
        issuer=issuer,
        client_id=client_id,
        audiences=audiences,
        client_secret=secret,
        scopes=_text(merged, "scopes", where, DEFAULT_SCOPES) or DEFAULT_SCOPES,
        response_mode=response_mode,
        redirect_uri=redirect_uri,
        issuer_aliases=preset.get("issuer_aliases", ()),
        tenant_issuer=tenant_issuer,
        verified_claim=preset.get("verified_claim", "email_verified"),
        apple_key=apple_key,
        endpoints=endpoints,
    )


def configured() -> list[Provider]:
    """Return every provider of ``AUTH_SOCIAL_PROVIDERS``, in the setting's order."""
    settings = conf.get("AUTH_SOCIAL_PROVIDERS") or {}
    if not isinstance(settings, dict):
        raise ImproperlyConfigured("AUTH_SOCIAL_PROVIDERS must be a dict: id -> settings")
    return [build(provider_id, value) for provider_id, value in settings.items()]


def get(provider_id) -> Provider:
    """Return the provider ``provider_id``, or raise ``UnknownProvider`` (404)."""
    settings = conf.get("AUTH_SOCIAL_PROVIDERS") or {}
    if not isinstance(provider_id, str) or provider_id not in settings:
        raise UnknownProvider()
    return build(provider_id, settings[provider_id])
