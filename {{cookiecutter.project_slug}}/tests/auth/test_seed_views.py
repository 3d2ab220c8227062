"""The seed library's README views run unchanged against this app (CONTRACT section 5)."""

import json

import pytest

from accounts.errors import AuthError, DjMongoAuthError
from accounts.models import User
from tests.conftest import OTHER_PASSWORD, STRONG_PASSWORD, link_token_from

pytestmark = [pytest.mark.urls("tests.seed_urls"), pytest.mark.django_db]


def post(client, path, body=None, **headers):
    data = json.dumps(body) if body is not None else ""
    return client.post(f"/{path}", data, content_type="application/json", **headers)


def put(client, path, body=None, **headers):
    data = json.dumps(body) if body is not None else ""
    return client.put(f"/{path}", data, content_type="application/json", **headers)


def seed_login(client, password=STRONG_PASSWORD):
    response = post(client, "login", {"username": "alice", "password": password})
    assert response.status_code == 200, response.content
    return response.json()["token"]


@pytest.fixture
def registered(client):
    body = {"username": "alice", "email": "alice@example.org", "password": STRONG_PASSWORD}
    assert post(client, "register", body).status_code == 201
    return User.objects.get(username="alice")


def test_the_seed_error_name_is_the_same_class():
    assert DjMongoAuthError is AuthError


def test_seed_register_hashes_the_cleartext_password(registered):
    assert registered.password.startswith("bcrypt_sha256$")


def test_seed_register_reports_a_weak_password_as_a_400_with_a_message(client):
    response = post(
        client, "register", {"username": "bob", "email": "b@example.org", "password": "short"}
    )
    assert response.status_code == 400 and "at least 15" in response.json()["error"]


def test_seed_login_returns_a_token_that_the_raw_header_accepts(client, registered):
    token = seed_login(client)
    assert client.get("/whoami", HTTP_AUTHORIZATION=token).json() == {"username": "alice"}


def test_seed_login_failure_is_a_400_with_a_message(client, registered):
    response = post(client, "login", {"username": "alice", "password": "wrong-password-x"})
    assert response.status_code == 400 and response.json() == {
        "error": "Invalid username or password."
    }


def test_seed_logout_revokes_the_token(client, registered):
    token = seed_login(client)
    assert post(client, "logout", HTTP_AUTHORIZATION=token).status_code == 204
    assert client.get("/whoami", HTTP_AUTHORIZATION=token).status_code == 401


def test_seed_verify_flow_end_to_end(client, registered, mailoutbox):
    token = seed_login(client)
    assert post(client, "verify", HTTP_AUTHORIZATION=token).status_code == 201
    link = link_token_from(mailoutbox[-1])
    assert put(client, f"verify?a={link}").status_code == 200
    assert User.objects.get(pk=registered.pk).email_verified


def test_seed_verify_without_login_is_a_400_with_a_message(client, registered):
    response = post(client, "verify")
    assert response.status_code == 400 and response.json()["error"]


def test_seed_reset_with_a_token_mails_that_user(client, registered, mailoutbox):
    token = seed_login(client)
    assert post(client, "reset", HTTP_AUTHORIZATION=token).status_code == 200
    assert mailoutbox[-1].to == ["alice@example.org"]


def test_seed_reset_flow_end_to_end_without_login(client, registered, mailoutbox):
    assert post(client, "reset", {"email": "alice@example.org"}).status_code == 200
    link = link_token_from(mailoutbox[-1])
    assert put(client, f"reset?a={link}", {"new_password": OTHER_PASSWORD}).status_code == 200
    assert seed_login(client, OTHER_PASSWORD)


def test_seed_other_methods_are_405(client):
    assert client.get("/verify").status_code == 405
    assert client.delete("/reset").status_code == 405


def test_seed_authenticated_handler_without_a_token_is_a_401_json(client):
    response = client.get("/other")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert "WWW-Authenticate" in response


def test_seed_authenticated_handler_with_a_token_runs(client, registered):
    token = seed_login(client)
    with pytest.raises(ValueError):  # the seed's example view returns None: Django complains
        client.get("/other", HTTP_AUTHORIZATION=token)
