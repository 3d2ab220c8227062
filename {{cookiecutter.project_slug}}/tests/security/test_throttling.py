"""Throttles kept in MongoDB: login, emails, link uses, registrations (SEC-25, 27, 28)."""

import pytest

from accounts import store
from accounts.models import ThrottleCounter
from tests.conftest import STRONG_PASSWORD, link_token_from


def fail_logins(api, times, username="alice", **extra):
    return [
        api.login(username=username, password="wrong-password-xyz", **extra) for _ in range(times)
    ]


def test_sec27_failed_logins_throttle_the_account_with_429_and_retry_after(api, user, rates):
    rates(login_account="3/60")
    assert [r.status_code for r in fail_logins(api, 3)] == [400, 400, 400]
    response = api.login()  # the right password, while throttled
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert 1 <= int(response["Retry-After"]) <= 60


def test_sec27_unknown_accounts_are_throttled_exactly_like_real_ones(api, user, rates):
    rates(login_account="2/60")
    real = fail_logins(api, 3, username="alice")[-1]
    unknown = fail_logins(api, 3, username="nobody-here")[-1]
    assert (real.status_code, real.content) == (unknown.status_code, unknown.content)
    assert real.status_code == 429


def test_sec27_the_account_throttle_ends_with_its_window(api, user, rates, clock):
    rates(login_account="2/60")
    fail_logins(api, 2)
    assert api.login().status_code == 429
    clock.advance(seconds=61)
    assert api.login().status_code == 200


def test_sec27_failed_logins_throttle_the_client_ip_across_accounts(api, user, rates):
    rates(login_ip="4/60")
    for name in ["u1", "u2", "u3", "u4"]:
        fail_logins(api, 1, username=name)
    assert api.login().status_code == 429


def test_sec27_x_forwarded_for_is_ignored_by_default(api, user, rates):
    rates(login_ip="2/60")
    fail_logins(api, 1, username="a", HTTP_X_FORWARDED_FOR="10.0.0.1")
    fail_logins(api, 1, username="b", HTTP_X_FORWARDED_FOR="10.0.0.2")
    assert api.login(HTTP_X_FORWARDED_FOR="10.0.0.3").status_code == 429


