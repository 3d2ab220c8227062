"""Login by username or email address, as ``AUTH_LOGIN_METHODS`` allows (allauth's setting)."""

import pytest

from accounts.models import User
from tests.conftest import OTHER_PASSWORD, STRONG_PASSWORD


@pytest.mark.parametrize("name", ["alice@example.org", "ALICE@Example.org", "alice"])
def test_login_by_username_or_address_by_default(api, user, name):
    response = api.login(name)
    assert response.status_code == 200
    assert api.get("me", token=response.json()["token"]).json()["username"] == "alice"


def test_the_seed_method_takes_an_address_too(user):
    assert User.login("alice@example.org", STRONG_PASSWORD)


def test_username_only_refuses_the_address(api, user, settings):
    settings.AUTH_LOGIN_METHODS = ["username"]
    assert api.login("alice").status_code == 200
    assert api.login("alice@example.org").json()["code"] == "invalid_credentials"


def test_email_only_refuses_the_username(api, user, settings):
    settings.AUTH_LOGIN_METHODS = ["email"]
    assert api.login("alice@example.org").status_code == 200
    assert api.login("alice").json()["code"] == "invalid_credentials"


def test_sec23_failures_by_address_look_like_every_other_failure(api, user, settings):
    answers = [
        api.login("alice@example.org", OTHER_PASSWORD),
        api.login("nobody@example.org"),
        api.login("nobody"),
        api.login("alice", OTHER_PASSWORD),
    ]
    shapes = {(r.status_code, r.content, r["Content-Type"]) for r in answers}
    assert len(shapes) == 1


@pytest.mark.parametrize("methods", [["username", "email"], ["username"], ["email"]])
def test_sec26_one_hash_on_every_branch_whatever_the_methods(
    api, user, hash_calls, settings, methods
):
    settings.AUTH_LOGIN_METHODS = methods
    for name, password in [
        ("alice@example.org", STRONG_PASSWORD),
        ("alice@example.org", OTHER_PASSWORD),
        ("nobody@example.org", STRONG_PASSWORD),
        ("alice", STRONG_PASSWORD),
        ("nobody", STRONG_PASSWORD),
        ("x" * 300 + "@example.org", STRONG_PASSWORD),
    ]:
        hash_calls.clear()
        api.login(name, password)
        assert len(hash_calls) == 1, (name, password)


def test_sec27_guesses_by_name_and_by_address_count_on_one_account(api, user, settings):
    settings.AUTH_THROTTLE_RATES = {"login_account": "3/900"}
    api.login("alice", OTHER_PASSWORD)
    api.login("alice@example.org", OTHER_PASSWORD)
    api.login("ALICE@example.org", OTHER_PASSWORD)
    for name in ("alice", "alice@example.org"):
        response = api.login(name)
        assert (response.status_code, response.json()["code"]) == (429, "throttled")


def test_sec27_an_unknown_address_is_throttled_like_a_known_one(api, user, settings):
    settings.AUTH_THROTTLE_RATES = {"login_account": "2/900"}
    for name in ("nobody@example.org", "alice@example.org"):
        for _ in range(2):
            api.login(name, OTHER_PASSWORD)
        assert api.login(name).status_code == 429
