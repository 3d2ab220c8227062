"""The GitHub preset against a stand-in of GitHub: its authorize and token endpoints, its API.

GitHub speaks OAuth 2.0, not OpenID Connect: no ID token, no discovery. Who signed in comes
from ``GET /user`` (the numeric id, the login) and ``GET /user/emails`` (the primary,
verified address). The stand-in answers as GitHub documents it, checks the client's secret
and the PKCE verifier, and records what it was sent.
"""

import base64
import hashlib
import http.client
import json
import secrets
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from accounts.models import User
from tests.social.conftest import fragment

pytestmark = pytest.mark.django_db
CALLBACK = "http://127.0.0.1:8000/api/auth/social/github/callback"


class GitHubStandIn(ThreadingHTTPServer):
    """GitHub's two OAuth endpoints and two API endpoints, on a loopback port."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        self.codes: dict[str, str] = {}  # code -> PKCE challenge
        self.tokens: set[str] = set()
        self.user = {"id": 583231, "login": "octo-ada", "name": "Ada Octocat"}
        self.emails = [
            {
                "email": "583231+octo-ada@users.noreply.github.com",
                "primary": False,
                "verified": True,
            },
            {"email": "ada@example.org", "primary": True, "verified": True},
        ]
        self.api_status = 200
        self.seen: list[str] = []
        # A short poll: shutdown() waits for it, and the default half second is per test.
        serving = threading.Thread(target=self.serve_forever, args=(0.02,), daemon=True)
        serving.start()

    def settings(self) -> dict:
        return {
            "client_id": "gh-client",
            "client_secret": "gh-secret",
            "authorization_endpoint": f"{self.url}/login/oauth/authorize",
            "token_endpoint": f"{self.url}/login/oauth/access_token",
            "api_url": self.url,
            "redirect_uri": CALLBACK,
        }


class Handler(BaseHTTPRequestHandler):
    server: GitHubStandIn

    def log_message(self, *args):
        pass

    def _json(self, status: int, body) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        self.server.seen.append(f"GET {url.path}")
        if url.path == "/login/oauth/authorize":  # the user has approved: back with a code
            query = dict(urllib.parse.parse_qsl(url.query))
            code = secrets.token_hex(10)
            self.server.codes[code] = query.get("code_challenge", "")
            back = {"code": code, "state": query["state"]}
            self.send_response(302)
            self.send_header("Location", f"{query['redirect_uri']}?{urllib.parse.urlencode(back)}")
            self.end_headers()
            return
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in self.server.tokens:
            return self._json(401, {"message": "Bad credentials"})
        if self.server.api_status != 200:
            return self._json(self.server.api_status, {"message": "Server Error"})
        if url.path == "/user":
            return self._json(200, self.server.user)
        if url.path == "/user/emails":
            return self._json(200, self.server.emails)
        self._json(404, {"message": "Not Found"})

    def do_POST(self):
        self.server.seen.append(f"POST {self.path}")
        length = int(self.headers.get("Content-Length", 0))
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        challenge = self.server.codes.pop(form.get("code", ""), None)
        verifier = form.get("code_verifier", "").encode()
        pkce = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=").decode()
        if (form.get("client_id"), form.get("client_secret")) != ("gh-client", "gh-secret"):
            return self._json(200, {"error": "incorrect_client_credentials"})
        if challenge is None or challenge != pkce:  # GitHub answers errors with a 200
            return self._json(200, {"error": "bad_verification_code"})
        token = f"gho_{secrets.token_hex(16)}"
        self.server.tokens.add(token)
        self._json(200, {"access_token": token, "token_type": "bearer", "scope": "user:email"})


@pytest.fixture
def github(settings):
    stand_in = GitHubStandIn()
    settings.AUTH_SOCIAL_PROVIDERS = {"github": stand_in.settings()}
    yield stand_in
    stand_in.shutdown()
    stand_in.server_close()


def sign_in_with_github(api, github) -> dict:
    """The whole redirect flow; return the front end's fragment."""
    started = api.client.get("/api/auth/social/github/start")
    assert started.status_code == 302, started.content
    assert started["Location"].startswith(f"{github.url}/login/oauth/authorize?")
    back = urllib.parse.urlsplit(approve(started["Location"]))
    return fragment(api.client.get(f"{back.path}?{back.query}"))


def approve(url: str) -> str:
    """Open GitHub's authorize page (the stand-in's): where it sends the browser back to."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request("GET", f"{parts.path}?{parts.query}")
    response = connection.getresponse()
    assert response.status == 302
    return response.getheader("Location")


def test_the_github_preset_signs_in_from_the_api_with_the_primary_verified_address(api, github):
    fields = sign_in_with_github(api, github)
    answer = api.post("social/exchange", {"code": fields["code"]})
    assert answer.status_code == 200, answer.content
    me = api.get("me", token=answer.json()["token"]).json()
    assert (me["username"], me["email"], me["email_verified"]) == (
        "octo-ada",
        "ada@example.org",
        True,
    )
    [identity] = User.objects.get().social_identities
    assert (identity["provider"], identity["subject"]) == ("github", "583231")
    assert github.seen == [
        "GET /login/oauth/authorize",
        "POST /login/oauth/access_token",  # with the secret and the PKCE verifier
        "GET /user",
        "GET /user/emails",
    ]


def test_a_renamed_github_login_is_still_the_same_account(api, github):
    sign_in_with_github(api, github)
    github.user = {**github.user, "login": "ada-renamed"}
    code = sign_in_with_github(api, github)["code"]
    assert api.post("social/exchange", {"code": code}).status_code == 200
    assert User.objects.count() == 1 and User.objects.get().username == "octo-ada"


def test_no_verified_primary_address_makes_no_account(api, github):
    github.emails = [{"email": "ada@example.org", "primary": True, "verified": False}]
    assert sign_in_with_github(api, github) == {"error": "email_required"}
    assert User.objects.count() == 0


def test_a_refused_code_is_a_provider_error(api, github, settings):
    settings.AUTH_SOCIAL_PROVIDERS = {"github": {**github.settings(), "client_secret": "wrong"}}
    assert sign_in_with_github(api, github) == {"error": "provider_error"}
    assert User.objects.count() == 0


def test_sec62_githubs_api_failing_is_provider_unavailable(api, github):
    github.api_status = 502
    assert sign_in_with_github(api, github) == {"error": "provider_unavailable"}
    assert User.objects.count() == 0


def test_github_lists_only_the_redirect_flow(api, github):
    providers = api.get("social/providers").json()["providers"]
    assert providers == [{"id": "github", "name": "GitHub", "flows": ["redirect"]}]
