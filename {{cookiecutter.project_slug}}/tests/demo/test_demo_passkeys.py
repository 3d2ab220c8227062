"""Passkeys in the demo, in Chromium: WebDriver's virtual authenticator signing for real (SEC-61).

The demo (``http://localhost:A``, its API on ``http://localhost:B``) adds a passkey from its
profile after a re-authentication, logs out, logs in with the passkey alone, then with the
password, the passkey being the second step; then renames the passkey, and removes it once the
passkey has confirmed who this is. ``PublicKeyCredential.parseCreationOptionsFromJSON``,
``parseRequestOptionsFromJSON`` and ``credential.toJSON()`` in the page, Chromium's
authenticator signing, py_webauthn checking: nothing mocked. The ceremony's origin is the
page's, the demo's (one of ``AUTH_WEBAUTHN_ORIGINS``), not the API's; the relying party is
``localhost``, since no browser offers a passkey on an IP address.
"""

import pytest

from accounts import documents
from accounts.models import User
from tests.demo.page import (
    csp_violations,
    fill,
    flashed,
    log_in_with_password,
    log_out,
    press,
    reauthenticate_with_password,
    signed_in_as,
    wait_shown,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def relying_party(settings, demo):
    """``localhost``, and the demo's origin among those allowed to use passkeys."""
    settings.AUTH_WEBAUTHN_RP_ID = "localhost"
    settings.AUTH_WEBAUTHN_ORIGINS = [demo.origin]


@pytest.fixture
def authenticator(browser, relying_party):
    """A platform authenticator in Chromium: resident keys, user verification."""
    authenticator = browser.add_virtual_authenticator()
    yield authenticator
    browser.remove_virtual_authenticator(authenticator)


def add_passkey(browser, name: str) -> None:
    """Add a passkey from the demo's profile, re-authenticating with the password when asked."""
    fill(browser, "#passkey-name", name)
    press(browser, "#passkey-form button[type=submit]")
    reauthenticate_with_password(browser)
    assert flashed(browser, f"Passkey {name} added.")


def test_register_a_passkey_log_out_and_log_in_with_it(browser, demo, authenticator, clock):
    user = User.objects.get()
    log_in_with_password(browser, demo)
    signed_in_as(browser, "alice")
    add_passkey(browser, "Laptop")
    # The account's first second factor: two-factor authentication is on, its codes shown once.
    assert "Two-factor authentication is on" in browser.text("#flash")
    assert len(browser.find_all("#recovery-list li")) == 10
    assert browser.text("#mfa-badge") == "On"
    assert browser.text("#passkey-list li .what span") == "Laptop"
    (credential,) = browser.virtual_credentials(authenticator)
    assert credential["isResidentCredential"] is True  # discoverable: no username needed
    (element,) = documents.read_array(User, user.pk, "passkeys")
    assert element["credential_id"] == credential["credentialId"].rstrip("=")

    log_out(browser)
    press(browser, "#passkey-login")  # the passkey alone: no password, no second step
    signed_in_as(browser, "alice")
    (element,) = documents.read_array(User, user.pk, "passkeys")
    assert element["last_used_at"] is not None

    log_out(browser)
    log_in_with_password(browser)
    wait_shown(browser, "#mfa-form")  # the password is one factor; the passkey is the second
    press(browser, "#mfa-passkey")
    signed_in_as(browser, "alice")

    # Renamed in place; later removed, once the passkey itself has said who this is.
    press(browser, "#passkey-list li button.secondary")
    browser.clear(browser.find("#passkey-list form.rename input"))
    fill(browser, "#passkey-list form.rename input", "Work laptop")
    press(browser, "#passkey-list form.rename button[type=submit]")
    assert flashed(browser, "The passkey is now called Work laptop.")
    assert browser.text("#passkey-list li .what span") == "Work laptop"
    clock.advance(seconds=301)  # the login's re-authentication, if any, is over
    press(browser, "#passkey-list li button.danger")
    press(browser, '#reauth-choices button[data-choice="passkey"]')
    press(browser, "#reauth-form button[type=submit]")
    assert flashed(browser, "Passkey Work laptop removed.")
    assert browser.find_all("#passkey-list li") == []
    assert browser.text("#mfa-badge") == "Off"  # it was the account's only second factor
    assert documents.read_array(User, user.pk, "passkeys") == []
    assert csp_violations(browser) == []
