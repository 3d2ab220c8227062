"""A real headless browser for the page tests: Debian's chromium, driven through chromedriver.

Speaks the W3C WebDriver protocol over plain HTTP, so the suite needs no extra
package. Tests that use the ``browser`` fixture skip, saying why, when chromium
or chromedriver is not installed (``apt-get install chromium chromium-driver``).
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
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        }
        capabilities = {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": options}}
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

    def text(self, selector: str) -> str:
        element = self._call(
            "POST", f"{self.session}/element", {"using": "css selector", "value": selector}
        )
        return self._call("GET", f"{self.session}/element/{element[ELEMENT]}/text")

    def wait_for_text(self, selector: str, timeout: float = 15.0) -> str:
        """Return the text of ``selector`` once it is visible and not empty."""
        deadline = time.monotonic() + timeout
        while True:
            text = self.text(selector)
            if text or time.monotonic() > deadline:
                return text
            time.sleep(0.1)

    def close(self) -> None:
        try:
            self._call("DELETE", self.session)
        finally:
            self.driver.terminate()
            self.driver.wait(timeout=10)


@pytest.fixture
def browser():
    programs = find_programs()
    if programs is None:
        pytest.skip(
            "chromium and chromedriver are not installed (apt-get install chromium chromium-driver)"
        )
    session = Browser(*programs)
    yield session
    session.close()
