"""The token flow of native apps: ID tokens a real provider issues, and every way to forge one.

The provider is node's oidc-provider (``tests/oidc_provider.py``); each token here comes from
its token endpoint after a real sign-in, or is made from one of those by an attacker's means
(another key, no signature, an HMAC keyed with the public key, a changed claim). Every bad
one is a 400 ``invalid_id_token`` that writes nothing (SEC-62).
"""

import base64
import hashlib
import hmac
import json
import time

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from accounts.models import User
from accounts.social import metadata, providers
from devdb.server import free_port
from tests.oidc_provider import OTHER_CLIENT, WEB_CLIENT

pytestmark = pytest.mark.django_db


def sign_in(api, id_token, nonce=None, provider="oidc"):
    body = {"id_token": id_token, **({"nonce": nonce} if nonce is not None else {})}
    return api.post(f"social/{provider}/token", body)


def refused(response) -> bool:
    return (response.status_code, response.json()["code"]) == (400, "invalid_id_token")


def parts(id_token: str) -> tuple[dict, dict]:
    """Return the header and claims of a token, read without checking anything."""
    header, claims, _ = id_token.split(".")
    decode = lambda part: json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))  # noqa: E731
    return decode(header), decode(claims)


def encode(part: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()


def test_sec62_an_id_token_from_the_provider_makes_an_account_and_signs_in(
    api, social, provider_browser
):
    response = sign_in(api, provider_browser.id_token(nonce="n-1"), nonce="n-1")
    assert response.status_code == 200, response.content
    assert set(response.json()) == {"token", "expires_at"}
    me = api.get("me", token=response.json()["token"]).json()
    assert (me["username"], me["email"], me["email_verified"]) == ("ada", "ada@example.org", True)
    user = User.objects.get(username="ada")
    assert not user.has_usable_password()
    [identity] = user.social_identities
    assert (identity["provider"], identity["subject"], identity["email_verified"]) == (
        "oidc",
        "ada",
        True,
    )


def test_the_same_provider_account_signs_in_to_the_same_account(api, social, provider_browser):
    first = sign_in(api, provider_browser.id_token())
    second = sign_in(api, provider_browser.id_token())
    assert first.status_code == second.status_code == 200
    assert User.objects.count() == 1
    assert first.json()["token"] != second.json()["token"]


def test_sec62_every_configured_client_id_is_an_accepted_audience(api, social, provider_browser):
    assert sign_in(api, provider_browser.id_token(client_id=WEB_CLIENT)).status_code == 200


def test_sec62_a_token_for_another_client_is_refused(api, social, provider_browser):
    assert refused(sign_in(api, provider_browser.id_token(client_id=OTHER_CLIENT)))
    assert User.objects.count() == 0


def test_sec62_an_expired_token_is_refused(api, social, provider_browser, clock):
    id_token = provider_browser.id_token()
    _, claims = parts(id_token)
    clock.advance(seconds=claims["exp"] - clock.now().timestamp() + 61)  # past the 60 s skew
    assert refused(sign_in(api, id_token))
    assert User.objects.count() == 0


def test_sec62_a_token_issued_in_the_future_is_refused(api, social, provider_browser, clock):
    id_token = provider_browser.id_token()
    clock.advance(seconds=-120)  # the server's clock two minutes behind the provider's
    assert refused(sign_in(api, id_token))


def test_sec62_a_token_signed_with_another_key_is_refused(api, social, provider_browser):
    header, claims = parts(provider_browser.id_token())
    forger = RSAKey.generate_key(2048)  # same kid, same claims, the attacker's key
    forged = jwt.encode(header, claims, forger, algorithms=["RS256"])
    assert refused(sign_in(api, forged))


def test_sec62_a_changed_claim_breaks_the_signature(api, social, provider_browser):
    header, _, signature = provider_browser.id_token().split(".")
    _, claims = parts(provider_browser.id_token())
    claims["sub"] = "grace"
    assert refused(sign_in(api, f"{header}.{encode(claims)}.{signature}"))


def test_sec62_an_unsigned_token_alg_none_is_refused(api, social, provider_browser):
    header, claims = parts(provider_browser.id_token())
    unsigned = f"{encode({**header, 'alg': 'none'})}.{encode(claims)}."
    assert refused(sign_in(api, unsigned))
    assert User.objects.count() == 0


def test_sec62_hs256_keyed_with_the_providers_public_key_is_refused(api, social, provider_browser):
    """The old confusion: verify "HS256" with the RSA public key as the HMAC secret."""
    header, claims = parts(provider_browser.id_token())
    key_set = metadata.keys(providers.get("oidc"))
    [published] = [key for key in key_set.keys if key.kid == header["kid"]]
    secret = published.as_pem(private=False)  # joserfc would refuse this key: the attacker's
    signed = f"{encode({**header, 'alg': 'HS256'})}.{encode(claims)}"  # tool does not
    mac = hmac.new(secret, signed.encode(), hashlib.sha256).digest()
    forged = f"{signed}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"
    assert refused(sign_in(api, forged))


@pytest.mark.parametrize("sent", ["n-2", None], ids=["wrong", "missing"])
def test_sec62_a_wrong_or_missing_nonce_is_refused(api, social, provider_browser, sent):
    assert refused(sign_in(api, provider_browser.id_token(nonce="n-1"), nonce=sent))
    assert User.objects.count() == 0


def test_a_nonce_sent_for_a_token_without_one_is_refused(api, social, provider_browser):
    assert refused(sign_in(api, provider_browser.id_token(), nonce="n-1"))


def test_a_hashed_nonce_as_apples_native_sdk_makes_it_is_accepted(api, social, provider_browser):
    raw = "raw-nonce-of-the-app"
    hashed = hashlib.sha256(raw.encode()).hexdigest()  # what the app hands Sign in with Apple
    assert sign_in(api, provider_browser.id_token(nonce=hashed), nonce=raw).status_code == 200


@pytest.mark.parametrize(
    "id_token",
    [
        "x",
        "a.b.c",
        "e30.e30.",
        "....",
        "a" * 16384,
        "ünïcode.tökén.!",
        base64.urlsafe_b64encode(b"[" * 5000).decode().rstrip("=") + ".e30.",
    ],
    ids=["one-part", "junk-parts", "empty-json", "dots", "long", "unicode", "nested-header"],
)
def test_sec62_garbage_is_a_400_not_a_500(api, social, id_token):
    assert refused(sign_in(api, id_token))


@pytest.mark.parametrize(
    "body",
    [{}, {"id_token": ["a"]}, {"id_token": {"$ne": None}}, {"id_token": "a", "nonce": 5}],
    ids=["missing", "list", "operator", "nonce-not-string"],
)
def test_sec30_the_fields_are_type_checked(api, social, body):
    response = api.post("social/oidc/token", body)
    assert response.status_code == 400
    assert response.json()["code"] in ("missing_field", "invalid_field")


def test_an_unknown_provider_is_a_404(api, social, provider_browser):
    response = sign_in(api, "a.b.c", provider="nope")
    assert (response.status_code, response.json()["code"]) == (404, "unknown_provider")


def test_sec62_key_rotation_is_followed_and_unknown_keys_are_fetched_once_a_minute(
    api, social, provider_browser, clock
):
    assert sign_in(api, provider_browser.id_token()).status_code == 200
    fetched = social.jwks_requests()
    new_kid = social.rotate()  # the provider signs with a new key from now on
    id_token = provider_browser.id_token()
    assert parts(id_token)[0]["kid"] == new_kid
    # Within a minute of the last fetch, an unknown key id does not fetch again...
    assert refused(sign_in(api, id_token))
    assert social.jwks_requests() == fetched
    # ...after it, it does, once, and the new key verifies.
    clock.advance(seconds=61)
    assert sign_in(api, id_token).status_code == 200
    assert social.jwks_requests() == fetched + 1
    header, claims = parts(id_token)
    made_up = jwt.encode({**header, "kid": "made-up"}, claims, RSAKey.generate_key(2048))
    assert refused(sign_in(api, made_up))
    assert social.jwks_requests() == fetched + 1


def test_sec62_a_provider_that_is_down_is_a_fast_503(api, settings):
    settings.AUTH_SOCIAL_PROVIDERS = {
        "down": {"issuer": f"http://127.0.0.1:{free_port()}", "client_ids": ["app"]}
    }
    started = time.monotonic()
    response = api.post("social/down/token", {"id_token": "a.b.c"})
    assert (response.status_code, response.json()["code"]) == (503, "provider_unavailable")
    assert time.monotonic() - started < 2


def test_sec62_a_provider_that_hangs_is_a_503_within_the_timeout(api, settings, silent_server):
    settings.AUTH_SOCIAL_PROVIDERS = {"slow": {"issuer": silent_server.url, "client_ids": ["app"]}}
    settings.AUTH_SOCIAL_TIMEOUT = 0.25
    started = time.monotonic()
    response = api.post("social/slow/token", {"id_token": "a.b.c"})
    assert (response.status_code, response.json()["code"]) == (503, "provider_unavailable")
    assert time.monotonic() - started < 3  # never a hung worker


def test_github_has_no_token_flow(api, settings):
    settings.AUTH_SOCIAL_PROVIDERS = {"github": {"client_id": "gh", "client_secret": "s"}}
    response = api.post("social/github/token", {"id_token": "a.b.c"})
    assert (response.status_code, response.json()["code"]) == (400, "unsupported_flow")
