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
