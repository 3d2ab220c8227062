"""The pages in a real browser (headless chromium): the email link opens, a press completes it."""

import json

import pytest

from accounts.models import LinkToken, User
from tests.conftest import OTHER_PASSWORD, STRONG_PASSWORD, http_request, link_token_from

pytestmark = pytest.mark.django_db(transaction=True)

# Every API call the page made, as the browser's Resource Timing records it.
API_CALLS = (
    "return performance.getEntriesByType('resource')"
    ".map(function (e) { return e.name; }).filter(function (n) { return n.includes('/api/'); })"
)


def post(live_server, path, body, token=None):
    headers = {"Authorization": token} if token else {}
    status, answer, _ = http_request("POST", f"{live_server.url}/api/auth/{path}", body, headers)
    return status, json.loads(answer or b"{}")


@pytest.fixture
def alice(live_server):
    return User.objects.create_user("alice", "alice@example.org", STRONG_PASSWORD)


@pytest.fixture
def verify_link(live_server, alice, mailoutbox):
    token = post(live_server, "login", {"username": "alice", "password": STRONG_PASSWORD})[1]
    assert post(live_server, "verify", {}, token["token"])[0] == 201
    return link_token_from(mailoutbox[-1])


@pytest.fixture
def reset_link(live_server, alice, mailoutbox):
    assert post(live_server, "reset", {"email": "alice@example.org"})[0] == 200
    return link_token_from(mailoutbox[-1])


@pytest.fixture
def email_change_link(live_server, alice, mailoutbox):
    token = post(live_server, "login", {"username": "alice", "password": STRONG_PASSWORD})[1]
    body = {"new_email": "alice@example.net", "current_password": STRONG_PASSWORD}
    assert post(live_server, "email", body, token["token"])[0] == 202
    return next(link_token_from(m) for m in mailoutbox if m.to == ["alice@example.net"])


def open_link(browser, live_server, page, token):
    """Open the link as a mail scanner does: load it, let its script run, press nothing."""
    browser.open(f"{live_server.url}/{page}?a={token}")
    assert browser.wait_until(lambda: "a=" not in browser.run("return location.href"))


def test_sec59_opening_a_link_without_pressing_its_button_changes_nothing(
    browser, live_server, verify_link, reset_link, email_change_link
):
    # The review: /verify, /reset and /email confirmed as soon as they loaded, so a scanner
    # that opened the link and ran its scripts confirmed it.
    for page, token, button in [
        ("verify", verify_link, "#confirm"),
        ("email", email_change_link, "#confirm"),
        ("reset", reset_link, "#new-password-form button"),
    ]:
        open_link(browser, live_server, page, token)
        assert not browser.wait_until(lambda: browser.run(API_CALLS), timeout=0.3), page
        assert browser.element_text(browser.find(button)), page  # waiting for its press
        assert browser.run("return document.getElementById('status').hidden") is True
    alice = User.objects.get()
    assert (alice.email, alice.email_verified) == ("alice@example.org", False)
    assert alice.check_password(STRONG_PASSWORD)
    assert not LinkToken.objects.filter(used_at__isnull=False).exists()


def test_the_verify_page_verifies_on_a_press(browser, live_server, verify_link):
    open_link(browser, live_server, "verify", verify_link)
    assert "verifies the email address" in browser.text("#intro")
    browser.click(browser.find("#confirm"))
    status = browser.wait_for_text("#status")
    assert status == "Your email address is verified. You can close this page."
    assert browser.run("return document.getElementById('confirm').hidden") is True
    assert User.objects.get().email_verified


def test_the_reset_page_sets_the_new_password_on_a_press(browser, live_server, reset_link):
    open_link(browser, live_server, "reset", reset_link)
    browser.type(browser.find("#new-password"), OTHER_PASSWORD)
    browser.type(browser.find("#confirm-password"), OTHER_PASSWORD)
    browser.click(browser.find("#new-password-form button"))
    assert browser.wait_for_text("#status").startswith("Your password has been changed.")
    assert User.objects.get().check_password(OTHER_PASSWORD)


def test_the_email_page_confirms_the_new_address_on_a_press(
    browser, live_server, email_change_link
):
    open_link(browser, live_server, "email", email_change_link)
    assert "Nothing changes until you press the button" in browser.text("#intro")
    browser.click(browser.find("#confirm"))
    status = browser.wait_for_text("#status")
    assert status == "Your email address is now alice@example.net. You can close this page."
    assert browser.run("return document.getElementById('status').className") == "ok"
    user = User.objects.get(username="alice")
    assert user.email == "alice@example.net" and user.email_verified


def test_the_email_page_shows_the_apis_message_for_a_used_link(
    browser, live_server, email_change_link
):
    http_request("PUT", f"{live_server.url}/api/auth/email", {"a": email_change_link})
    open_link(browser, live_server, "email", email_change_link)
    browser.click(browser.find("#confirm"))
    status = browser.wait_for_text("#status")
    assert status == "This link has already been used. Ask for a new one."
    assert browser.run("return document.getElementById('status').className") == "error"


def test_the_email_page_without_a_link_says_what_it_needs(browser, live_server):
    browser.open(f"{live_server.url}/email")
    assert "needs the link" in browser.wait_for_text("#status")
    assert browser.run("return document.getElementById('confirm').hidden") is True
