"""Social login in the demo, in Chromium: from its button to a session, end to end (SEC-62).

The demo's "Sign in with ..." button, the real provider's login and consent pages (node's
oidc-provider, ``tests/oidc/``), the callback sending the browser to the front end's
``/social#code=...`` (the demo again), and the demo trading the code for a browser session.
The demo and its API are on ``127.0.0.1``, the provider on ``localhost``: two sites, as in real
life (the state cookie must come back on a cross-site redirect), and a callback on a loopback
address, which the provider's native-app rule accepts on any port (RFC 8252).
"""

from types import SimpleNamespace

import pytest

from accounts.models import User
from tests.conftest import STRONG_PASSWORD
from tests.demo.page import (
    csp_violations,
    fill,
    flashed,
    log_in_with_password,
    press,
    reauthenticate_with_password,
    serve_demo,
    signed_in_as,
    wait_shown,
    wait_text,
)
from tests.oidc_provider import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def provider(settings, oidc_provider):
    """The provider as ``oidc``; the callback is built from the API's own host."""
    settings.AUTH_SOCIAL_PROVIDERS = {"oidc": oidc_provider.settings()}
    return oidc_provider


@pytest.fixture
def demo(live_server, api_server, settings, provider):
    """The demo on ``http://127.0.0.1:A``, its API on ``http://127.0.0.1:B``; alice signed up."""
    page = serve_demo(settings, live_server, api_server, "127.0.0.1")
    User.objects.create_user("alice", "alice@example.org", STRONG_PASSWORD)
    return page


def through_the_provider(browser, provider, login="ada", allow=True) -> None:
    """On the provider's pages: sign in as ``login`` if it asks, then allow (or deny) the demo.

    A provider that still knows the browser skips its login page, and its consent page too
    for a grant it already holds.
    """

    def page():
        if browser.run("return location.origin") != provider.issuer:
            return "left"
        return next((name for name in ("login", "allow") if browser.find_all(f"#{name}")), None)

    assert browser.wait_until(lambda: browser.run("return location.origin") == provider.issuer)
    if browser.wait_until(page) == "login":
        fill(browser, "#login", login)
        fill(browser, "#password", PASSWORD)
        press(browser, "#sign-in")
        assert browser.wait_until(lambda: page() in ("allow", "left"))  # the login page is gone
    if page() == "allow":
        press(browser, "#allow" if allow else "#deny")


def test_sec62_the_demo_button_the_provider_and_back_to_a_session(browser, demo, provider):
    # First a /social#code=... that this browser did not start (someone's own sign-in, sent to
    # sign the user in to their account): refused before it is posted.
    browser.open(f"{demo.origin}/social#code=someone-elses-code&client_state=theirs")
    assert flashed(browser, "This sign-in was not started from this browser.")
    assert browser.run("return location.href") == demo.url

    button = '#social-buttons button[data-provider="oidc"]'
    wait_shown(browser, button)
    assert browser.text(button) == "Sign in with Test provider"
    press(browser, button)
    through_the_provider(browser, provider)
    signed_in_as(browser, "ada")
    # Back on the demo, the one-time code gone from the address bar: no token was in a URL.
    assert browser.run("return location.href") == demo.url
    (cookie,) = [c for c in browser.cookies() if c["name"] == "__Host-auth_session"]
    assert cookie["httpOnly"]
    assert not User.objects.get(username="ada").has_usable_password()
    wait_text(browser, "#identity-list li .what span", "Test provider")

    # Ada has no password: a fresh sign-in at the provider is how she confirms it is her.
    fill(browser, "#new-username", "ada.lovelace")
    press(browser, "#username-form button[type=submit]")
    wait_shown(browser, "#reauth-dialog")
    assert browser.text("#reauth-provider") == "Test provider"
    press(browser, "#reauth-form button[type=submit]")
    through_the_provider(browser, provider)
    assert flashed(browser, "It is you: do it again now")
    fill(browser, "#new-username", "ada.lovelace")
    press(browser, "#username-form button[type=submit]")
    assert flashed(browser, "Your username is now ada.lovelace.")
    # The provider's pages have no favicon; the demo's logged nothing.
    assert [e for e in csp_violations(browser) if demo.origin in e or demo.api in e] == []


def test_the_demo_links_a_provider_to_the_account_as_make_run_serves_it(
    browser, live_server, settings, provider
):
    # make run: DEBUG, plain-HTTP cookies, the API on the demo's own origin, which is the front
    # end the provider's round trip comes back to.
    origin = live_server.url.replace("localhost", "127.0.0.1")
    settings.DEBUG = True
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    settings.FRONTEND_URL = origin
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.CSRF_COOKIE_NAME = "csrftoken"
    User.objects.create_user("alice", "alice@example.org", STRONG_PASSWORD)
    log_in_with_password(browser, SimpleNamespace(url=f"{origin}/demo/"))
    signed_in_as(browser, "alice")

    # Saying no at the provider comes back as a message; alice is still signed in.
    press(browser, '#link-buttons button[data-provider="oidc"]')
    reauthenticate_with_password(browser)
    through_the_provider(browser, provider, login="grace", allow=False)
    assert flashed(browser, "You cancelled the sign-in at the provider.")
    signed_in_as(browser, "alice")
    assert User.objects.get(username="alice").social_identities == []

    press(browser, '#link-buttons button[data-provider="oidc"]')
    through_the_provider(browser, provider, login="grace")
    # The code came back to this session's page, which posted it with its cookie: linked.
    assert flashed(browser, "Test provider is linked to your account.")
    wait_text(browser, "#identity-list li .what small", "grace@example.org")

    press(browser, "#identity-list li button.danger")  # unlink: alice still has her password
    assert flashed(browser, "Test provider is unlinked.")
    assert browser.find_all("#identity-list li") == []
    assert csp_violations(browser) == []
