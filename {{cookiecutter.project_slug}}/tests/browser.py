"""A real headless browser for the page tests: Debian's chromium, driven through chromedriver.

Speaks the W3C WebDriver protocol over plain HTTP, so the suite needs no extra
package. Tests that use the ``browser`` fixture skip, saying why, when chromium
or chromedriver is not installed (``apt-get install chromium chromium-driver``).

One chromium per test process (each xdist worker): starting one costs more CPU than any
page test that uses it. Between tests it is on a blank page, with the console read empty;
the pages keep nothing in cookies or storage.
"""

import json
import shutil
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from devdb.server import free_port

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"  # the W3C key of an element reference


def find_programs() -> tuple[str, str] | None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (chromium, driver) if chromium and driver else None


class Browser:
    """One headless chromium session: open pages, read the DOM, wait for text."""

    def __init__(self, chromium: str, driver: str):
        self.port = free_port()
        self.driver = subprocess.Popen(
            [driver, f"--port={self.port}"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                self._call("GET", "/status")
                break
            except OSError:
                if time.monotonic() > deadline:
                    self.driver.terminate()
                    raise
                time.sleep(0.1)
        options = {
            "binary": chromium,
            "args": [
                *["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
                "--window-size=1280,2000",
            ],
        }
        capabilities = {
            "alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": options,
                "goog:loggingPrefs": {"browser": "ALL"},  # the console, for console_errors()
            }
        }
        session = self._call("POST", "/session", {"capabilities": capabilities})
        self.session = f"/session/{session['sessionId']}"

    def _call(self, method: str, path: str, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read())["value"]
        except urllib.error.HTTPError as exc:
            raise AssertionError(f"webdriver {method} {path}: {exc.read()[:500]!r}") from None

    def open(self, url: str) -> None:
        self._call("POST", f"{self.session}/url", {"url": url})

    def run(self, script: str, *args):
        """Run ``script`` (a function body) in the page; return its value."""
        return self._call("POST", f"{self.session}/execute/sync", {"script": script, "args": args})

    def find_all(self, selector: str, within: str | None = None) -> list[str]:
        """Return the elements ``selector`` matches (in the page, or inside ``within``)."""
        scope = f"{self.session}/element/{within}" if within else self.session
        query = {"using": "css selector", "value": selector}
        return [element[ELEMENT] for element in self._call("POST", f"{scope}/elements", query)]

    def find(self, selector: str, within: str | None = None) -> str:
        """Return the first element ``selector`` matches; fail when there is none."""
        scope = f"{self.session}/element/{within}" if within else self.session
        query = {"using": "css selector", "value": selector}
        return self._call("POST", f"{scope}/element", query)[ELEMENT]

    def click(self, element: str) -> None:
        self._call("POST", f"{self.session}/element/{element}/click", {})

    def type(self, element: str, text: str) -> None:
        self._call("POST", f"{self.session}/element/{element}/value", {"text": text})

    def element_text(self, element: str) -> str:
        """The element's rendered text, as a user sees it (empty while hidden)."""
        return self._call("GET", f"{self.session}/element/{element}/text")

    def text(self, selector: str) -> str:
        return self.element_text(self.find(selector))

    def wait_until(self, condition, timeout: float = 15.0):
        """Return ``condition()`` once it is truthy; its last value when ``timeout`` passes."""
        deadline = time.monotonic() + timeout
        while True:
            value = condition()
            if value or time.monotonic() > deadline:
                return value
            time.sleep(0.05)

    def wait_for_text(self, selector: str, timeout: float = 15.0) -> str:
        """Return the text of ``selector`` once it is visible and not empty."""
        return self.wait_until(lambda: self.text(selector), timeout)

    def clear_cookies(self) -> None:
        """Forget every cookie of every site (chromedriver's DevTools bridge)."""
        self._call(
            "POST",
            f"{self.session}/goog/cdp/execute",
            {"cmd": "Network.clearBrowserCookies", "params": {}},
        )

    def console_errors(self) -> list[str]:
        """Return the console's errors since the last call (chromedriver's log endpoint)."""
        entries = self._call("POST", f"{self.session}/se/log", {"type": "browser"})
        return [entry["message"] for entry in entries if entry["level"] == "SEVERE"]

    def close(self) -> None:
        try:
            self._call("DELETE", self.session)
        finally:
            self.driver.terminate()
            self.driver.wait(timeout=10)


@pytest.fixture(scope="session")
def chromium():
    """The test process's one chromium session, started when a test first needs it."""
    programs = find_programs()
    if programs is None:
        pytest.skip(
            "chromium and chromedriver are not installed (apt-get install chromium chromium-driver)"
        )
    session = Browser(*programs)
    yield session
    session.close()


@pytest.fixture
def browser(chromium):
    """The chromium session, its console read empty: what earlier tests logged is theirs."""
    chromium.console_errors()
    yield chromium
    chromium.open("about:blank")  # the page's scripts stop here, not in the next test
