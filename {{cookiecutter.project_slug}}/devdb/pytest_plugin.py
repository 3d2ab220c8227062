"""pytest plugin: test settings of their own, and a throwaway in-memory SecantusDB.

Loaded with ``-p devdb.pytest_plugin`` (see pyproject.toml). It wraps
``pytest_load_initial_conftests`` so it runs before pytest-django reads the
settings:

- the developer's ``.env`` is never read (``DJANGO_ENV_FILE`` points at an empty
  file), so ``AUTH_THROTTLE_ENABLED=0`` there cannot change what the tests see;
  the session gets a fresh ``DJANGO_SECRET_KEY`` unless the environment has one;
- with ``MONGODB_URI`` unset it starts the embedded server; set, it uses that. The server
  starts while pytest-django sets Django up and the conftests are imported, and is waited for
  at the session's start (before the collection, so a server that cannot start is one error,
  reported as such by xdist too; waiting after the collection lost the message under xdist).

Under pytest-xdist (``make test`` runs one worker per core) each worker starts a server of
its own, so the workers share neither a database nor the server's one Python process; the
controller, which runs no test, starts none (its environment, key included, is the workers').
With ``MONGODB_URI`` set, the workers share that server and pytest-django gives each a
database of its own (``test_<name>_gw0``...).
"""

import os
import secrets

import pytest

from devdb.server import EmbeddedServer, EmbeddedServerError

_server: EmbeddedServer | None = None
_per_worker = False


def _distributed(config) -> bool:
    """Tell whether this is an xdist controller that hands every test to workers."""
    workers = getattr(config.known_args_namespace, "numprocesses", None)
    dist = getattr(config.known_args_namespace, "dist", "no")
    return bool(workers) and dist != "no" and "PYTEST_XDIST_WORKER" not in os.environ


@pytest.hookimpl(hookwrapper=True)
def pytest_load_initial_conftests(early_config, parser, args):
    global _server, _per_worker
    os.environ["DJANGO_ENV_FILE"] = os.devnull
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    if not os.environ.get("MONGODB_URI"):
        if _distributed(early_config):
            _per_worker = True
        else:
            try:
                _server = EmbeddedServer().launch()
            except EmbeddedServerError as exc:
                raise pytest.UsageError(f"embedded database: {exc}") from None
            os.environ["MONGODB_URI"] = _server.uri
    yield


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session):
    """Wait for the embedded server launched above, before any test can use it."""
    global _server
    if _server is not None:
        try:
            _server.wait_until_ready()
        except EmbeddedServerError as exc:
            _server = None
            raise pytest.UsageError(f"embedded database: {exc}") from None


def pytest_unconfigure(config):
    global _server
    if _server is not None:
        _server.stop()
        os.environ.pop("MONGODB_URI", None)
        _server = None


def pytest_report_header(config):
    if _server is not None:
        return f"database: embedded SecantusDB at {_server.uri} (in memory)"
    if _per_worker:
        return "database: embedded SecantusDB at mongodb://127.0.0.1:<port>/, one per worker"
    return "database: MONGODB_URI from the environment"
