"""GET /api/auth/sessions and DELETE /api/auth/sessions/<id>: the caller's own devices (SEC-49)."""

import pytest

from accounts.errors import NotFound
from accounts.models import User
from accounts.sessions import flows as session_flows
from accounts.sessions import tokens as sessions
from tests.conftest import OTHER_PASSWORD, STRONG_PASSWORD


def session_list(api, token):
    response = api.get("sessions", token=token)
    assert response.status_code == 200, response.content
    return response.json()["sessions"]


@pytest.fixture
def bob(db):
    return User.objects.create_user("bob", "bob@example.org", OTHER_PASSWORD)


def test_get_sessions_lists_each_login_newest_first_marking_the_current_one(api, user, clock):
    first = api.token_for()
    clock.advance(seconds=5)
    second = api.login(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux) Firefox/140.0").json()["token"]
    listed = session_list(api, first)
    assert [s["current"] for s in listed] == [False, True]
    newest, oldest = listed
    assert set(newest) == {"id", "created_at", "expires_at", "current", "user_agent"}
    assert newest["user_agent"] == "Mozilla/5.0 (X11; Linux) Firefox/140.0"
    assert newest["created_at"] > oldest["created_at"]
    assert newest["expires_at"].endswith("+00:00") and "." in newest["expires_at"]
    assert [s["current"] for s in session_list(api, second)] == [True, False]


def test_sec08_a_session_id_is_neither_the_token_nor_its_digest(api, user, token):
    from accounts.core.digests import digest

    (listed,) = session_list(api, token)
    assert listed["id"] not in token and listed["id"] != digest(token)
    assert "digest" not in listed and "binding" not in listed


def test_the_user_agent_shown_is_short_and_sanitized(api, user):
    token = api.login(HTTP_USER_AGENT="evil\x00\x1b[31m<b>agent</b>" + "x" * 500).json()["token"]
    (listed,) = session_list(api, token)
    assert len(listed["user_agent"]) <= 200
    assert all(" " <= ch <= "~" for ch in listed["user_agent"])


def test_get_sessions_answers_with_and_without_trailing_slash(api, user, token):
    assert api.get("sessions/", token=token).status_code == 200


def test_get_sessions_needs_a_token(api, user):
    response = api.get("sessions")
    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")


def test_delete_a_session_ends_that_device_only(api, user, token):
    other = api.token_for()
    (other_session,) = [s for s in session_list(api, token) if not s["current"]]
    response = api.delete(f"sessions/{other_session['id']}", token=token)
    assert (response.status_code, response.content) == (204, b"")
    assert api.get("me", token=other).status_code == 401
    assert api.get("me", token=token).status_code == 200
    assert [s["current"] for s in session_list(api, token)] == [True]


def test_deleting_the_current_session_is_a_logout(api, user, token):
    (current,) = session_list(api, token)
    assert api.delete(f"sessions/{current['id']}/", token=token).status_code == 204
    assert api.get("me", token=token).status_code == 401


def test_deleting_a_session_twice_is_a_404_the_second_time(api, user, token):
    other = api.token_for()
    (listed,) = [s for s in session_list(api, other) if s["current"]]
    assert api.delete(f"sessions/{listed['id']}", token=token).status_code == 204
    again = api.delete(f"sessions/{listed['id']}", token=token)
    assert (again.status_code, again.json()["code"]) == (404, "not_found")


def answer(response):
    """What a client can observe of an answer, minus what differs per request anyway."""
    headers = {k: v for k, v in response.items() if k.lower() not in {"date"}}
    return response.status_code, response.content, headers


def test_sec49_two_accounts_cannot_list_or_end_each_others_sessions(api, user, bob):
    alice_token, bob_token = api.token_for(), api.token_for("bob", OTHER_PASSWORD)
    (alice_session,) = session_list(api, alice_token)
    (bob_session,) = session_list(api, bob_token)
    assert alice_session["id"] != bob_session["id"]

    unknown = answer(api.delete("sessions/AAAAAAAAAAAAAAAAAAAAAA", token=alice_token))
    assert unknown[0] == 404 and b'"not_found"' in unknown[1]
    assert answer(api.delete(f"sessions/{bob_session['id']}", token=alice_token)) == unknown
    assert answer(api.delete(f"sessions/{alice_session['id']}", token=bob_token)) == answer(
        api.delete("sessions/AAAAAAAAAAAAAAAAAAAAAA", token=bob_token)
    )
    # Both sessions survived the attempts, and each list shows only its owner's.
    assert api.get("me", token=alice_token).status_code == 200
    assert api.get("me", token=bob_token).status_code == 200
    assert [s["id"] for s in session_list(api, alice_token)] == [alice_session["id"]]
    assert [s["id"] for s in session_list(api, bob_token)] == [bob_session["id"]]


def test_sec49_an_expired_session_is_not_found_either(api, user, settings, clock):
    settings.AUTH_TOKEN_TTL = 60
    old = api.token_for()
    (old_session,) = session_list(api, old)
    clock.advance(seconds=61)
    fresh = api.token_for()
    response = api.delete(f"sessions/{old_session['id']}", token=fresh)
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert len(session_list(api, fresh)) == 1


@pytest.mark.parametrize(
    "session_id", ["%00", "%24ne", "..", "x" * 200, "%F0%9F%94%91", "a%2Fb", "null"]
)
def test_sec30_odd_session_ids_are_a_404_never_a_500(api, user, token, session_id):
    response = api.delete(f"sessions/{session_id}", token=token)
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert api.get("me", token=token).status_code == 200


def test_delete_sessions_id_needs_a_token(api, user, token):
    (listed,) = session_list(api, token)
    response = api.delete(f"sessions/{listed['id']}")
    assert response.status_code == 401
    assert api.get("me", token=token).status_code == 200


def test_session_paths_refuse_other_methods(api, user, token):
    response = api.post("sessions", token=token)
    assert (response.status_code, response["Allow"]) == (405, "GET")
    response = api.get("sessions/abc", token=token)
    assert (response.status_code, response["Allow"]) == (405, "DELETE")


def test_the_functions_work_without_http(api, user, token):
    (listed,) = session_flows.list_sessions(user)
    assert listed["current"] is False
    session_flows.revoke_session(user, listed["id"])
    assert sessions.list_sessions(user) == []
    with pytest.raises(NotFound):
        session_flows.revoke_session(user, listed["id"])


def test_a_password_change_ends_every_listed_session(api, user, token):
    api.token_for()
    body = {"current_password": STRONG_PASSWORD, "new_password": OTHER_PASSWORD}
    api.post("password", body, token=token)
    assert session_list(api, api.token_for(password=OTHER_PASSWORD))[0]["current"]
    assert len(session_list(api, api.token_for(password=OTHER_PASSWORD))) == 2
