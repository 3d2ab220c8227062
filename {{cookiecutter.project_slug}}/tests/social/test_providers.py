"""Providers from settings: presets, the URL rule, secrets from the environment, the list.

No provider runs here: what Google, Apple and Microsoft do differently is checked on the
values they publish (Microsoft's multi-tenant issuer, Apple's string booleans and its client
secret), the rest of the flows against a real provider in the other files of this folder.
"""

import pytest
from django.core.exceptions import ImproperlyConfigured
from joserfc import jwt
from joserfc.jwk import ECKey

from accounts.checks import social_providers_check
from accounts.social import apple, id_tokens, providers
from accounts.social.errors import InvalidIdToken
from accounts.social.profiles import from_claims
from config.env import social_providers

TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad"
MICROSOFT_COMMON = "https://login.microsoftonline.com/{tenantid}/v2.0"


def build(provider_id, **settings):
    return providers.build(provider_id, settings)


def test_each_preset_fills_in_its_provider():
    google = build("google", client_id="web.apps.googleusercontent.com", client_secret="s")
    assert (google.name, google.issuer, google.flows) == (
        "Google",
        "https://accounts.google.com",
        ["redirect", "token"],
    )
    assert build("apple", client_ids=["com.example.ios"]).flows == ["token"]  # native only
    assert build("apple", client_id="com.example.web").response_mode == "form_post"
    github = build("github", client_id="g", client_secret="s")
    assert (github.kind, github.flows) == ("github", ["redirect"])
    work = build("work", preset="microsoft", client_id="m", tenant="organizations")
    assert work.issuer == "https://login.microsoftonline.com/organizations/v2.0"
    assert work.tenant_issuer == MICROSOFT_COMMON
    one = build("microsoft", client_id="m", tenant=TENANT)
    assert one.issuer.endswith(f"/{TENANT}/v2.0") and one.tenant_issuer == ""


@pytest.mark.parametrize(
    ("issuer", "allowed"),
    [
        ("https://sso.example.com", True),
        ("http://127.0.0.1:9000", True),
        ("http://localhost:9000/realms/x", True),
        ("http://sso.example.com", False),  # keys and tokens in clear
        ("http://127.0.0.1", False),  # loopback, but no port: not a development server
        ("https://user:pw@sso.example.com", False),
        ("ftp://sso.example.com", False),
        ("javascript:alert(1)", False),
    ],
)
def test_issuers_must_be_https_except_on_loopback(issuer, allowed):
    if allowed:
        assert build("sso", issuer=issuer, client_id="c").issuer == issuer
    else:
        with pytest.raises(ImproperlyConfigured, match="https"):
            build("sso", issuer=issuer, client_id="c")


@pytest.mark.parametrize(
    ("provider_id", "settings", "complaint"),
    [
        ("sso", {"issuer": "https://sso.example.com"}, "client_id"),
        ("sso", {"issuer": "https://x.example", "client_id": "c", "secret": "s"}, "unknown"),
        ("Bad Id", {"client_id": "c"}, "an id is"),
        ("identities", {"client_id": "c"}, "an id is"),
        ("github", {"client_id": "c"}, "GitHub needs"),
        ("apple", {"client_id": "c", "team_id": "T"}, "Apple needs"),
        ("microsoft", {"client_id": "c", "tenant": "contoso.com"}, "tenant"),
        ("x", {"preset": "yahoo", "client_id": "c"}, "no preset"),
        ("sso", {"issuer": "https://x.example", "client_id": "c", "client_ids": "ios"}, "list"),
        ("sso", {"issuer": "https://x.example", "client_id": "c", "response_mode": "web"}, "mode"),
    ],
)
def test_a_provider_that_cannot_work_is_refused_and_named(provider_id, settings, complaint):
    with pytest.raises(ImproperlyConfigured, match=complaint):
        providers.build(provider_id, settings)


def test_manage_py_check_reports_a_broken_provider(settings):
    settings.AUTH_SOCIAL_PROVIDERS = {"sso": {"issuer": "http://sso.example.com", "client_id": "c"}}
    [error] = social_providers_check()
    assert error.id == "accounts.E201" and "'sso'" in error.msg
    settings.AUTH_SOCIAL_PROVIDERS = {"google": {"client_id": "c"}}
    assert social_providers_check() == []


