"""A real OpenID Connect provider for the social login tests: node's ``oidc-provider``.

``tests/oidc/`` holds it: ``provider.mjs`` (the provider, with a login and a consent page of its
own), its ``package.json`` and ``package-lock.json``. ``npm ci`` installs it once into
``tests/oidc/node_modules`` (git-ignored; one test process installs while the others wait on a
lock), and one provider starts per test process, on a loopback port, for the whole run. Where
node or npm is missing, or npm cannot reach its registry, the tests that need it skip and say
why; the generated CI installs node, so there they run.

``ProviderBrowser`` is a user agent without a screen for the provider's pages: it follows
redirects, signs in and consents, and stops at the client's redirect URI. The demo's Chromium
test (``tests/demo/test_demo_social.py``) drives the same pages in a real browser.
"""

import base64
import contextlib
import fcntl
import hashlib
import html
import http.cookiejar
import json
import re
import secrets
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from devdb.server import free_port

OIDC_DIR = Path(__file__).resolve().parent / "oidc"
WEB_CLIENT, WEB_SECRET = "web-app", "web-app-secret-0123456789"
NATIVE_CLIENT = "native-app"  # an app's client id: public, PKCE
OTHER_CLIENT = "other-app"  # a client this project does not know
# RFC 8252: a native client's loopback redirect URI matches on any port, so the live server's
# random port and the test client's fixed one both pass.
CALLBACK_PATH = "/api/auth/social/oidc/callback"
NATIVE_REDIRECT = "http://127.0.0.1/native"
PASSWORD = "provider-password-of-ada"
ACTION = re.compile(r'<form method="post" action="([^"]+)"')
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
USERS = {
    "ada": {
        "email": "ada@example.org",
        "email_verified": True,
        "name": "Ada Lovelace",
        "preferred_username": "ada",
    },
    "grace": {"email": "grace@example.org", "email_verified": False, "name": "Grace Hopper"},
    "alan": {"email": "alice@example.org", "email_verified": True, "name": "Alan"},
}


