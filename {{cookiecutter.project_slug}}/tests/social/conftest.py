"""Social login's fixtures: the real OpenID provider (``oidc_provider``) configured, and helpers."""

import socket
import threading
import urllib.parse

import pytest

from accounts.social import metadata
from tests.oidc_provider import CALLBACK_PATH, ProviderBrowser

PROVIDER_ID = "oidc"  # the id the tests configure the provider under (CALLBACK_PATH has it)
# The callback as the provider sees it; the test client's own host is "testserver".
REDIRECT_URI = f"http://127.0.0.1:8000{CALLBACK_PATH}"


@pytest.fixture(autouse=True)
def _fresh_provider_metadata():
    """Each test fetches discovery documents and keys anew: none leaks into the next."""
    metadata.forget()
    yield
    metadata.forget()


@pytest.fixture
def social(settings, oidc_provider):
    """The provider configured as ``oidc``, answering to the test client's callback."""
    providers = {PROVIDER_ID: oidc_provider.settings(redirect_uri=REDIRECT_URI)}
    settings.AUTH_SOCIAL_PROVIDERS = providers
    return oidc_provider


@pytest.fixture
def provider_browser(oidc_provider):
    """A fresh user agent for the provider's pages (its own cookies: nobody signed in)."""
    return ProviderBrowser(oidc_provider)


def callback_path(url: str) -> str:
    """Return the path and query of a redirect to our callback, for the test client."""
    parts = urllib.parse.urlsplit(url)
    assert parts.path == CALLBACK_PATH, url
    return f"{parts.path}?{parts.query}"


def fragment(response) -> dict:
    """Return the fields of the front end's ``/social#...`` a callback redirected to."""
    assert response.status_code == 302, response.content
    location = response["Location"]
    assert "/social#" in location, location
    return dict(urllib.parse.parse_qsl(location.split("#", 1)[1]))


class SilentServer:
    """A TCP server that accepts connections and never answers: a provider that hangs."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.held = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.held.append(connection)

    def close(self):
        self.socket.close()
        for connection in self.held:
            connection.close()


@pytest.fixture
def silent_server():
    server = SilentServer()
    yield server
    server.close()
