"""POST /api/auth/register."""

import pytest

from accounts.models import User
from tests.conftest import STRONG_PASSWORD


def test_register_creates_the_user_and_answers_201_with_it(api):
    response = api.register()
    assert response.status_code == 201
    body = response.json()
    assert body == {
        "id": body["id"],
        "username": "alice",
        "email": "alice@example.org",
        "email_verified": False,
        "email_verified_at": None,
        "mfa_enabled": False,
    }
    assert response["Cache-Control"] == "no-store"
    user = User.objects.get(pk=body["id"])
    assert user.check_password(STRONG_PASSWORD)


def test_sec01_password_is_stored_as_bcrypt_sha256_not_plaintext(api):
    api.register()
    stored = User.objects.get(username="alice").password
    assert stored.startswith("bcrypt_sha256$")
    assert STRONG_PASSWORD not in stored


@pytest.mark.parametrize("path", ["register", "register/"])
def test_register_answers_with_and_without_trailing_slash(api, path):
    response = api.post(
        path, {"username": "bob", "email": "bob@example.org", "password": STRONG_PASSWORD}
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    "variant",
    ["alice", "Alice", "ALICE", "ａｌｉｃｅ"],
    ids=["same", "capital", "upper", "fullwidth"],
)
def test_sec29_lookalike_usernames_are_one_account(api, variant):
    assert api.register().status_code == 201
    response = api.register(username=variant, email="other@example.org")
    assert response.status_code == 400
    assert response.json()["code"] == "username_taken"
    assert User.objects.count() == 1


def test_sec29_email_is_one_account_whatever_its_case(api):
    api.register()
    response = api.register(username="bob", email="ALICE@Example.ORG")
    assert (response.status_code, response.json()["code"]) == (400, "email_taken")


def test_sec25_registration_says_a_name_is_taken(api):
    api.register()
    response = api.register(email="new@example.org")
    assert response.json() == {"error": "That username is already taken.", "code": "username_taken"}


@pytest.mark.parametrize(
    "username",
    ["ali ce", "alice!", "<script>", "a" * 151, "al/ice"],
    ids=["space", "bang", "markup", "too-long", "slash"],
)
def test_sec29_usernames_outside_the_allowlist_are_refused(api, username):
    response = api.register(username=username)
    assert response.status_code == 400
    assert response.json()["code"] in {"invalid_username", "invalid_field"}
    assert not User.objects.exists()


@pytest.mark.parametrize("email", ["not-an-email", "a@", "@b.org", "a@b@c.org"])
def test_malformed_email_is_refused(api, email):
    response = api.register(email=email)
    assert (response.status_code, response.json()["code"]) == (400, "invalid_email")


@pytest.mark.parametrize("missing", ["username", "email", "password"])
def test_missing_field_is_a_400_naming_it(api, missing):
    body = {"username": "alice", "email": "alice@example.org", "password": STRONG_PASSWORD}
    del body[missing]
    response = api.post("register", body)
    assert response.status_code == 400
    assert missing in response.json()["error"]


@pytest.mark.parametrize(
    "value", [{"$ne": None}, ["alice"], 12, True], ids=["operator", "array", "number", "bool"]
)
def test_sec30_non_string_fields_never_reach_a_query(api, value):
    response = api.post(
        "register", {"username": value, "email": "a@example.org", "password": STRONG_PASSWORD}
    )
    assert (response.status_code, response.json()["code"]) == (400, "invalid_field")
    assert not User.objects.exists()


def test_register_never_echoes_the_password(api):
    response = api.register()
    assert STRONG_PASSWORD not in response.content.decode()
