"""The pages in a real browser (headless chromium): the email link opens, the flow completes."""

import json

import pytest

from accounts.models import User
from tests.conftest import STRONG_PASSWORD, http_request, link_token_from

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def email_change_link(live_server, mailoutbox):
    User.objects.create_user("alice", "alice@example.org", STRONG_PASSWORD)
    login = {"username": "alice", "password": STRONG_PASSWORD}
    token = json.loads(http_request("POST", f"{live_server.url}/api/auth/login", login)[1])["token"]
    body = {"new_email": "alice@example.net", "current_password": STRONG_PASSWORD}
    status = http_request(
        "POST", f"{live_server.url}/api/auth/email", body, {"Authorization": token}
    )
    assert status[0] == 202
    return link_token_from(mailoutbox[0])


def test_the_email_page_confirms_the_new_address(browser, live_server, email_change_link):
    browser.open(f"{live_server.url}/email?a={email_change_link}")
    status = browser.wait_for_text("#status")
    assert status == "Your email address is now alice@example.net. You can close this page."
    assert browser.run("return document.getElementById('status').className") == "ok"
    assert "a=" not in browser.run("return window.location.href")  # dropped before use (SEC-20)
    user = User.objects.get(username="alice")
    assert user.email == "alice@example.net" and user.email_verified


def test_the_email_page_shows_the_apis_message_for_a_used_link(
    browser, live_server, email_change_link
):
    http_request("PUT", f"{live_server.url}/api/auth/email", {"a": email_change_link})
    browser.open(f"{live_server.url}/email?a={email_change_link}")
    status = browser.wait_for_text("#status")
    assert status == "This link has already been used. Ask for a new one."
    assert browser.run("return document.getElementById('status').className") == "error"
    assert browser.run("return document.getElementById('confirming').hidden") is True


def test_the_email_page_without_a_link_says_what_it_needs(browser, live_server):
    browser.open(f"{live_server.url}/email")
    assert "needs the link" in browser.wait_for_text("#status")
