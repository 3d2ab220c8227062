"""The redirect flow against a real provider: start, the provider's pages, callback, exchange.

The test client plays the browser on this server's side (it keeps the state cookie) and
``ProviderBrowser`` on the provider's: the provider's login and consent pages are real. Each
hostile variant (a replayed or missing state, another browser's callback, a code used twice
or late, a refusal at the provider) ends on the front end's ``#error=`` or a 400, with nothing
written (SEC-62).
"""

import urllib.parse

import pytest

from accounts.models import SocialTicket, User
from accounts.social import redirect
from tests.social.conftest import REDIRECT_URI, callback_path, fragment

pytestmark = pytest.mark.django_db


def start(api, provider="oidc", **query):
    return api.client.get(f"/api/auth/social/{provider}/start?{urllib.parse.urlencode(query)}")


def round_trip(api, provider_browser, login="ada", **query) -> dict:
    """Start, sign in at the provider, come back: the fields of the front end's fragment."""
    started = start(api, **query)
    assert started.status_code == 302, started.content
    back = provider_browser.authorize(started["Location"], login)
    return fragment(api.client.get(callback_path(back)))


def exchange(api, code, **kwargs):
    return api.post("social/exchange", {"code": code}, **kwargs)


def test_sec62_start_sends_state_nonce_and_a_pkce_s256_challenge(api, social):
    response = start(api, next="/account")
    assert response.status_code == 302
    url = urllib.parse.urlsplit(response["Location"])
    assert f"{url.scheme}://{url.netloc}" == social.issuer
    query = dict(urllib.parse.parse_qsl(url.query))
    assert query["response_type"] == "code" and query["client_id"] == "web-app"
    assert query["redirect_uri"] == REDIRECT_URI
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert len(query["state"]) >= 43 and len(query["nonce"]) == 64
    # The state is stored only as a digest, for 10 minutes, bound to the cookie's key.
    [row] = SocialTicket.objects.all()
    assert row.digest != query["state"] and len(row.digest) == 64
    assert (row.expires_at - row.created_at).total_seconds() == 600
    cookie = response.cookies[redirect.COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["path"] == "/api/auth/social/" and cookie["max-age"] == 600


def test_sec62_the_whole_round_trip_signs_in_with_a_one_time_code(api, social, provider_browser):
    fields = round_trip(api, provider_browser, next="/account", client_state="abc")
    assert set(fields) == {"code", "next", "client_state"}
    assert (fields["next"], fields["client_state"]) == ("/account", "abc")
    response = exchange(api, fields["code"])
    assert response.status_code == 200, response.content
    assert api.get("me", token=response.json()["token"]).json()["username"] == "ada"
    assert SocialTicket.objects.count() == 0  # the state and the code are gone


def test_sec62_no_session_token_travels_in_a_url(api, social, provider_browser):
    started = start(api)
    back = provider_browser.authorize(started["Location"])
    callback = api.client.get(callback_path(back))
    token = exchange(api, fragment(callback)["code"]).json()["token"]
    for url in (started["Location"], back, callback["Location"]):
        assert token not in url and token.split(".")[1] not in url


def test_sec62_an_exchange_code_works_once(api, social, provider_browser):
    code = round_trip(api, provider_browser)["code"]
    assert exchange(api, code).status_code == 200
    again = exchange(api, code)
    assert (again.status_code, again.json()["code"]) == (400, "invalid_code")


def test_sec62_an_exchange_code_dies_after_60_seconds(api, social, provider_browser, clock):
    code = round_trip(api, provider_browser)["code"]
    clock.advance(seconds=61)
    late = exchange(api, code)
    assert (late.status_code, late.json()["code"]) == (400, "invalid_code")


def test_sec62_a_replayed_state_is_refused(api, social, provider_browser):
    started = start(api)
    back = callback_path(provider_browser.authorize(started["Location"]))
    api.client.get(back)
    api.client.cookies[redirect.COOKIE] = started.cookies[redirect.COOKIE].value
    assert fragment(api.client.get(back)) == {"error": "invalid_state"}


def test_sec62_a_callback_in_another_browser_is_refused_and_leaves_the_state(
    api, client, social, provider_browser
):
    """Login CSRF: the attacker's own callback URL, opened by the victim's browser."""
    started = start(api)
    back = callback_path(provider_browser.authorize(started["Location"]))
    api.client.cookies.pop(redirect.COOKIE)  # the victim's browser has no such cookie
    assert fragment(api.client.get(back)) == {"error": "invalid_state"}
    api.client.cookies[redirect.COOKIE] = "another-browsers-key"
    assert fragment(api.client.get(back)) == {"error": "invalid_state"}
    assert User.objects.count() == 0
    assert SocialTicket.objects.filter(purpose="state").count() == 1  # its owner may still finish


@pytest.mark.parametrize(
    "query",
    ["", "?code=abc", "?state=", "?state=made-up&code=abc"],
    ids=["nothing", "no-state", "empty-state", "unknown-state"],
)
def test_sec62_a_missing_or_unknown_state_is_refused(api, social, query):
    start(api)  # the browser has a cookie
    response = api.client.get(f"/api/auth/social/oidc/callback{query}")
    assert fragment(response) == {"error": "invalid_state"}


def test_an_expired_state_is_refused(api, social, provider_browser, clock):
    started = start(api)
    back = callback_path(provider_browser.authorize(started["Location"]))
    clock.advance(seconds=601)
    assert fragment(api.client.get(back)) == {"error": "invalid_state"}


def test_a_refusal_at_the_provider_comes_back_as_access_denied(api, social, provider_browser):
    started = start(api)
    back = provider_browser.authorize(started["Location"], consent=False)
    assert "error=access_denied" in back
    assert fragment(api.client.get(callback_path(back))) == {"error": "access_denied"}
    assert User.objects.count() == 0 and SocialTicket.objects.count() == 0


def test_a_code_the_provider_does_not_know_is_a_provider_error(api, social, provider_browser):
    started = start(api)
    back = provider_browser.authorize(started["Location"])
    forged = back.replace("code=", "code=x")
    assert fragment(api.client.get(callback_path(forged))) == {"error": "provider_error"}
    assert User.objects.count() == 0


def test_sec62_an_answer_naming_another_issuer_is_refused(api, social, provider_browser):
    """RFC 9207: the `iss` of the answer says which provider sent it (mix-up attacks)."""
    started = start(api)
    back = provider_browser.authorize(started["Location"])
    mixed = back.replace(urllib.parse.quote(social.issuer, safe=""), "https%3A%2F%2Fevil.example")
    assert fragment(api.client.get(callback_path(mixed))) == {"error": "invalid_state"}


def test_the_provider_answering_by_form_post(api, settings, social, provider_browser):
    settings.AUTH_SOCIAL_PROVIDERS = {
        "oidc": social.settings(redirect_uri=REDIRECT_URI, response_mode="form_post")
    }
    started = start(api)
    assert "response_mode=form_post" in started["Location"]
    cookie = started.cookies[redirect.COOKIE]
    assert cookie["samesite"] == "None" and cookie["secure"]  # sent back on a cross-site POST
    answer = urllib.parse.urlencode(provider_browser.authorize_form(started["Location"]))
    form = "application/x-www-form-urlencoded"  # a browser submitting the provider's form
    response = api.client.post("/api/auth/social/oidc/callback", answer, content_type=form)
    assert exchange(api, fragment(response)["code"]).status_code == 200


@pytest.mark.parametrize(
    "query",
    [{"next": "//evil.example/x"}, {"next": "https://evil.example"}, {"next": "/\\evil"}],
    ids=["scheme-relative", "absolute", "backslash"],
)
def test_next_must_be_a_path_of_the_front_end(api, social, query):
    response = start(api, **query)
    assert response.status_code == 400 and response.json()["code"] == "invalid_input"
    assert SocialTicket.objects.count() == 0


def test_an_unknown_provider_is_a_404_at_start_and_callback(api, social):
    assert start(api, provider="nope").status_code == 404
    assert api.client.get("/api/auth/social/nope/callback").json()["code"] == "unknown_provider"


def test_sec62_a_provider_that_is_down_sends_the_browser_back_with_an_error(api, settings):
    settings.AUTH_SOCIAL_PROVIDERS = {
        "down": {"issuer": "http://127.0.0.1:9", "client_id": "web", "client_secret": "s"}
    }
    response = start(api, provider="down")
    assert fragment(response) == {"error": "provider_unavailable"}
    assert SocialTicket.objects.count() == 0  # nothing half-written


def test_an_account_with_a_second_factor_gets_the_challenge(
    api, social, provider_browser, mfa_user
):
    """The second factor still applies: the identity was linked to alice, who has TOTP on."""
    from accounts.social import identities
    from accounts.social.profiles import Profile

    identities.add(mfa_user.user, identities.new_identity(Profile("oidc", "ada")))
    response = exchange(api, round_trip(api, provider_browser)["code"])
    assert response.status_code == 200
    assert response.json()["mfa_required"] is True and "token" not in response.json()


def test_sec38_the_codes_states_and_tickets_of_redirects_stay_out_of_log_lines():
    from accounts.core.audit import redact

    callback = '"GET /api/auth/social/oidc/callback?code=c0de&state=st4te&iss=x HTTP/1.1" 302'
    assert redact(callback) == (
        '"GET /api/auth/social/oidc/callback?code=[redacted]&state=[redacted]&iss=x HTTP/1.1" 302'
    )
    assert redact("/api/auth/social/oidc/start?ticket=t1cket") == (
        "/api/auth/social/oidc/start?ticket=[redacted]"
    )
    assert redact('{"id_token": "eyJhbGciOi.eyJzdWIi.c2ln"}') == '{"id_token": "[redacted]"}'


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("multipart/form-data; boundary=x", b"--x\r\nbroken"),
        ("application/json", b'{"state": "s", "code": "c"}'),
        ("application/x-www-form-urlencoded", b"&".join([b"f=1"] * 2000)),  # too many fields
    ],
    ids=["bad-multipart", "json", "too-many-fields"],
)
def test_a_callback_post_that_is_no_providers_answer_is_an_invalid_state(
    api, social, content_type, body
):
    start(api)
    response = api.client.post(
        "/api/auth/social/oidc/callback", data=body, content_type=content_type
    )
    assert fragment(response) == {"error": "invalid_state"}