def test_sec27_a_trusted_proxy_count_uses_the_forwarded_address(api, user, rates, settings):
    rates(login_ip="2/60")
    settings.AUTH_TRUSTED_PROXY_COUNT = 1
    fail_logins(api, 2, username="a", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert api.login(HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    assert api.login(HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 200


def test_sec27_counters_live_in_the_database_not_in_process_memory(api, user, rates):
    rates(login_account="5/60")
    fail_logins(api, 2)
    counters = {c.scope: c.hits for c in ThrottleCounter.objects.all()}
    assert counters == {"login_account": 2, "login_ip": 2}
    assert all(len(c.key) == 64 and "alice" not in c.key for c in ThrottleCounter.objects.all())


def test_sec28_reset_emails_are_throttled_per_account_the_same_for_unknown_ones(api, user, rates):
    rates(email_account="2/3600")
    for email in ["alice@example.org", "nobody@example.org"]:
        statuses = [api.post("reset", {"email": email}).status_code for _ in range(3)]
        assert statuses == [200, 200, 429], email


def test_sec28_emails_are_throttled_per_ip(api, user, token, rates, mailoutbox):
    rates(email_ip="2/3600")
    api.post("verify", token=token)
    api.post("reset", {"email": "someone@example.org"})
    response = api.post("reset", {"email": "alice@example.org"})
    assert response.status_code == 429
    assert len(mailoutbox) == 1


def test_sec28_link_token_puts_are_throttled_per_ip(api, user, rates, mailoutbox):
    rates(link_ip="3/900")
    for _ in range(3):
        assert api.put("verify?a=guess-guess-guess").status_code == 400
    api.post("reset", {"email": "alice@example.org"})
    real = link_token_from(mailoutbox[-1])
    response = api.put(f"reset?a={real}", {"new_password": "fresh-harbor-lantern-orbit"})
    assert response.status_code == 429  # guessing costs the guesser, even with a real link


def test_sec25_registrations_are_throttled_per_ip(api, rates):
    rates(register_ip="2/3600")
    statuses = [
        api.register(username=f"user{i}", email=f"user{i}@example.org").status_code
        for i in range(3)
    ]
    assert statuses == [201, 201, 429]


def test_sec06_wrong_current_passwords_throttle_the_password_change(api, user, token, rates):
    rates(login_account="2/60")
    body = {"current_password": "wrong-wrong-wrong", "new_password": "fresh-harbor-lantern-orbit"}
    assert [api.post("password", body, token=token).status_code for _ in range(2)] == [400, 400]
    body["current_password"] = STRONG_PASSWORD
    assert api.post("password", body, token=token).status_code == 429


def test_throttling_can_be_switched_off(api, user, rates, settings):
    rates(login_account="1/60")
    settings.AUTH_THROTTLE_ENABLED = False
    fail_logins(api, 3)
    assert api.login().status_code == 200


def test_the_ttl_index_tidies_ended_windows(db):
    indexes = store.collection(ThrottleCounter).index_information()
    assert any(spec.get("expireAfterSeconds") == 0 for spec in indexes.values())


def test_sec27_successful_logins_never_use_up_the_account_throttle(api, user, rates):
    rates(login_account="3/900", login_ip="3/900")
    assert [api.login().status_code for _ in range(10)] == [200] * 10
    fail_logins(api, 2)
    assert api.login().status_code == 200  # 2 failures + this try: within 3


def test_sec27_a_throttled_login_evaluates_no_password(api, user, rates, hash_calls):
    rates(login_account="2/900")
    fail_logins(api, 2)
    hash_calls.clear()
    assert api.login().status_code == 429
    assert hash_calls == []  # refused before any hash: the count came first


@pytest.mark.parametrize(
    ("first", "second", "shared"),
    [
        ("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:fffe", True),  # one /64
        ("2001:db8:1:2::1", "2001:db8:1:3::1", False),  # the next /64
        ("198.51.100.7", "::ffff:198.51.100.7", True),  # IPv4-mapped is the IPv4 address
        ("198.51.100.7", "198.51.100.8", False),
    ],
)
def test_sec27_ipv6_clients_are_counted_per_64(api, user, rates, first, second, shared):
    rates(login_ip="2/900")
    fail_logins(api, 2, username="someone", REMOTE_ADDR=first)
    expected = 429 if shared else 200
    assert api.login(REMOTE_ADDR=second).status_code == expected


def test_sec27_a_forwarded_ipv6_address_is_counted_per_64_too(api, user, rates, settings):
    rates(login_ip="2/900")
    settings.AUTH_TRUSTED_PROXY_COUNT = 1
    fail_logins(api, 2, username="x", HTTP_X_FORWARDED_FOR="2001:db8:aa:bb::1")
    assert api.login(HTTP_X_FORWARDED_FOR="2001:db8:aa:bb:cc::2").status_code == 429


def test_sec27_no_usable_client_ip_is_logged_once_and_shares_one_bucket(
    api, user, rates, caplog, monkeypatch
):
    monkeypatch.setattr("accounts.core.client._warned_unusable", False)
    rates(login_ip="2/900")
    with caplog.at_level("WARNING", logger="accounts.security"):
        fail_logins(api, 1, username="a", REMOTE_ADDR="")  # a unix socket: no address
        fail_logins(api, 1, username="b", REMOTE_ADDR="unix:/run/app.sock")
        assert api.login(REMOTE_ADDR="").status_code == 429
    warnings = [r.getMessage() for r in caplog.records if "event=no_client_ip" in r.getMessage()]
    assert len(warnings) == 1 and "AUTH_TRUSTED_PROXY_COUNT" in warnings[0]
