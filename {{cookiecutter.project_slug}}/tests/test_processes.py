"""Two server processes, one database: revocation and throttles are shared at once (SEC-27)."""

import json

import pytest

from accounts.models import User
from tests.conftest import (
    STRONG_PASSWORD,
    AppProcess,
    database_uri_for_subprocesses,
    http_request,
)
from tests.test_races import race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.processes]


# The suite's cheap bcrypt in the servers too (tests/settings.py, as test_contract runs them):
# with the production cost every wrong guess also pays Django's harden_runtime, a full
# 2^12-round bcrypt, and every right one re-hashes the test user's cheap hash: seconds of CPU
# that prove nothing here. What these tests count, the throttle's shared counter and the
# shared session store, is the same code under either settings module.
FAST_HASH = {"DJANGO_SETTINGS_MODULE": "tests.settings"}


@pytest.fixture
def two_servers():
    uri = database_uri_for_subprocesses()
    rates = "login_account=4/86400"
    # Both spawned before either is waited for: they start side by side.
    servers = [AppProcess(uri, AUTH_THROTTLE_RATES=rates, **FAST_HASH).spawn() for _ in range(2)]
    try:
        yield [server.wait_until_ready() for server in servers]
    finally:
        for server in servers:
            server.stop()


def login(server, password=STRONG_PASSWORD):
    body = {"username": "alice", "password": password}
    return http_request("POST", f"{server.url}/api/auth/login", body)


def test_a_logout_on_one_process_kills_the_token_on_the_other_at_once(two_servers):
    first, second = two_servers
    User.objects.create_user("alice", "alice@example.org", STRONG_PASSWORD)
    token = json.loads(login(first)[1])["token"]
    auth = {"Authorization": token}
    assert http_request("GET", f"{second.url}/api/auth/me", headers=auth)[0] == 200
    assert http_request("POST", f"{first.url}/api/auth/logout", headers=auth)[0] == 204
    assert http_request("GET", f"{second.url}/api/auth/me", headers=auth)[0] == 401


def test_sec27_throttling_counts_across_both_processes(two_servers):
    first, second = two_servers
    User.objects.create_user("alice", "alice@example.org", STRONG_PASSWORD)
    for server in [first, second, first, second]:
        assert login(server, "wrong-password-xyz")[0] == 400
    status, _, headers = login(second)
    assert status == 429 and int(headers["Retry-After"]) > 0
    assert login(first)[0] == 429


def test_sec27_racing_guesses_on_two_gunicorn_workers_evaluate_at_most_the_limit(app_process):
    # The review saw 11 of 30 evaluated against a limit of 10 on gunicorn with 2 workers.
    uri = database_uri_for_subprocesses()
    server = app_process(uri, workers=2, AUTH_THROTTLE_RATES="login_account=11/86400", **FAST_HASH)
    User.objects.create_user("alice", "alice@example.org", STRONG_PASSWORD)
    body = {"username": "alice", "password": "wrong-password-guess"}
    assert login(server, body["password"])[0] == 400  # the window's counter exists: see test_races
    statuses = race([(f"{server.url}/api/auth/login", "POST", body)] * 40)
    assert statuses == [400] * 10 + [429] * 30
    assert login(server)[0] == 429  # the right password too, until the window ends
