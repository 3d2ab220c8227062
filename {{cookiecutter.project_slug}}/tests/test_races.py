"""Races over a live server and the real database: unique indexes and atomic updates decide."""

import json
import threading

import pytest

from accounts.models import User
from tests.conftest import OTHER_PASSWORD, STRONG_PASSWORD, http_request, link_token_from

RACERS = 6


def send(url, method, body):
    return http_request(method, url, body, timeout=30)[0]


def race(calls):
    """Run each ``(url, method, body)`` in its own thread, released at the same moment."""
    barrier = threading.Barrier(len(calls))
    statuses = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        statuses[i] = send(*call)

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return sorted(statuses)


@pytest.mark.parametrize("clash", ["username", "email"])
def test_sec41_racing_duplicate_registrations_make_exactly_one_account(live_server, clash):
    calls = []
    for i in range(RACERS):
        username = "racer" if clash == "username" else f"racer{i}"
        email = "racer@example.org" if clash == "email" else f"racer{i}@example.org"
        body = {"username": username, "email": email, "password": STRONG_PASSWORD}
        calls.append((f"{live_server.url}/api/auth/register", "POST", body))
    statuses = race(calls)
    assert statuses == [201] + [400] * (RACERS - 1)
    assert User.objects.count() == 1


def test_sec16_racing_uses_of_one_reset_link_give_one_success(live_server, mailoutbox):
    User.objects.create_user("alice", "alice@example.org", STRONG_PASSWORD)
    send(f"{live_server.url}/api/auth/reset", "POST", {"email": "alice@example.org"})
    link = link_token_from(mailoutbox[-1])
    body = {"a": link, "new_password": OTHER_PASSWORD}
    statuses = race([(f"{live_server.url}/api/auth/reset", "PUT", body)] * RACERS)
    assert statuses == [200] + [400] * (RACERS - 1)


def test_sec42_racing_uses_of_one_verify_link_give_one_success(live_server, mailoutbox):
    User.objects.create_user("alice", "alice@example.org", STRONG_PASSWORD)
    login = {"username": "alice", "password": STRONG_PASSWORD}
    _, body, _ = http_request("POST", f"{live_server.url}/api/auth/login", login)
    token = json.loads(body)["token"]
    http_request("POST", f"{live_server.url}/api/auth/verify", headers={"Authorization": token})
    link = link_token_from(mailoutbox[-1])
    statuses = race([(f"{live_server.url}/api/auth/verify", "PUT", {"a": link})] * RACERS)
    assert statuses == [200] + [400] * (RACERS - 1)


def _login(url):
    status, body, _ = http_request("POST", f"{url}/api/auth/login", LOGIN, timeout=30)
    return status, json.loads(body)


LOGIN = {"username": "alice", "password": STRONG_PASSWORD}


def test_sec48_racing_confirmations_of_one_email_change_link_give_one_success(
    live_server, mailoutbox
):
    User.objects.create_user("alice", "alice@example.org", STRONG_PASSWORD)
    token = _login(live_server.url)[1]["token"]
    body = {"new_email": "alice@example.net", "current_password": STRONG_PASSWORD}
    http_request("POST", f"{live_server.url}/api/auth/email", body, {"Authorization": token})
    link = link_token_from(mailoutbox[0])
    statuses = race([(f"{live_server.url}/api/auth/email", "PUT", {"a": link})] * RACERS)
    assert statuses == [200] + [400] * (RACERS - 1)
    assert User.objects.get(username="alice").email == "alice@example.net"
    done = [m for m in mailoutbox if "was changed" in m.subject]
    assert len(done) == 1 and done[0].to == ["alice@example.org"]


def test_sec14_a_deletion_racing_logins_leaves_no_working_token(live_server):
    User.objects.create_user("alice", "alice@example.org", STRONG_PASSWORD)
    url = live_server.url
    token = _login(url)[1]["token"]
    barrier = threading.Barrier(RACERS)
    results = {}

    def delete():
        barrier.wait()
        body = {"current_password": STRONG_PASSWORD}
        results["delete"] = http_request(
            "DELETE", f"{url}/api/auth/me", body, {"Authorization": token}, timeout=30
        )[0]

    def login(i):
        barrier.wait()
        results[i] = _login(url)

    threads = [threading.Thread(target=delete)]
    threads += [threading.Thread(target=login, args=(i,)) for i in range(RACERS - 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert results.pop("delete") == 204
    assert {status for status, _ in results.values()} <= {200, 400}
    for status, body in results.values():
        if status == 200:  # logged in just before the account went: the token must be dead
            me = http_request("GET", f"{url}/api/auth/me", headers={"Authorization": body["token"]})
            assert me[0] == 401
    assert not User.objects.filter(username="alice").exists()
    assert _login(url)[0] == 400