def test_the_provider_list_shows_ids_names_and_flows_in_order(api, settings):
    settings.AUTH_SOCIAL_PROVIDERS = {
        "github": {"client_id": "g", "client_secret": "s"},
        "google": {"client_id": "web", "client_ids": ["android"], "client_secret": "s"},
        "sso": {"issuer": "https://sso.example.com", "client_ids": ["app"], "name": "Our SSO"},
    }
    assert api.get("social/providers").json() == {
        "providers": [
            {"id": "github", "name": "GitHub", "flows": ["redirect"]},
            {"id": "google", "name": "Google", "flows": ["redirect", "token"]},
            {"id": "sso", "name": "Our SSO", "flows": ["token"]},
        ]
    }


def test_no_provider_configured_lists_none(api):
    assert api.get("social/providers").json() == {"providers": []}


def test_provider_secrets_come_from_the_environment_or_a_file(monkeypatch, tmp_path):
    key_file = tmp_path / "apple.p8"
    key_file.write_text("-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n")
    monkeypatch.setenv("AUTH_SOCIAL_GOOGLE_CLIENT_SECRET", "from-the-environment")
    monkeypatch.setenv("AUTH_SOCIAL_SIGN_IN_APPLE_PRIVATE_KEY_FILE", str(key_file))
    parsed = social_providers(
        '{"google": {"client_id": "g"}, "sign-in-apple": {"preset": "apple", "client_id": "a"}}'
    )
    assert parsed["google"]["client_secret"] == "from-the-environment"
    assert parsed["sign-in-apple"]["private_key"].startswith("-----BEGIN PRIVATE KEY-----")
    assert social_providers("") == {}
    with pytest.raises(ImproperlyConfigured, match="JSON"):
        social_providers("{not json")
    with pytest.raises(ImproperlyConfigured, match="object"):
        social_providers('["google"]')


def test_no_secret_shows_in_a_providers_repr():
    provider = build("google", client_id="c", client_secret="very-secret")
    assert "very-secret" not in repr(provider)


def test_apples_client_secret_is_a_short_lived_es256_jwt_signed_with_the_teams_key(clock):
    key = ECKey.generate_key("P-256")
    pem = key.as_pem(private=True).decode()
    secret = apple.client_secret("com.example.web", "TEAM123456", "KEY987", pem)
    token = jwt.decode(secret, ECKey.import_key(key.as_pem(private=False)), algorithms=["ES256"])
    assert token.header["alg"] == "ES256" and token.header["kid"] == "KEY987"
    now = int(clock.now().timestamp())
    assert token.claims == {
        "iss": "TEAM123456",
        "sub": "com.example.web",
        "aud": "https://appleid.apple.com",
        "iat": now,
        "exp": now + 300,
    }


def test_microsofts_common_issuer_is_the_tokens_own_tenant():
    common = build("microsoft", client_id="m")
    claims = {"iss": MICROSOFT_COMMON.replace("{tenantid}", TENANT), "tid": TENANT}
    id_tokens._check_issuer(common, MICROSOFT_COMMON, claims)
    for wrong in (
        {**claims, "tid": "72f988bf-86f1-41af-91ab-2d7cd011db47"},  # another tenant's issuer
        {"iss": claims["iss"]},  # no tid
        {**claims, "tid": "../common"},
    ):
        with pytest.raises(InvalidIdToken):
            id_tokens._check_issuer(common, MICROSOFT_COMMON, wrong)


def test_googles_issuer_may_come_without_its_scheme():
    google = build("google", client_id="g")
    id_tokens._check_issuer(google, google.issuer, {"iss": "accounts.google.com"})
    with pytest.raises(InvalidIdToken):
        id_tokens._check_issuer(google, google.issuer, {"iss": "https://accounts.google.co"})


def test_what_each_provider_counts_as_a_verified_address():
    apple_provider = build("apple", client_id="a")
    assert from_claims(
        apple_provider, {"sub": "1", "email": "a@x.org", "email_verified": "true"}
    ).email_verified
    microsoft = build("microsoft", client_id="m")
    entra = {"sub": "1", "email": "a@x.org", "email_verified": True}  # not Entra's claim
    assert not from_claims(microsoft, entra).email_verified
    assert from_claims(microsoft, {**entra, "xms_edov": True}).email_verified
    upn = from_claims(microsoft, {"sub": "1", "preferred_username": "ada@contoso.com"})
    assert (upn.email, upn.email_verified, upn.username) == ("ada@contoso.com", False, "ada")
