"""The reference front end in Chromium, on one origin, against the API on another (SEC-64).

A browser session across the two origins (``tests/demo/conftest.py``), login by code, the
two-factor set-up, the account's flows, and the demo as ``make run`` serves it. Passkeys and
social login in the demo: ``test_demo_passkeys.py``, ``test_demo_social.py``.
"""

from types import SimpleNamespace

import pytest

from accounts import documents
from accounts.models import User
from tests.conftest import STRONG_PASSWORD, login_code_from, totp_code
from tests.demo.page import (
    csp_violations,
    fetch,
    fill,
    flashed,
    log_in_with_password,
    press,
    shown,
    signed_in_as,
    wait_shown,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_sec64_a_session_across_origins_logs_in_changes_and_logs_out(browser, demo):
    log_in_with_password(browser, demo)
    signed_in_as(browser, "alice")
    assert "auth_session" not in browser.run("return document.cookie")
    # The browser holds it, HttpOnly, where the page's scripts cannot reach it.
    (cookie,) = [c for c in browser.cookies() if c["name"] == "__Host-auth_session"]
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Lax"

    # A change: PATCH me, CSRF-protected; the API asks for a re-authentication first.
    fill(browser, "#new-username", "alicia")
    press(browser, "#username-form button[type=submit]")
    wait_shown(browser, "#reauth-dialog")
    fill(browser, "#reauth-password", STRONG_PASSWORD)
    press(browser, "#reauth-form button[type=submit]")
    assert flashed(browser, "Your username is now alicia.")
    assert browser.text("#who-name") == "alicia"
    assert User.objects.get(pk=User.objects.get().pk).username == "alicia"

    user = User.objects.get()
    assert len(documents.read_sessions(User, user.pk)) == 1
    press(browser, "#logout")
    wait_shown(browser, "#signed-out")
    assert documents.read_sessions(User, user.pk) == []  # revoked, not just forgotten
    assert not [c for c in browser.cookies() if c["name"] == "__Host-auth_session"]
    assert csp_violations(browser) == []


def test_sec64_a_cookie_post_without_the_csrf_header_is_a_json_403(browser, demo):
    log_in_with_password(browser, demo)
    signed_in_as(browser, "alice")
    answer = fetch(browser, f"{demo.api}/api/auth/logout", "POST", {"X-Auth-Client": "browser"})
    assert answer == {
        "status": 403,
        "body": {
            "error": "CSRF verification failed: a request that relies on cookies must send the "
            "CSRF cookie's value in the X-CSRFToken header.",
            "code": "csrf_failed",
        },
    }
    me = fetch(browser, f"{demo.api}/api/auth/me")
    assert me["status"] == 200 and me["body"]["username"] == "alice"  # still logged in


def test_sec64_an_origin_not_on_the_list_fails_its_preflight(browser, demo):
    # A page of another origin: the API's host spelled 127.0.0.1, which nobody listed.
    browser.open(demo.api.replace("localhost", "127.0.0.1") + "/api/health")
    answer = fetch(
        browser,
        f"{demo.api}/api/auth/register",
        "POST",
        {"Content-Type": "application/json", "X-Auth-Client": "browser"},
        {"username": "mallory", "email": "m@example.org", "password": STRONG_PASSWORD},
    )
    assert "error" in answer and "Failed to fetch" in answer["error"]
    assert not User.objects.filter(username="mallory").exists()  # the POST was never sent


def test_sec63_login_by_code_in_the_demo_with_the_mail_from_the_outbox(browser, demo, mailoutbox):
    browser.open(demo.url)
    wait_shown(browser, "#code-request-form")
    fill(browser, "#code-email", "alice@example.org")
    press(browser, "#code-request-form button[type=submit]")
    wait_shown(browser, "#code-form")
    (message,) = mailoutbox
    fill(browser, "#code-code", login_code_from(message))
    press(browser, "#code-form button[type=submit]")
    wait_shown(browser, "#signed-in")
    assert browser.text("#who-name") == "alice"
    assert browser.text("#verified-badge") == "Email verified"  # the code proved the address


def test_the_demo_sets_up_two_factor_with_its_qr_code(browser, demo, clock):
    log_in_with_password(browser, demo)
    signed_in_as(browser, "alice")
    press(browser, "#mfa-setup")
    wait_shown(browser, "#reauth-dialog")
    fill(browser, "#reauth-password", STRONG_PASSWORD)
    press(browser, "#reauth-form button[type=submit]")
    wait_shown(browser, "#mfa-confirm-form")
    assert browser.wait_until(
        lambda: browser.run("return document.getElementById('mfa-qr').naturalWidth > 0")
    ), "the QR code did not load under the page's CSP"
    secret = browser.text("#mfa-secret")
    fill(browser, "#mfa-confirm-code", "000000")  # wrong first: shown next to its field
    press(browser, "#mfa-confirm-form button[type=submit]")
    assert browser.wait_until(lambda: shown(browser, '#mfa-confirm-form [data-error-for="code"]'))
    assert "code" in browser.text('#mfa-confirm-form [data-error-for="code"]').lower()
    browser.clear(browser.find("#mfa-confirm-code"))
    fill(browser, "#mfa-confirm-code", totp_code(secret, clock))
    press(browser, "#mfa-confirm-form button[type=submit]")
    wait_shown(browser, "#recovery-codes")
    assert len(browser.find_all("#recovery-list li")) == 10
    assert browser.wait_until(lambda: browser.text("#mfa-badge") == "On")

    # The next login asks for the second factor.
    press(browser, "#logout")
    wait_shown(browser, "#login-form")
    fill(browser, "#login-username", "alice")
    fill(browser, "#login-password", STRONG_PASSWORD)
    press(browser, "#login-form button[type=submit]")
    wait_shown(browser, "#mfa-form")
    clock.advance(seconds=30)  # the set-up's code is spent: the app shows the next one
    fill(browser, "#mfa-code", totp_code(secret, clock))
    press(browser, "#mfa-form button[type=submit]")
    wait_shown(browser, "#signed-in")
    assert csp_violations(browser) == []


def test_the_demo_registers_and_runs_the_account_flows(browser, demo, mailoutbox, api):
    browser.open(demo.url)
    wait_shown(browser, "#tab-register")
    press(browser, "#tab-register")
    fill(browser, "#register-username", "bob")
    fill(browser, "#register-email", "bob@example.org")
    fill(browser, "#register-password", "bob")  # too short: said next to the field
    press(browser, "#register-form button[type=submit]")
    error = '#register-form [data-error-for="password"]'
    assert browser.wait_until(lambda: shown(browser, error))
    assert "short" in browser.text(error)
    browser.clear(browser.find("#register-password"))
    fill(browser, "#register-password", "granite-tulip-orbit-meadow")
    press(browser, "#register-form button[type=submit]")
    wait_shown(browser, "#signed-in")
    assert browser.text("#who-name") == "bob"
    assert [m.to for m in mailoutbox] == [["bob@example.org"]]  # the verification link

    # Another session of bob's, ended from the list; the current one is marked.
    api.login("bob", "granite-tulip-orbit-meadow")
    browser.run("location.reload()")
    assert browser.wait_until(lambda: len(browser.find_all("#session-list li")) == 2)
    press(browser, "#session-list li button")
    assert browser.wait_until(lambda: len(browser.find_all("#session-list li")) == 1)
    assert browser.text("#session-list .badge") == "This browser"

    # An email change: re-authentication first, then the link goes to the new address.
    fill(browser, "#new-email", "robert@example.org")
    press(browser, "#email-form button[type=submit]")
    wait_shown(browser, "#reauth-dialog")
    fill(browser, "#reauth-password", "not-bobs-password")  # wrong: said in the dialog
    press(browser, "#reauth-form button[type=submit]")
    reauth_error = '#reauth-form [data-error-for="current_password"]'
    assert browser.wait_until(lambda: shown(browser, reauth_error))
    browser.clear(browser.find("#reauth-password"))
    fill(browser, "#reauth-password", "granite-tulip-orbit-meadow")
    press(browser, "#reauth-form button[type=submit]")
    assert flashed(browser, "on its way")
    assert ["robert@example.org"] in [message.to for message in mailoutbox]

    # A password change ends every session: back to the login.
    fill(browser, "#current-password", "granite-tulip-orbit-meadow")
    fill(browser, "#new-password", "harbor-violet-engine-pebble")
    press(browser, "#password-form button[type=submit]")
    wait_shown(browser, "#login-form")
    assert "password is changed" in browser.text("#flash")
    assert csp_violations(browser) == []


def test_the_demo_works_as_make_run_serves_it(browser, live_server, settings):
    # make run: DEBUG, plain HTTP, so cookies without Secure or __Host-; the API on the
    # demo's own origin, so no CORS at all.
    settings.DEBUG = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.CSRF_COOKIE_NAME = "csrftoken"
    User.objects.create_user("alice", "alice@example.org", STRONG_PASSWORD)
    log_in_with_password(browser, SimpleNamespace(url=f"{live_server.url}/demo/"))
    signed_in_as(browser, "alice")
    (cookie,) = [c for c in browser.cookies() if c["name"] == "auth_session"]
    assert cookie["httpOnly"] and not cookie["secure"]
    press(browser, "#send-verification")  # a POST on the cookie, with its CSRF header
    assert flashed(browser, "on its way")
    press(browser, "#logout")
    wait_shown(browser, "#signed-out")
    assert csp_violations(browser) == []
