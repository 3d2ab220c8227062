"""Browser sessions through Django's test client, CSRF enforced as a browser meets it (SEC-64).

The client keeps cookies as a browser does; ``enforce_csrf_checks`` turns on the CSRF check
the test client otherwise skips. Real browsers on two origins are in ``tests/demo/``.
"""

import django
import pytest
from django.test import Client

from accounts.models import User
from tests.conftest import OTHER_PASSWORD, STRONG_PASSWORD, Api, totp_code

BROWSER = {"HTTP_X_AUTH_CLIENT": "browser"}
COOKIE = "__Host-auth_session"  # the tests run with Secure cookies, as production does


@pytest.fixture
def cookie_api(db):
    """A client that keeps cookies and meets Django's CSRF check, as a browser does."""
    return Api(Client(enforce_csrf_checks=True))


def browser_login(api, username="alice", password=STRONG_PASSWORD):
    response = api.login(username, password, **BROWSER)
    assert response.status_code == 200, response.content
    return response


def csrf_header(api) -> dict:
    response = api.get("csrf")
    assert response.status_code == 204
    return {"HTTP_X_CSRFTOKEN": response["X-CSRFToken"]}


def test_sec64_a_browser_login_answers_a_cookie_and_no_token(cookie_api, user, settings, clock):
    response = browser_login(cookie_api)
    assert response.json().keys() == {"expires_at"}
    cookie = response.cookies[COOKIE]
    assert cookie.value.startswith(f"{user.pk}.")
    assert cookie["httponly"] and cookie["secure"] and cookie["path"] == "/"
    assert cookie["samesite"] == "Lax" and cookie["domain"] == ""
    assert int(cookie["max-age"]) == settings.AUTH_TOKEN_TTL
    assert cookie.value not in response.content.decode()
    assert response["X-CSRFToken"]  # a new CSRF token, rotated by the login


def test_the_cookie_is_plain_where_cookies_are_not_secure(cookie_api, user, settings):
    settings.SESSION_COOKIE_SECURE = False  # DEBUG's default (DJANGO_SECURE_COOKIES=0)
    settings.AUTH_COOKIE_SAMESITE = "Strict"
    cookie = browser_login(cookie_api).cookies["auth_session"]
    assert not cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Strict"
    assert cookie_api.get("me").json()["username"] == "alice"


def test_a_client_that_does_not_ask_for_a_cookie_sees_no_change(cookie_api, user):
    for header in ({}, {"HTTP_X_AUTH_CLIENT": "app"}):
        response = cookie_api.login(**header)
        assert response.json().keys() == {"token", "expires_at"}
        assert not response.cookies


def test_sec64_the_cookie_authenticates_with_one_find_one(cookie_api, user, server_commands):
    browser_login(cookie_api)
    with server_commands() as commands:
        response = cookie_api.get("me")
    assert response.status_code == 200 and response.json()["username"] == "alice"
    assert [name for name, _ in commands] == ["find"]


def test_sec64_an_unsafe_request_on_the_cookie_needs_the_csrf_header(cookie_api, user):
    browser_login(cookie_api)
    response = cookie_api.patch("me", {"username": "alicia"})
    assert (response.status_code, response["Content-Type"]) == (403, "application/json")
    assert response.json()["code"] == "csrf_failed"
    assert cookie_api.post("logout").json()["code"] == "csrf_failed"
    assert cookie_api.get("me").status_code == 200  # still logged in

    csrf = csrf_header(cookie_api)
    response = cookie_api.patch(
        "me", {"username": "alicia", "current_password": STRONG_PASSWORD}, **csrf
    )
    assert response.status_code == 200 and response.json()["username"] == "alicia"


def test_sec64_the_token_a_browser_login_hands_over_passes_the_check(cookie_api, user):
    csrf = {"HTTP_X_CSRFTOKEN": browser_login(cookie_api)["X-CSRFToken"]}
    body = {"current_password": STRONG_PASSWORD}
    assert cookie_api.post("reauthenticate", body, **csrf).status_code == 200


def test_sec64_a_login_rotates_the_csrf_token(cookie_api, user):
    planted = csrf_header(cookie_api)  # a token the browser had before logging in
    browser_login(cookie_api)
    assert cookie_api.post("logout", **planted).json()["code"] == "csrf_failed"


def test_sec64_an_origin_outside_the_trusted_ones_fails_the_check(cookie_api, user, settings):
    # Django 4+ checks Origin against whole origins; Django 3.1 (djongo) an HTTPS request's
    # Referer against host[:port]. Each request here sends both, over HTTPS.
    trusted = "https://app.example.com"
    settings.CSRF_TRUSTED_ORIGINS = [trusted if django.VERSION >= (4, 0) else "app.example.com"]
    browser_login(cookie_api)
    csrf = csrf_header(cookie_api)

    def logout(origin):
        sent = {"HTTP_ORIGIN": origin, "HTTP_REFERER": f"{origin}/account"}
        return cookie_api.post("logout", secure=True, **sent, **csrf)

    assert logout("https://evil.example").json()["code"] == "csrf_failed"
    assert logout(trusted).status_code == 204


def test_sec35_bearer_clients_need_no_csrf_even_with_the_cookie_set(cookie_api, user):
    browser_login(cookie_api)
    token = cookie_api.token_for()
    assert cookie_api.post("logout", token=token).status_code == 204


