"""The admin's login asks an account with a second factor for it; authenticate() refuses one."""

import logging
import re

import pytest
from django.contrib.auth import authenticate

from accounts.models import User
from tests.conftest import ADMIN_PASSWORD, STRONG_PASSWORD, kinds, totp_code

LOGIN = "/admin/login/"
SECOND_STEP = "/admin/login/second-factor/"
USERS = "/admin/accounts/user/"


@pytest.fixture
def mfa_admin(mfa_user):
    """alice, a superuser with TOTP on (``mfa_user``: secret, recovery codes, clock)."""
    User.objects.filter(pk=mfa_user.user.pk).update(is_staff=True, is_superuser=True)
    mfa_user.user.refresh_from_db()  # the fixture's copy predates MFA: never save() it
    return mfa_user


def password_step(client, password=STRONG_PASSWORD, next_url=USERS, username="alice"):
    body = {"username": username, "password": password, "next": next_url}
    return client.post(f"{LOGIN}?next={next_url}", body)


def second_step(client, next_url=USERS, **fields):
    return client.post(f"{SECOND_STEP}?next={next_url}", {"next": next_url, **fields})


def logged_in(client) -> bool:
    return client.get("/admin/").status_code == 200


def test_sec56_the_admin_asks_an_mfa_account_for_its_code_after_the_password(
    client, mfa_admin, clock
):
    # The review: a superuser with TOTP on reached "Site administration" with the password.
    response = password_step(client)
    assert response.status_code == 302
    assert response["Location"] == f"{SECOND_STEP}?next=%2Fadmin%2Faccounts%2Fuser%2F"
    assert not logged_in(client)

    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "admin/css/login.css" in html and re.search(r'<body class="[^"]*\blogin\b', html)
    assert 'id="second-factor-code"' in html and 'id="second-factor-recovery_code"' in html
    assert 'name="next" value="/admin/accounts/user/"' in html

    done = second_step(client, code=totp_code(mfa_admin.secret, clock))
    assert (done.status_code, done["Location"]) == (302, USERS)
    assert logged_in(client)


def test_sec56_a_recovery_code_passes_the_step_once_and_is_mailed(
    client, mfa_admin, clock, mailoutbox
):
    code = mfa_admin.recovery_codes[0]
    password_step(client)
    assert second_step(client, recovery_code=code).status_code == 302
    assert logged_in(client)
    assert kinds(mailoutbox)[-1] == "mfa_recovery_code_used"

    client.logout()
    password_step(client)
    again = second_step(client, recovery_code=code)
    assert again.status_code == 200 and "not right, or it was used" in again.content.decode()
    assert not logged_in(client)


def test_sec56_a_wrong_code_logs_nobody_in_and_five_end_the_pending_login(client, mfa_admin, clock):
    password_step(client)
    for _ in range(4):
        wrong = second_step(client, code="000000")
        assert wrong.status_code == 200 and "errornote" in wrong.content.decode()
    fifth = second_step(client, code="000000")
    assert fifth.status_code == 302 and fifth["Location"].startswith(LOGIN)
    # Even the right code no longer helps: the password is asked again.
    right = second_step(client, code=totp_code(mfa_admin.secret, clock))
    assert right.status_code == 302 and right["Location"].startswith(LOGIN)
    assert not logged_in(client)


def test_sec56_the_pending_login_ends_after_five_minutes_and_with_a_new_password(
    client, mfa_admin, clock
):
    password_step(client)
    clock.advance(seconds=301)
    late = second_step(client, code=totp_code(mfa_admin.secret, clock))
    assert late.status_code == 302 and late["Location"].startswith(LOGIN)

    password_step(client)
    mfa_admin.user.set_password("a-brand-new-password-for-alice")
    mfa_admin.user.save()
    changed = second_step(client, code=totp_code(mfa_admin.secret, clock))
    assert changed.status_code == 302 and changed["Location"].startswith(LOGIN)
    assert not logged_in(client)


def test_sec56_the_second_step_without_a_password_step_asks_for_the_password(client, db):
    response = client.get(f"{SECOND_STEP}?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=%2Fadmin%2F"


def test_cancel_ends_the_pending_login(client, mfa_admin, clock):
    password_step(client)
    cancelled = second_step(client, cancel="1")
    assert (cancelled.status_code, cancelled["Location"]) == (
        302,
        f"{LOGIN}?next=%2Fadmin%2Faccounts%2Fuser%2F",
    )
    late = second_step(client, code=totp_code(mfa_admin.secret, clock))
    assert late.status_code == 302 and late["Location"].startswith(LOGIN)
    assert not logged_in(client)


@pytest.mark.parametrize("elsewhere", ["https://evil.example/", "//evil.example/x"])
def test_sec56_next_survives_but_only_on_this_site(client, mfa_admin, clock, elsewhere):
    first = password_step(client, next_url=elsewhere)
    assert first["Location"] == f"{SECOND_STEP}?next=%2Fadmin%2F"
    done = second_step(client, next_url=elsewhere, code=totp_code(mfa_admin.secret, clock))
    assert (done.status_code, done["Location"]) == (302, "/admin/")


def test_an_account_without_mfa_logs_in_with_its_password_alone(client, db):
    User.objects.create_superuser("root", "root@example.org", ADMIN_PASSWORD)
    response = password_step(client, ADMIN_PASSWORD, username="root")
    assert (response.status_code, response["Location"]) == (302, USERS)
    assert logged_in(client)


def test_sec56_auth_admin_require_mfa_refuses_staff_without_a_second_factor(client, db, settings):
    User.objects.create_superuser("root", "root@example.org", ADMIN_PASSWORD)
    assert client.login(username="root", password=ADMIN_PASSWORD)  # a session from before
    settings.AUTH_ADMIN_REQUIRE_MFA = True
    assert not logged_in(client)  # no longer opens the admin
    client.logout()

    response = password_step(client, ADMIN_PASSWORD, username="root")
    assert response.status_code == 200
    html = response.content.decode()
    assert "this account has none" in html and "/api/auth/mfa/totp" in html
    assert not logged_in(client)


def test_sec56_auth_admin_require_mfa_lets_staff_with_a_second_factor_in(
    client, mfa_admin, clock, settings
):
    settings.AUTH_ADMIN_REQUIRE_MFA = True
    password_step(client)
    assert second_step(client, code=totp_code(mfa_admin.secret, clock)).status_code == 302
    assert logged_in(client)


def test_sec56_client_login_and_authenticate_refuse_an_account_with_mfa(client, mfa_user, caplog):
    with caplog.at_level(logging.WARNING, logger="accounts.security"):
        assert client.login(username="alice", password=STRONG_PASSWORD) is False
        assert authenticate(username="alice", password=STRONG_PASSWORD) is None
    refusals = [r for r in caplog.records if r.getMessage().startswith("event=login_refused")]
    assert len(refusals) == 2 and "via=authenticate" in refusals[0].getMessage()
    assert client.get("/admin/").status_code == 302


def test_sec27_the_admin_password_step_counts_with_the_api_login(client, mfa_admin, settings):
    settings.AUTH_THROTTLE_RATES = {"login_account": "2/900"}
    for _ in range(2):
        assert password_step(client, "wrong-wrong-wrong").status_code == 200
    throttled = password_step(client)
    assert throttled.status_code == 429 and int(throttled["Retry-After"]) >= 1
    assert "Too many login attempts" in throttled.content.decode()
