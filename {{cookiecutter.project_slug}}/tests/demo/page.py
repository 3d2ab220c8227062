"""The reference front end as the Chromium tests drive it: where it is served, and what a user
does on it (find, fill in, press, wait for what the page shows)."""

import json
from types import SimpleNamespace

import django

from tests.conftest import STRONG_PASSWORD


def serve_demo(settings, live_server, api_server, host: str = "localhost") -> SimpleNamespace:
    """Serve the demo at ``live_server``'s origin and its API at ``api_server``'s, on ``host``.

    The demo is the front end (``FRONTEND_URL``: a social sign-in comes back to its
    ``/social``), the only origin the API lets in (CORS, CSRF). Both servers answer on any
    loopback name: ``localhost`` for passkeys (no browser offers one on an IP address),
    ``127.0.0.1`` to put the pair on another site than a provider on ``localhost``.
    """
    origin = live_server.url.replace("localhost", host)
    api = api_server.url.replace("localhost", host)
    settings.DEBUG = True  # /demo/ and /social exist only in DEBUG
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, host]
    settings.FRONTEND_URL = origin
    settings.DEMO_API_URL = api
    settings.CORS_ALLOWED_ORIGINS = [origin]
    trusted = origin if django.VERSION >= (4, 0) else origin.partition("://")[2]
    settings.CSRF_TRUSTED_ORIGINS = [trusted]
    return SimpleNamespace(url=f"{origin}/demo/", origin=origin, api=api)


def shown(browser, selector: str) -> bool:
    return browser.run(
        "const node = document.querySelector(arguments[0]);"
        "return !!node && !node.closest('[hidden]') && node.getClientRects().length > 0;",
        selector,
    )


def wait_shown(browser, selector: str, timeout: float = 15.0) -> None:
    assert browser.wait_until(lambda: shown(browser, selector), timeout), f"{selector} not shown"


def fill(browser, selector: str, text: str) -> None:
    browser.type(browser.find(selector), text)


def press(browser, selector: str) -> None:
    """Click ``selector`` once it is shown (the page draws its lists after its answers)."""
    wait_shown(browser, selector)
    browser.click(browser.find(selector))


def page_text(browser, selector: str) -> str:
    """The text of ``selector``, or ``""`` where the page has none (yet, or any more)."""
    script = "const node = document.querySelector(arguments[0]); return node ? node.innerText : '';"
    return browser.run(script, selector)


def wait_text(browser, selector: str, text: str) -> None:
    """Wait until ``selector`` holds ``text`` (while a page loads, it may not be there yet)."""
    found = browser.wait_until(lambda: text in page_text(browser, selector))
    assert found, f"{selector} says {page_text(browser, selector)!r}, not {text!r}"


def flashed(browser, text: str) -> bool:
    """Wait until the demo's message (``#flash``) says ``text``; tell whether it did."""
    return bool(browser.wait_until(lambda: text in page_text(browser, "#flash")))


def csp_violations(browser) -> list[str]:
    """The console's errors, but for the 4xx answers the page expects (a 401 before login)."""
    return [
        message for message in browser.console_errors() if "Failed to load resource" not in message
    ]


def log_in_with_password(browser, demo=None, username="alice", password=STRONG_PASSWORD) -> None:
    """Log in with a password, on the demo opened anew (or, with no ``demo``, the page as it is,
    signed out): then signed in, or at the second step."""
    if demo is not None:
        browser.open(demo.url)
    wait_shown(browser, "#login-form")
    fill(browser, "#login-username", username)
    fill(browser, "#login-password", password)
    press(browser, "#login-form button[type=submit]")


def signed_in_as(browser, username: str) -> None:
    """Wait until the demo shows ``username``'s account, its lists drawn (not ``aria-busy``)."""
    wait_shown(browser, "#signed-in")
    drawn = "return document.getElementById('signed-in').getAttribute('aria-busy') !== 'true';"
    assert browser.wait_until(lambda: browser.run(drawn))
    assert browser.text("#who-name") == username


def reauthenticate_with_password(browser, password=STRONG_PASSWORD) -> None:
    """Answer the demo's "Confirm it is you" dialog with the password."""
    wait_shown(browser, "#reauth-dialog")
    fill(browser, "#reauth-password", password)
    press(browser, "#reauth-form button[type=submit]")


def log_out(browser) -> None:
    press(browser, "#logout")
    wait_shown(browser, "#signed-out")


def fetch(browser, url, method="GET", headers=None, body=None) -> dict:
    """Run ``fetch`` in the page, with its cookies; return the status and JSON, or the error."""
    script = """
        const [url, method, headers, body, done] = arguments;
        fetch(url, {method, headers, body, credentials: "include"})
          .then(async (r) => done({status: r.status, body: await r.json().catch(() => null)}))
          .catch((e) => done({error: String(e)}));
    """
    payload = json.dumps(body) if body is not None else None
    return browser.run_async(script, url, method, headers or {}, payload)