def test_sec64_the_header_wins_over_the_cookie_for_different_accounts(cookie_api, user):
    User.objects.create_user("bob", "bob@example.org", OTHER_PASSWORD)
    browser_login(cookie_api, "bob", OTHER_PASSWORD)
    alice = cookie_api.token_for()
    assert cookie_api.get("me").json()["username"] == "bob"
    assert cookie_api.get("me", token=alice).json()["username"] == "alice"
    # The header's session is the one logged out, with no CSRF asked: the cookie is unread.
    assert cookie_api.post("logout", token=alice).status_code == 204
    assert cookie_api.get("me", token=alice).status_code == 401
    assert cookie_api.get("me").json()["username"] == "bob"
    # A header that is wrong is a 401: the cookie does not stand in for it.
    assert cookie_api.get("me", token="not-a-token").status_code == 401


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: token[:-4] + "AAAA",  # another secret
        lambda token: "0" * len(token),  # garbage
        lambda token: token.partition(".")[0],  # the account id alone, which GET me shows
    ],
    ids=["secret", "garbage", "id-only"],
)
def test_sec64_a_forged_cookie_is_a_json_401(cookie_api, user, forge):
    token = browser_login(cookie_api).cookies[COOKIE].value
    cookie_api.client.cookies[COOKIE] = forge(token)
    response = cookie_api.get("me")
    assert (response.status_code, response["Content-Type"]) == (401, "application/json")
    assert response.json()["code"] in ("invalid_token", "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_sec64_an_expired_cookie_is_a_json_401(cookie_api, user, clock, settings):
    browser_login(cookie_api)
    clock.advance(seconds=settings.AUTH_TOKEN_TTL + 1)
    response = cookie_api.get("me")
    assert (response.status_code, response.json()["code"]) == (401, "token_expired")


def test_sec64_logout_revokes_the_session_and_clears_the_cookie(cookie_api, user):
    token = browser_login(cookie_api).cookies[COOKIE].value
    response = cookie_api.post("logout", **csrf_header(cookie_api))
    assert response.status_code == 204
    cleared = response.cookies[COOKIE]
    assert cleared.value == "" and cleared["max-age"] == 0 and cleared["secure"]
    assert cookie_api.get("me", token=token).status_code == 401  # revoked, not just forgotten


def test_logout_all_and_deleting_the_account_clear_the_cookie(cookie_api, user):
    browser_login(cookie_api)
    response = cookie_api.post("logout-all", **csrf_header(cookie_api))
    assert response.status_code == 204 and response.cookies[COOKIE].value == ""
    browser_login(cookie_api)
    csrf = csrf_header(cookie_api)
    response = cookie_api.delete("me", {"current_password": STRONG_PASSWORD}, **csrf)
    assert response.status_code == 204 and response.cookies[COOKIE].value == ""


def test_logout_with_a_bearer_token_leaves_a_browser_cookie_alone(cookie_api, user):
    browser_login(cookie_api)
    response = cookie_api.post("logout", token=cookie_api.token_for())
    assert COOKIE not in response.cookies
    assert cookie_api.get("me").status_code == 200


def test_csrf_sets_the_cookie_and_hands_the_token_over(cookie_api):
    response = cookie_api.get("csrf")
    assert response.status_code == 204 and response.content == b""
    assert response.cookies["__Host-csrftoken"]["secure"]
    assert len(response["X-CSRFToken"]) == 64  # masked, as Django's forms carry it


def test_sec64_the_second_step_of_an_mfa_login_sets_the_cookie(cookie_api, api, mfa_user, clock):
    first = cookie_api.login(**BROWSER).json()
    assert first["mfa_required"] and not cookie_api.client.cookies.get(COOKIE)
    body = {"mfa_token": first["mfa_token"], "code": totp_code(mfa_user.secret, clock)}
    response = cookie_api.post("login/mfa", body, **BROWSER)
    assert response.status_code == 200 and response.json().keys() == {"expires_at"}
    assert cookie_api.get("me").json()["mfa_enabled"] is True


def test_sec64_cors_answers_only_the_configured_origins(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
    preflight = {
        "HTTP_ACCESS_CONTROL_REQUEST_METHOD": "POST",
        "HTTP_ACCESS_CONTROL_REQUEST_HEADERS": "content-type,x-csrftoken,x-auth-client",
    }
    allowed = client.options("/api/auth/login", HTTP_ORIGIN="https://app.example.com", **preflight)
    assert allowed["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert allowed["Access-Control-Allow-Credentials"] == "true"
    assert "x-auth-client" in allowed["Access-Control-Allow-Headers"]
    refused = client.options("/api/auth/login", HTTP_ORIGIN="https://evil.example", **preflight)
    # No Allow-Origin: the browser refuses the preflight, whatever else is said (the
    # djongo variant's django-cors-headers 3.11 sends Allow-Credentials to every origin).
    assert "Access-Control-Allow-Origin" not in refused
    # Outside /api/ nothing is shared, even with a configured origin.
    page = client.options("/verify", HTTP_ORIGIN="https://app.example.com", **preflight)
    assert "Access-Control-Allow-Origin" not in page


def test_a_json_error_carries_the_cors_headers_too(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
    response = client.get("/api/auth/me", HTTP_ORIGIN="https://app.example.com")
    assert response.status_code == 401
    assert response["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "X-CSRFToken" in response["Access-Control-Expose-Headers"]
