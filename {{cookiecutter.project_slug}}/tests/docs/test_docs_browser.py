"""/api/docs in a real browser: Swagger UI loads under its CSP and an operation can be tried.

Drives Debian's ``chromium`` through ``chromium-driver`` (the ``browser`` fixture of
``tests/browser.py``); skipped, saying so, where they are absent.
"""

import json

import pytest

from tests.conftest import STRONG_PASSWORD, http_request

pytestmark = pytest.mark.django_db(transaction=True)


def status_after_trying(browser, operation: str) -> str:
    """Open ``operation``, press "Try it out" and "Execute"; return the status shown."""

    def appeared(selector):
        return browser.wait_until(lambda: browser.find_all(selector, within=operation))[0]

    browser.click(browser.find(".opblock-summary", within=operation))
    browser.click(appeared(".try-out__btn"))
    browser.click(appeared(".execute"))
    status = appeared(".live-responses-table tr.response .response-col_status")
    return browser.element_text(status).strip()


def app_token(url: str) -> str:
    credentials = {"username": "alice", "password": STRONG_PASSWORD}
    status, body, _ = http_request("POST", url + "/api/auth/login", credentials)
    assert status == 200, body
    return json.loads(body)["token"]


def test_the_docs_page_loads_without_console_errors_and_runs_a_request(
    browser, live_server, settings
):
    settings.API_DOCS_ENABLED = True
    browser.open(live_server.url + "/api/docs")

    # Every operation of the document is listed.
    assert browser.wait_until(lambda: browser.find_all("#operations-account-register"))
    assert len(browser.find_all(".opblock")) >= 11

    # Try it out: register with the example body, the request goes to this server.
    operation = browser.find("#operations-account-register")
    assert status_after_trying(browser, operation).startswith("201")
    shown = browser.element_text(browser.find(".live-responses-table .microlight", operation))
    assert '"username": "alice"' in shown

    # Authorize with a login token, then an operation that needs one answers 200.
    token = app_token(live_server.url)
    browser.click(browser.find(".auth-wrapper .authorize"))
    field = browser.wait_until(lambda: browser.find_all(".modal-ux input"))[0]
    browser.type(field, token)
    browser.click(browser.find(".modal-ux .auth-btn-wrapper .authorize"))
    browser.click(browser.find(".modal-ux .btn-done"))
    me = browser.find("#operations-account-me")
    assert status_after_trying(browser, me).startswith("200")

    assert browser.console_errors() == []
