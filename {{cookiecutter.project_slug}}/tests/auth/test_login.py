"""POST /api/auth/login, GET /api/auth/me and the one-hash guarantee (one read: test_store.py)."""

import unicodedata
from datetime import timedelta

import pytest

from accounts import documents, store
from accounts.clock import iso
from accounts.core.digests import digest
from accounts.models import User
from tests.conftest import STRONG_PASSWORD


def test_login_returns_a_token_and_its_expiry(api, user, settings, clock):
    settings.AUTH_TOKEN_TTL = 3600
    response = api.login()
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expires_at"}
    assert body["expires_at"] == iso(clock.now() + timedelta(seconds=3600))
    assert response["Cache-Control"] == "no-store"


def test_sec07_tokens_carry_256_bits_and_differ_per_login(api, user):
    first, second = api.token_for(), api.token_for()
    assert first != second
    assert len(first) >= 43  # 32 bytes, URL-safe base64
    assert len(documents.read_sessions(User, user.pk)) == 2  # one per device


def test_sec08_only_the_digest_is_stored(api, user):
    token = api.token_for()
    (stored,) = documents.read_sessions(User, user.pk)
    assert stored["digest"] == digest(token)
    secret = token.partition(".")[2]
    document = store.collection(User).find_one({})
    assert secret not in repr(document) and token not in repr(document)


def test_login_is_case_and_width_insensitive_on_the_username(api, user):
    assert api.login(username="ALICE").status_code == 200
    assert api.login(username="ａｌｉｃｅ").status_code == 200


def test_sec23_every_login_failure_looks_the_same(api, user):
    wrong_password = api.login(password="not-the-password-at-all")
    unknown_user = api.login(username="nobody")
    User.objects.filter(pk=user.pk).update(is_active=False)
    inactive = api.login()
    answers = [
        (r.status_code, r.content, r["Content-Type"])
        for r in (wrong_password, unknown_user, inactive)
    ]
    assert answers[0] == answers[1] == answers[2]
    assert wrong_password.json()["code"] == "invalid_credentials"


def test_sec26_login_costs_exactly_one_hash_on_every_branch(api, user, hash_calls):
    for username, password in [
        ("alice", STRONG_PASSWORD),
        ("alice", "wrong-password-here"),
        ("nobody", STRONG_PASSWORD),
    ]:
        hash_calls.clear()
        api.login(username=username, password=password)
        assert len(hash_calls) == 1, (username, password)


def test_sec29_login_normalises_the_name_before_checking_its_length_as_registration_does(api):
    # 76 × "é" written decomposed is 152 code points, over the 150 limit, but 76 once
    # normalised (NFKC): registration accepts it, so login must too.
    decomposed = unicodedata.normalize("NFD", "é" * 76)
    assert len(decomposed) == 152
    assert api.register(username=decomposed, email="e@example.org").status_code == 201
    for spelling in [decomposed, unicodedata.normalize("NFC", decomposed)]:
        assert api.login(username=spelling).status_code == 200


def test_sec29_a_name_over_the_limit_once_normalised_fails_like_any_other(api, user):
    too_long = api.login(username="a" * 151)
    unknown = api.login(username="nobody")
    assert (too_long.status_code, too_long.content) == (unknown.status_code, unknown.content)


@pytest.mark.parametrize("body", [{"username": "alice"}, {"password": "x"}, {}])
def test_login_with_missing_fields_is_a_400(api, body):
    response = api.post("login", body)
    assert (response.status_code, response.json()["code"]) == (400, "missing_field")


def test_sec30_operator_injection_in_login_is_refused(api, user):
    response = api.post("login", {"username": "alice", "password": {"$ne": None}})
    assert (response.status_code, response.json()["code"]) == (400, "invalid_field")


def test_me_returns_the_user(api, user, token):
    response = api.get("me", token=token)
    assert response.status_code == 200
    body = response.json()
    expected = {
        "id": str(user.pk),
        "username": "alice",
        "email": "alice@example.org",
        "email_verified": False,
        "email_verified_at": None,
        "mfa_enabled": False,
        "mfa_methods": [],
    }
    assert {key: body[key] for key in expected} == expected
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("scheme", ["Bearer ", "bearer ", ""], ids=["Bearer", "lowercase", "raw"])
def test_sec10_token_is_read_from_the_authorization_header(api, token, scheme):
    assert api.get("me", token=token, scheme=scheme).status_code == 200


def test_sec10_without_a_token_me_is_a_401_with_www_authenticate(api, user):
    response = api.get("me")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_sec10_a_token_in_the_query_string_is_not_accepted(api, token):
    assert api.client.get(f"/api/auth/me?token={token}").status_code == 401


def test_a_wrong_token_is_a_401(api, token):
    response = api.get("me", token=token[:-2] + "xx")
    assert (response.status_code, response.json()["code"]) == (401, "invalid_token")
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


def test_sec12_an_expired_token_is_refused_even_before_the_ttl_index_runs(
    api, user, settings, clock
):
    settings.AUTH_TOKEN_TTL = 60
    token = api.token_for()
    clock.advance(seconds=59)
    assert api.get("me", token=token).status_code == 200
    clock.advance(seconds=1)
    response = api.get("me", token=token)
    assert (response.status_code, response.json()["code"]) == (401, "token_expired")
    assert documents.read_sessions(User, user.pk)  # still stored: refused by the check


def test_no_ttl_index_on_the_users_collection(db):
    # A TTL index on sessions.expires_at would delete the whole account, not the session.
    indexes = store.collection(User).index_information()
    assert not [spec for spec in indexes.values() if "expireAfterSeconds" in spec]
