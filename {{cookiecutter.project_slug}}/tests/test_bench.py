"""``make bench``'s own parts: its accounts log in like any other, its views answer.

The benchmark itself is run by hand (``make bench``); timings are never asserted here.
"""

import pytest

from accounts import documents
from accounts.models import User
from accounts.sessions import browser
from accounts.sessions import tokens as sessions
from bench import load, seed

pytestmark = pytest.mark.urls("bench.urls")


def test_seeded_accounts_have_a_live_session_each(db):
    tokens = seed.add_accounts(0, 3)
    assert User.objects.count() == 3
    for number, token in enumerate(tokens):
        user, session = sessions.authenticate(token)
        assert user.username == f"bench{number}" and session.user_agent == "bench"
    assert len(documents.read_sessions(User, user.pk)) == 1


def test_the_bench_views_and_me_answer_with_a_seeded_token(client, db):
    (token,) = seed.add_accounts(0, 1)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/bench/bare").json() == {"ok": True}
    assert client.get("/api/bench/floor", **auth).json() == {"username": "bench0"}
    assert client.get("/api/auth/me", **auth).json()["username"] == "bench0"


def test_the_bench_views_are_not_in_the_projects_urls(client, settings):
    settings.ROOT_URLCONF = "config.urls"
    assert client.get("/api/bench/bare").status_code == 404


@pytest.mark.parametrize("by_cookie", [False, True], ids=["bearer", "cookie"])
def test_the_bundled_client_counts_answers(live_server, db, monkeypatch, by_cookie):
    monkeypatch.setattr(load, "have_wrk", lambda: False)
    (token,) = seed.add_accounts(0, 1)
    header = load.cookie(browser.cookie_name()) if by_cookie else load.BEARER
    result = load.run(f"{live_server.url}/api/auth/me", [token], 0.3, 2, 1, header)
    assert result.requests_per_second > 0 and result.errors == 0
    wrong = load.run(f"{live_server.url}/api/auth/me", [token + "x"], 0.1, 1, 1, header)
    assert wrong.errors > 0  # the token did go where the client said
