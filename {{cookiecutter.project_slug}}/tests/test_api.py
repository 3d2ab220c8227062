"""``accounts.api``: views of your own, token-authenticated, CSRF-exempt and only by token."""

import json

import pytest
from django.test import Client

from tests.conftest import STRONG_PASSWORD

pytestmark = [pytest.mark.urls("tests.api_urls"), pytest.mark.django_db]


@pytest.fixture
def browser():
    """A client that enforces CSRF as a browser's requests are checked."""
    return Client(enforce_csrf_checks=True)


def send(client, method, path, body=None, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    data = json.dumps(body) if body is not None else ""
    return getattr(client, method.lower())(
        path, data=data, content_type="application/json", **headers
    )


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_sec35_an_authenticated_view_takes_writes_with_a_token_and_no_csrf_cookie(
    browser, token, method
):
    response = send(browser, method, "/api/echo/", {"text": "hi"}, token=token)
    assert response.status_code == 200, response.content
    assert response.json()["method"] == method and response.json()["username"] == "alice"


def test_sec35_authenticated_alone_is_csrf_exempt_too(browser, token):
    response = send(browser, "POST", "/api/bare/", token=token)
    assert response.status_code == 200, response.content
    assert response.json() == {"method": "POST", "username": "alice"}


def test_sec35_a_session_cookie_alone_does_not_ride_on_the_exemption(browser, user):
    # Logged in to the admin in the same browser: the session cookie must count for nothing.
    assert browser.login(username="alice", password=STRONG_PASSWORD)
    for path in ("/api/echo/", "/api/bare/"):
        response = send(browser, "POST", path, {"text": "forged"})
        assert response.status_code == 401, response.content
        assert response.json()["code"] == "not_authenticated"
        assert "WWW-Authenticate" in response


def test_sec40_a_csrf_failure_under_api_is_json_csrf_failed(browser):
    # A view under /api/ without api_view or @authenticated is CSRF-protected, as Django's are.
    response = send(browser, "POST", "/api/plain/", {"text": "hi"})
    assert (response.status_code, response["Content-Type"]) == (403, "application/json")
    assert response.json()["code"] == "csrf_failed"
    assert send(browser, "GET", "/api/plain/").json() == {"method": "GET"}


def test_the_token_user_wins_over_a_session_user(browser, user, token):
    from accounts.models import User

    User.objects.create_user("bob", "bob@example.org", STRONG_PASSWORD)
    assert browser.login(username="bob", password=STRONG_PASSWORD)
    response = send(browser, "GET", "/api/echo/", token=token)
    assert response.json()["username"] == "alice"


def test_api_view_answers_other_methods_with_a_json_405(client, token):
    response = client.options("/api/echo/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST, PUT, PATCH, DELETE"
    assert response.json()["code"] == "method_not_allowed"


def test_fields_are_type_checked_before_use(client, token):
    response = send(client, "POST", "/api/echo/", {"text": {"$ne": None}}, token=token)
    assert response.status_code == 400 and response.json()["code"] == "invalid_field"
    response = send(client, "POST", "/api/echo/", {}, token=token)
    assert response.status_code == 400 and response.json()["code"] == "missing_field"


def test_the_public_module_names_what_it_exports():
    import accounts.api

    for name in ("api_view", "authenticated", "read_json", "string_field"):
        assert name in accounts.api.__all__ and callable(getattr(accounts.api, name))
