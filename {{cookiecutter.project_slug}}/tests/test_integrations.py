"""The DRF and django-ninja adapters accept the same tokens, with the same one read.

Each test runs where its framework is installed (``make install EXTRAS=dev,drf,ninja``; the
template's CI does so) and is skipped, saying why, elsewhere.
"""

import base64
import importlib.util

import pytest

from tests.conftest import STRONG_PASSWORD

MISSING = [name for name in ("rest_framework", "ninja") if importlib.util.find_spec(name) is None]
pytestmark = [
    pytest.mark.skipif(
        bool(MISSING),
        reason=f"{' and '.join(MISSING)} not installed: make install EXTRAS=dev,drf,ninja",
    ),
    pytest.mark.urls("tests.integration_urls"),
]

ENDPOINTS = {"drf": "/ext/drf/whoami", "ninja": "/ext/ninja/whoami"}


def get(client, path, header=None):
    extra = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    return client.get(path, **extra)


@pytest.mark.parametrize("framework", ENDPOINTS)
@pytest.mark.parametrize("scheme", ["Bearer ", ""], ids=["bearer", "bare"])
def test_a_login_token_is_accepted(client, token, framework, scheme):
    response = get(client, ENDPOINTS[framework], scheme + token)
    assert response.status_code == 200, response.content
    assert response.json()["username"] == "alice"


@pytest.mark.parametrize("framework", ENDPOINTS)
def test_it_costs_the_same_reads_as_authenticated(client, token, framework, server_commands):
    with server_commands() as core:
        assert get(client, "/api/auth/me", f"Bearer {token}").status_code == 200
    with server_commands() as adapter:
        assert get(client, ENDPOINTS[framework], f"Bearer {token}").status_code == 200
    assert [name for name, _ in adapter] == [name for name, _ in core] == ["find"]


@pytest.mark.parametrize("framework", ENDPOINTS)
def test_no_token_is_a_401(client, db, framework):
    response = get(client, ENDPOINTS[framework])
    assert response.status_code == 401


REVOKED = "The token is invalid or has been revoked."


@pytest.mark.parametrize(
    ("framework", "body"),
    [
        ("drf", {"detail": REVOKED}),  # DRF's own error body
        ("ninja", {"error": REVOKED, "code": "invalid_token"}),  # the auth API's, as /me answers
    ],
)
def test_a_revoked_token_is_a_401_with_www_authenticate(api, client, token, framework, body):
    assert api.post("logout", token=token).status_code == 204
    response = get(client, ENDPOINTS[framework], f"Bearer {token}")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith('Bearer realm="api"')
    assert response.json() == body


@pytest.mark.parametrize("framework", ENDPOINTS)
def test_an_expired_token_is_refused(client, token, clock, settings, framework):
    clock.advance(seconds=settings.AUTH_TOKEN_TTL + 1)
    assert get(client, ENDPOINTS[framework], f"Bearer {token}").status_code == 401


@pytest.mark.parametrize("framework", ENDPOINTS)
def test_another_scheme_is_left_to_other_authentication(client, db, framework):
    response = get(client, ENDPOINTS[framework], "Basic YWxpY2U6c2VjcmV0")
    assert response.status_code == 401  # not ours, and no other class accepts it


def test_drf_without_a_token_asks_for_one_with_www_authenticate(client, db):
    response = get(client, ENDPOINTS["drf"])
    assert (response.status_code, response["WWW-Authenticate"]) == (401, 'Bearer realm="api"')


def basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def test_sec56_drf_basic_authentication_refuses_an_account_with_mfa(client, mfa_user):
    from accounts.models import User

    User.objects.create_user("bob", "bob@example.org", STRONG_PASSWORD)
    assert get(client, "/ext/drf/basic", basic("bob", STRONG_PASSWORD)).status_code == 200
    # alice has TOTP on: her password alone is not enough, and it answers as a wrong one.
    refused = get(client, "/ext/drf/basic", basic("alice", STRONG_PASSWORD))
    wrong = get(client, "/ext/drf/basic", basic("alice", "wrong-wrong-wrong"))
    assert refused.status_code == wrong.status_code == 401
    assert refused.json() == wrong.json()
