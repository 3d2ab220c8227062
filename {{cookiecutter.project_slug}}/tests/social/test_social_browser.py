"""Social login in a real browser: from the front end's button to a session, end to end.

Chromium opens the ``/social`` page (``accounts/social/templates/``, served in DEBUG), presses
"Sign in with Test provider", signs in on the real provider's page, allows it, and lands back
on ``/social#code=...``, whose script trades the code for the session. Nothing is mocked: the
provider is node's oidc-provider, the server is the live server on the test database.
"""

import pytest

from accounts.models import User
from tests.oidc_provider import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def front_end(settings, live_server, oidc_provider, browser):
    """This server as its own front end, the provider configured, every cookie forgotten after.

    The server as ``127.0.0.1`` and the provider as ``localhost``: two sites, as in real life
    (the state cookie must come back on a cross-site redirect), and a callback on a loopback
    address, which the provider's native-app rule accepts on any port (RFC 8252).
    """
    url = live_server.url.replace("localhost", "127.0.0.1")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    settings.DEBUG = True  # the /social page is a development page
    settings.FRONTEND_URL = url
    settings.AUTH_SOCIAL_PROVIDERS = {"oidc": oidc_provider.settings()}
    yield url
    browser.clear_cookies()


def sign_in_at_the_provider(browser, login="ada"):
    browser.wait_until(lambda: browser.find_all("#login"))
    browser.type(browser.find("#login"), login)
    browser.type(browser.find("#password"), PASSWORD)
    browser.click(browser.find("#sign-in"))
    browser.wait_until(lambda: browser.find_all("#allow"))


def test_sec62_the_button_the_provider_and_back_to_a_session(browser, front_end, oidc_provider):
    browser.open(f"{front_end}/social")
    button = browser.wait_until(lambda: browser.find_all("button[data-provider=oidc]"))[0]
    assert browser.element_text(button) == "Sign in with Test provider"
    browser.click(button)
    sign_in_at_the_provider(browser)
    assert browser.run("return location.origin") == oidc_provider.issuer  # the real provider
    browser.click(browser.find("#allow"))
    assert browser.wait_for_text("#status") == "Signed in as ada."
    # The one-time code left the address bar before it was used; no token was ever in a URL.
    assert browser.run("return location.href") == f"{front_end}/social"
    assert User.objects.get().username == "ada"
    # The provider's pages have no favicon; this server's page logged nothing.
    assert [error for error in browser.console_errors() if front_end in error] == []


def test_saying_no_at_the_provider_comes_back_as_a_message(browser, front_end):
    browser.open(f"{front_end}/social")
    browser.click(browser.wait_until(lambda: browser.find_all("button[data-provider=oidc]"))[0])
    sign_in_at_the_provider(browser)
    browser.click(browser.find("#deny"))
    assert browser.wait_for_text("#status") == "You cancelled the sign-in at the provider."
    assert User.objects.count() == 0