def install() -> str:
    """Install the provider with ``npm ci`` unless it is; return why it cannot run, or ``""``."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not (node and npm):
        return "node and npm are not installed (the generated CI sets up node 22)"
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    major, minor = (int(part) for part in version.lstrip("v").split(".")[:2])
    if (major, minor) < (20, 19):
        return f"node {version} is too old for oidc-provider 9: 20.19 or newer is needed"
    installed = OIDC_DIR / "node_modules" / "oidc-provider" / "package.json"
    if installed.is_file():
        return ""
    with open(OIDC_DIR / ".npm-ci.lock", "w") as lock:  # the other test processes wait here
        fcntl.flock(lock, fcntl.LOCK_EX)
        if installed.is_file():
            return ""
        command = [npm, "ci", "--no-audit", "--no-fund", "--prefer-offline"]
        result = subprocess.run(command, cwd=OIDC_DIR, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        return f"npm ci failed in tests/oidc (offline?): {result.stderr.strip()[-300:]}"
    return ""


class OidcProvider:
    """One ``oidc-provider`` process on ``http://localhost:<port>``: its clients and users."""

    def __init__(self):
        self.port = free_port()
        self.issuer = f"http://localhost:{self.port}"
        redirect = f"http://127.0.0.1{CALLBACK_PATH}"
        native = {"token_endpoint_auth_method": "none", "application_type": "native"}
        config = {
            "issuer": self.issuer,
            "clients": [
                {
                    "client_id": WEB_CLIENT,
                    "client_secret": WEB_SECRET,
                    "application_type": "native",  # for the loopback rule above
                    "redirect_uris": [redirect, NATIVE_REDIRECT],
                },
                {"client_id": NATIVE_CLIENT, "redirect_uris": [NATIVE_REDIRECT], **native},
                {"client_id": OTHER_CLIENT, "redirect_uris": [NATIVE_REDIRECT], **native},
            ],
            "users": {
                login: {"password": PASSWORD, "claims": claims} for login, claims in USERS.items()
            },
        }
        self.directory = Path(tempfile.mkdtemp(prefix="oidc-provider-"))
        (self.directory / "config.json").write_text(json.dumps(config))
        self.process = None

    def start(self) -> "OidcProvider":
        log = (self.directory / "provider.log").open("wb")
        self.process = subprocess.Popen(
            [shutil.which("node"), str(OIDC_DIR / "provider.mjs"), "config.json"],
            cwd=self.directory,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=log,
        )
        ready = self.process.stdout.readline()  # one line once it listens
        if not ready.startswith(b"{"):
            self.stop()
            output = (self.directory / "provider.log").read_text(errors="replace")[-500:]
            raise RuntimeError(f"oidc-provider did not start: {output}")
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        shutil.rmtree(self.directory, ignore_errors=True)

    def _control(self, method: str, path: str) -> dict:
        request = urllib.request.Request(self.issuer + path, method=method, data=b"")
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def rotate(self) -> str:
        """Sign with a new key from now on (the old one stays published); return its kid."""
        return self._control("POST", "/control/rotate")["kid"]

    def jwks_requests(self) -> int:
        """How many times the provider's key set has been fetched."""
        return self._control("GET", "/control/stats")["jwks_requests"]

    def settings(self, **extra) -> dict:
        """The ``AUTH_SOCIAL_PROVIDERS`` entry of this provider for the web and native clients."""
        return {
            "issuer": self.issuer,
            "name": "Test provider",
            "client_id": WEB_CLIENT,
            "client_ids": [NATIVE_CLIENT],
            "client_secret": WEB_SECRET,
            **extra,
        }


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class ProviderBrowser:
    """A user agent for the provider's pages: its own cookies, no screen, no scripts."""

    def __init__(self, provider: OidcProvider):
        self.provider = provider
        self.opener = self._new_opener()

    @staticmethod
    def _new_opener():
        cookies = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        return urllib.request.build_opener(_KeepRedirects, cookies)

    def _send(self, url: str, form: dict | None = None, headers=None) -> tuple[int, str, bytes]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(url, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=15) as response:
                return response.status, response.headers.get("Location", ""), response.read()
        except urllib.error.HTTPError as answer:
            return answer.code, answer.headers.get("Location", ""), answer.read()

    def authorize(self, url: str, login="ada", password=PASSWORD, *, consent=True) -> str:
        """Open ``url`` (an authorization request), sign in and answer the consent page.

        Returns the URL the provider finally sends the browser to: the client's redirect URI
        with ``code`` and ``state`` (or ``error``).
        """
        answer = self._walk(url, login, password, consent)
        assert isinstance(answer, str), answer
        return answer

    def authorize_form(self, url: str, login="ada", password=PASSWORD) -> dict:
        """As ``authorize``, for ``response_mode=form_post``: the fields the page would POST."""
        answer = self._walk(url, login, password, True)
        assert isinstance(answer, dict), answer
        return answer

    def _walk(self, url: str, login: str, password: str, consent: bool):
        for _ in range(12):
            if not url.startswith(self.provider.issuer):
                return url  # the browser has left the provider
            status, location, body = self._send(url)
            if status in (302, 303):
                url = urllib.parse.urljoin(url, location)
                continue
            page = body.decode()
            target = urllib.parse.urljoin(url, html.unescape(ACTION.search(page).group(1)))
            if not target.startswith(self.provider.issuer):  # form_post: the answer as a form
                return {html.unescape(n): html.unescape(v) for n, v in HIDDEN.findall(page)}
            if target.endswith("/login"):
                _, location, _ = self._send(target, {"login": login, "password": password})
            elif consent:
                _, location, _ = self._send(target, {})
            else:
                target = urllib.parse.urljoin(url, re.search(r'href="([^"]+)"', page).group(1))
                _, location, _ = self._send(target)
            url = urllib.parse.urljoin(target, location)
        raise AssertionError("the provider's pages did not lead back to the client")

    def id_token(self, client_id=NATIVE_CLIENT, nonce: str | None = None, login="ada") -> str:
        """Sign in as an app would (code flow, PKCE) and return the provider's ID token.

        Each sign-in starts with no provider session (a fresh device), so ``login`` is the
        one who signs in. The native client is public; the web client sends its secret.
        """
        self.opener = self._new_opener()
        verifier = secrets.token_urlsafe(48)
        digest = hashlib.sha256(verifier.encode()).digest()
        params = {
            "client_id": client_id,
            "response_type": "code",
            "scope": "openid email profile",
            "redirect_uri": NATIVE_REDIRECT,
            "state": secrets.token_urlsafe(8),
            "code_challenge": base64.urlsafe_b64encode(digest).rstrip(b"=").decode(),
            "code_challenge_method": "S256",
        }
        if nonce is not None:
            params["nonce"] = nonce
        query = urllib.parse.urlencode(params)
        back = self.authorize(f"{self.provider.issuer}/auth?{query}", login)
        code = urllib.parse.parse_qs(urllib.parse.urlsplit(back).query)["code"][0]
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": NATIVE_REDIRECT,
            "client_id": client_id,
            "code_verifier": verifier,
        }
        headers = {}
        if client_id == WEB_CLIENT:
            pair = base64.b64encode(f"{WEB_CLIENT}:{WEB_SECRET}".encode()).decode()
            headers["Authorization"] = f"Basic {pair}"
            del form["client_id"]
        status, _, body = self._send(f"{self.provider.issuer}/token", form, headers)
        assert status == 200, body
        return json.loads(body)["id_token"]


@contextlib.contextmanager
def running_provider():
    """Yield a started provider, stopped afterwards; skip-worthy problems raise ``LookupError``."""
    reason = install()
    if reason:
        raise LookupError(reason)
    provider = OidcProvider().start()
    try:
        yield provider
    finally:
        provider.stop()


@pytest.fixture(scope="session")
def oidc_provider():
    """One oidc-provider per test process, for the whole run (about a second to start).

    The social tests use it, and the demo's in Chromium (``tests/demo/test_demo_social.py``).
    """
    try:
        with running_provider() as provider:
            yield provider
    except LookupError as reason:
        pytest.skip(str(reason))
