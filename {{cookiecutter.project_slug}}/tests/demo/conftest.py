"""The reference front end's Chromium tests: the API's own live server, and the demo served.

The demo is served by ``live_server`` (``http://localhost:A``), the API it calls by a second
live server of the same project (``http://localhost:B``): two origins of one site, as
``app.example.com`` and ``api.example.com`` are. Both servers, like Chromium (and the OpenID
provider of the social tests), start once per test process. Cookies are Secure and ``__Host-``
prefixed, as in production: Chromium treats ``http://localhost`` as a secure context.
"""

import pytest
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from tests.conftest import STRONG_PASSWORD
from tests.demo.page import serve_demo


@pytest.fixture(scope="session")
def api_server(django_db_setup, django_db_blocker):
    """The API's own origin: a second live server of the project, on another port."""
    with django_db_blocker.unblock():
        server = LiveServer("localhost")
        yield server
        server.stop()


@pytest.fixture
def demo(live_server, api_server, settings):
    """The demo on ``http://localhost:A``, its API on ``http://localhost:B``; alice signed up."""
    page = serve_demo(settings, live_server, api_server)
    User.objects.create_user("alice", "alice@example.org", STRONG_PASSWORD)
    return page
