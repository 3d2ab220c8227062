"""Races over a live server and the real database: unique indexes and atomic updates decide."""

import json
import threading
import urllib.error
import urllib.request

import pytest

from accounts.models import User
from tests.conftest import OTHER_PASSWORD, STRONG_PASSWORD, link_token_from

RACERS = 6


def send(url, method, body):
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method=method,
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


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
    request = urllib.request.Request(
        f"{live_server.url}/api/auth/login",
        method="POST",
        data=json.dumps({"username": "alice", "password": STRONG_PASSWORD}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310
        token = json.loads(response.read())["token"]
    verify = urllib.request.Request(
        f"{live_server.url}/api/auth/verify", method="POST", headers={"Authorization": token}
    )
    urllib.request.urlopen(verify).close()  # noqa: S310
    link = link_token_from(mailoutbox[-1])
    statuses = race([(f"{live_server.url}/api/auth/verify", "PUT", {"a": link})] * RACERS)
    assert statuses == [200] + [400] * (RACERS - 1)
