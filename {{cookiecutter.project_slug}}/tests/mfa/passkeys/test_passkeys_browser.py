"""Passkeys in a real browser: Chromium's virtual authenticator, driven over WebDriver.

The page (``/passkeys``, DEBUG only, mounted here by ``tests/passkey_urls.py``) logs in with
a password, adds a passkey, logs out, then logs in with the passkey alone, through
``/pages/passkeys.js``: ``PublicKeyCredential.parseCreationOptionsFromJSON``,
``parseRequestOptionsFromJSON`` and ``credential.toJSON()``, the browser's own WebAuthn and
Chromium's authenticator signing, py_webauthn checking. WebAuthn needs a secure context:
``http://localhost`` is one, so the relying party id is ``localhost``.
"""

import pytest

from accounts import documents
from accounts.models import User
from tests.conftest import STRONG_PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls("tests.passkey_urls")]


@pytest.fixture
def relying_party(settings, live_server):
    """The live server's own origin (this overrides the API tests' example.com)."""
    assert live_server.url.startswith("http://localhost:"), live_server.url
    settings.AUTH_WEBAUTHN_RP_ID = "localhost"
    settings.FRONTEND_URL = live_server.url
    settings.AUTH_WEBAUTHN_ORIGINS = []


@pytest.fixture
def virtual_authenticator(browser):
    authenticator = browser.add_virtual_authenticator()
    yield authenticator
    browser.remove_virtual_authenticator(authenticator)


def status(browser, starts: str) -> str:
    """Wait until the page's status says something starting with ``starts``; return it."""
    return browser.wait_until(
        lambda: (text := browser.text("#status")).startswith(starts) and text
    ) or browser.text("#status")


def test_register_a_passkey_log_out_and_log_in_with_it(
    browser, live_server, relying_party, virtual_authenticator
):
    user = User.objects.create_user("alice", "alice@example.org", STRONG_PASSWORD)
    browser.open(f"{live_server.url}/passkeys")
    browser.type(browser.find("#username"), "alice")
    browser.type(browser.find("#password"), STRONG_PASSWORD)
    browser.click(browser.find("#password-login"))
    assert status(browser, "Logged in") == "Logged in as alice."

    browser.click(browser.find("#add-passkey"))
    added = status(browser, "Passkey added")
    assert added.startswith("Passkey added: This device. Recovery codes: "), added
    (credential,) = browser.virtual_credentials(virtual_authenticator)
    assert credential["isResidentCredential"] is True  # discoverable: no username needed
    (element,) = documents.read_array(User, user.pk, "passkeys")
    assert element["credential_id"] == credential["credentialId"].rstrip("=")

    browser.click(browser.find("#logout"))
    assert status(browser, "Logged out") == "Logged out."
    browser.click(browser.find("#passkey-login"))
    assert status(browser, "Logged in") == "Logged in as alice."
    (element,) = documents.read_array(User, user.pk, "passkeys")
    assert element["last_used_at"] is not None
    assert browser.console_errors() == []
