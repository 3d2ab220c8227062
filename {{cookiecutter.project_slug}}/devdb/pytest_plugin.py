"""pytest plugin: test settings of their own, and a throwaway in-memory SecantusDB.

Loaded with ``-p devdb.pytest_plugin`` (see pyproject.toml). It wraps
``pytest_load_initial_conftests`` so it runs before pytest-django reads the
settings:

- the developer's ``.env`` is never read (``DJANGO_ENV_FILE`` points at an empty
  file), so ``AUTH_THROTTLE_ENABLED=0`` there cannot change what the tests see;
  the session gets a fresh ``DJANGO_SECRET_KEY`` unless the environment has one;
- with ``MONGODB_URI`` unset it starts the embedded server; set, it uses that.
"""

import os
import secrets

import pytest

from devdb.server import EmbeddedServer, EmbeddedServerError

_server: EmbeddedServer | None = None


@pytest.hookimpl(hookwrapper=True)
def pytest_load_initial_conftests(early_config, parser, args):
    global _server
    os.environ["DJANGO_ENV_FILE"] = os.devnull
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    if not os.environ.get("MONGODB_URI"):
        try:
            _server = EmbeddedServer().start()
        except EmbeddedServerError as exc:
            raise pytest.UsageError(f"embedded database: {exc}") from None
        os.environ["MONGODB_URI"] = _server.uri
    yield


def pytest_unconfigure(config):
    global _server
    if _server is not None:
        _server.stop()
        os.environ.pop("MONGODB_URI", None)
        _server = None


def pytest_report_header(config):
    if _server is not None:
        return f"database: embedded SecantusDB at {_server.uri} (in memory)"
    return "database: MONGODB_URI from the environment"
