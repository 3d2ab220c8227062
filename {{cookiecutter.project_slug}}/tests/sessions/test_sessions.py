"""Sessions in the user's document: the token's shape, the password binding, the bounds."""

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.core.management import call_command
from django.test import RequestFactory

from accounts import documents
from accounts.core.digests import digest
from accounts.models import User
from accounts.sessions import tokens as sessions
from accounts.sessions.decorators import authenticate_request
from tests.conftest import OTHER_PASSWORD, STRONG_PASSWORD


def stored(user):
    return documents.read_sessions(User, user.pk)


def test_a_token_carries_the_account_id_and_256_random_bits(user, token):
    account, dot, secret = token.partition(".")
    assert (account, dot) == (str(user.pk), ".")
    assert len(secret) >= 43


def test_a_session_id_is_random_and_not_the_digest(api, user):
    api.token_for(), api.token_for()
    first, second = stored(user)
    assert first["id"] != second["id"] and len(first["id"]) >= 22
    assert first["id"] not in first["digest"]


def test_the_secret_of_one_account_under_another_accounts_id_is_refused(api, user, token):
    bob = User.objects.create_user("bob", "bob@example.org", STRONG_PASSWORD)
    forged = f"{bob.pk}.{token.partition('.')[2]}"
    assert api.get("me", token=forged).status_code == 401


@pytest.mark.parametrize(
    "token",
    [
        "no-separator-at-all",
        ".only-a-secret",
        "zzzzzzzzzzzzzzzzzzzzzzzz.secret",
        "99999999999999999999999999.secret",
        "１２.secret",
        "-1.secret",
        "12345.",
    ],
)
def test_malformed_tokens_are_a_401_never_a_500(api, user, token):
    response = api.get("me", token=token)
    assert (response.status_code, response.json()["code"]) == (401, "invalid_token")


@pytest.mark.parametrize("how", ["set_password_and_save", "changepassword", "queryset_update"])
def test_any_password_change_ends_every_session(api, user, token, how, monkeypatch):
    if how == "set_password_and_save":
        user.set_password(OTHER_PASSWORD)
        user.save()
    elif how == "changepassword":
        monkeypatch.setattr("getpass.getpass", lambda prompt="": OTHER_PASSWORD)
        call_command("changepassword", "alice", stdout=open("/dev/null", "w"))  # noqa: SIM115
    else:  # behind the model's back: only the binding can notice
        User.objects.filter(pk=user.pk).update(password=make_password(OTHER_PASSWORD))
    assert api.get("me", token=token).status_code == 401


def test_saving_the_user_without_a_password_change_keeps_the_sessions(api, user, token):
    user.email_verified = True
    user.save()
    assert api.get("me", token=token).status_code == 200


def test_a_hash_upgrade_at_login_keeps_the_other_sessions(api, user):
    # An older PBKDF2 hash; few iterations, as Django's own millions would only cost time.
    pbkdf2 = PBKDF2PasswordHasher()
    old_hash = pbkdf2.encode(STRONG_PASSWORD, pbkdf2.salt(), iterations=1000)
    User.objects.filter(pk=user.pk).update(password=old_hash)
    user.refresh_from_db()
    old = sessions.issue(user).token
    assert api.login().status_code == 200  # Django re-hashes with the first hasher
    user.refresh_from_db()
    assert not user.password.startswith("pbkdf2_sha256$")
    assert api.get("me", token=old).status_code == 200


def test_login_keeps_the_newest_sessions_up_to_the_cap(api, user, settings):
    settings.AUTH_MAX_SESSIONS = 3
    tokens = [api.token_for() for _ in range(5)]
    assert len(stored(user)) == 3
    assert [api.get("me", token=t).status_code for t in tokens] == [401, 401, 200, 200, 200]


def test_login_drops_expired_sessions(api, user, settings, clock):
    settings.AUTH_TOKEN_TTL = 60
    api.token_for()
    clock.advance(seconds=61)
    fresh = api.token_for()
    assert [s["digest"] for s in stored(user)] == [digest(fresh)]


def test_the_user_agent_is_kept_short_and_printable(api, user):
    api.login(HTTP_USER_AGENT="Browser/1.0\r\nX-Injected: 1\x00" + "é" * 5 + "a" * 500)
    (session,) = sessions.list_sessions(user)
    assert session.user_agent.startswith("Browser/1.0??X-Injected: 1??????aaa")
    assert len(session.user_agent) == 200 and session.user_agent.isascii()


def test_list_sessions_is_newest_first_and_only_live_ones(api, user, settings, clock):
    settings.AUTH_TOKEN_TTL = 100
    api.token_for()
    clock.advance(seconds=50)
    second = api.token_for()
    clock.advance(seconds=10)
    third = api.token_for()
    clock.advance(seconds=45)  # the first has expired
    listed = sessions.list_sessions(user)
    wanted = [sessions.authenticate(t)[1].id for t in (third, second)]
    assert [s.id for s in listed] == wanted


def test_revoke_session_ends_only_the_owners_live_session(api, user):
    bob = User.objects.create_user("bob", "bob@example.org", STRONG_PASSWORD)
    token = api.token_for()
    _, session = sessions.authenticate(token)
    assert sessions.revoke_session(bob, session.id) is False  # not bob's: unknown to him
    assert api.get("me", token=token).status_code == 200
    assert sessions.revoke_session(user, session.id) is True
    assert api.get("me", token=token).status_code == 401
    assert sessions.revoke_session(user, session.id) is False


def test_the_request_carries_its_session(user, token):
    request = RequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert authenticate_request(request) == user
    assert request.auth_session.id == stored(user)[0]["id"]
    assert request.auth_session.expires_at.tzinfo is not None


def test_the_seed_api_logout_ends_the_requests_session(api, user):
    phone, laptop = User.login("alice", STRONG_PASSWORD), User.login("alice", STRONG_PASSWORD)
    User.logout(RequestFactory().post("/", HTTP_AUTHORIZATION=phone))
    assert api.get("me", token=phone).status_code == 401
    assert api.get("me", token=laptop).status_code == 200
