"""Shared fixtures: the real database (embedded or MONGODB_URI) and processes run against it."""

import contextlib
import functools
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from pymongo import monitoring

from devdb.server import free_port
from tests import db_reset
from tests.browser import browser, chromium  # noqa: F401 - the headless chromium fixtures
from tests.oidc_provider import oidc_provider  # noqa: F401 - node's oidc-provider, per process

# Fuzz depth: the default keeps `make test` quick; HYPOTHESIS_PROFILE=thorough digs deeper.
_fuzz = {"deadline": None, "suppress_health_check": [HealthCheck.function_scoped_fixture]}
settings.register_profile("default", max_examples=40, **_fuzz)
settings.register_profile("thorough", max_examples=400, **_fuzz)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

PROJECT_DIR = Path(__file__).resolve().parent.parent


def http_request(method, url, body=None, headers=None, timeout=15.0):
    """Send one real HTTP request (JSON ``body``); return status, body bytes and headers."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


def http_get(url: str, timeout: float = 15.0) -> tuple[int, bytes, dict]:
    """GET ``url``; return status, body and headers, errors included."""
    return http_request("GET", url, timeout=timeout)


# Made by migrate, never changed by a test: kept across the flush that follows every database
# test, which saves re-creating them through post_migrate each time (most of the suite's time).
REFERENCE_TABLES = {"django_content_type", "auth_permission"}

# Before any MongoClient exists: the flush empties only what this process wrote (see db_reset).
db_reset.install()


@pytest.fixture(autouse=True, scope="session")
def _keep_reference_data_across_flushes():
    from django.core.management.commands import flush
    from django.db import connection as default

    def sql_flush(style, connection, **options):
        options.pop("only_django", None)  # Django 3.1 passes it; the tables below are Django's
        tables = db_reset.tables_to_flush(connection, kept_out=REFERENCE_TABLES)
        return connection.ops.sql_flush(style, tables, **options)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(flush, "sql_flush", sql_flush)
        patch.setattr(flush, "emit_post_migrate_signal", lambda *args, **kwargs: None)
        if default.vendor == "mongodb":  # django-mongodb-backend (djongo flushes with SQL)
            execute = functools.partial(db_reset.delete_every_document, default)
            patch.setattr(default.ops, "execute_sql_flush", execute)
        yield


class CommandLog(monitoring.CommandListener):
    """Every command this process sends to the database server, while recording is on."""

    def __init__(self):
        self.recording = False
        self.commands: list[tuple[str, dict]] = []
        self._lock = threading.Lock()

    def started(self, event):
        if self.recording:
            with self._lock:
                self.commands.append((event.command_name, dict(event.command)))

    def succeeded(self, event):
        pass

    def failed(self, event):
        pass


# Registered before any client exists, so every MongoClient of the test process reports to it,
# whichever backend made it.
COMMAND_LOG = CommandLog()
monitoring.register(COMMAND_LOG)


@pytest.fixture
def server_commands():
    """Record the commands sent to the database server inside ``with server_commands() as c:``."""

    @contextlib.contextmanager
    def recording():
        COMMAND_LOG.commands = []
        COMMAND_LOG.recording = True
        try:
            yield COMMAND_LOG.commands
        finally:
            COMMAND_LOG.recording = False

    return recording


def pytest_collection_modifyitems(items):
    """Start the tests that run processes of their own first (stable otherwise).

    They are the slowest by far; begun first, they overlap the many quick tests on the other
    worker instead of forming a tail that one worker runs alone.
    """
    items.sort(key=lambda item: item.get_closest_marker("processes") is None)


def uri_with_database(uri: str, name: str) -> str:
    """Return ``uri`` pointing at database ``name`` (its path replaced, options kept)."""
    parts = urllib.parse.urlsplit(uri)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def database_uri_for_subprocesses() -> str:
    """Return a URI for the database pytest-django made, for processes we start ourselves."""
    from django.db import connection

    db_reset.flush_everything()  # the other process's writes are out of this one's sight
    return uri_with_database(os.environ["MONGODB_URI"], connection.settings_dict["NAME"])


class AppProcess:
    """The project under gunicorn, as deployed, against a given MongoDB URI."""

    def __init__(
        self, mongodb_uri: str, workers: int = 1, log_file: Path | None = None, **env: str
    ):
        self.workers = workers
        self.log_file = log_file  # gunicorn's and the app's log lines, when a test reads them
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "MONGODB_URI": mongodb_uri,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            **env,
        }
        self.process = None

    def start(self) -> "AppProcess":
        return self.spawn().wait_until_ready()

    def spawn(self) -> "AppProcess":
        """Start gunicorn without waiting: several spawned at once start side by side."""
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--log-level",
                "warning",
            ],
            cwd=PROJECT_DIR,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stderr=self.log_file.open("ab") if self.log_file else None,
            start_new_session=True,  # its own process group, so kill() reaches the workers too
        )
        return self

    def wait_until_ready(self) -> "AppProcess":
        # A refused connection costs next to nothing: polled often, the test starts as soon
        # as the worker listens rather than up to a tenth of a second later.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "gunicorn exited at start"
            try:
                http_get(self.url + "/api/health", timeout=10)
                return self
            except OSError:
                time.sleep(0.02)
        raise AssertionError("gunicorn did not answer within 30 s")

    def stop(self) -> None:
        """Stop the server at once: a test's teardown needs no graceful exit.

        gunicorn's graceful SIGTERM takes most of a second (its arbiter waits for the workers
        in 0.1 s steps); test_mail_delivery proves that path on its own.
        """
        if self.process is not None and self.process.poll() is None:
            self.kill()

    def kill(self) -> None:
        """Kill -9 the master and its workers at once: no handler, no clean-up runs."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


@pytest.fixture
def app_process():
    """Start gunicorn processes on demand; stop them all afterwards."""
    started = []

    def start(
        mongodb_uri: str, workers: int = 1, log_file: Path | None = None, **env: str
    ) -> AppProcess:
        app = AppProcess(mongodb_uri, workers, log_file, **env).start()
        started.append(app)
        return app

    yield start
    for app in started:
        app.stop()


@pytest.fixture
def database_link(transactional_db):
    """A link to the test database that the test cuts and restores: the database going away.

    Give a server process its ``uri``; another process writes, so the database is emptied
    after the test as ``transaction=True`` does. Cut at the end, whatever happened.
    """
    from tests.database_link import DatabaseLink

    link = DatabaseLink(database_uri_for_subprocesses()).restore()
    yield link
    link.cut()


# --- The auth API ---------------------------------------------------------------
STRONG_PASSWORD = "velvet-orbit-harbor-lantern"
OTHER_PASSWORD = "quiet-meadow-copper-sprocket"


class Api:
    """JSON calls through Django's test client, with an optional token."""

    def __init__(self, client):
        self.client = client

    def call(self, method, path, body=None, token=None, scheme="Bearer ", **extra):
        headers = {}
        if token is not None:
            headers["HTTP_AUTHORIZATION"] = f"{scheme}{token}"
        data = json.dumps(body) if body is not None else ""
        return getattr(self.client, method.lower())(
            f"/api/auth/{path}", data=data, content_type="application/json", **headers, **extra
        )

    def post(self, path, body=None, **kw):
        return self.call("POST", path, body, **kw)

    def put(self, path, body=None, **kw):
        return self.call("PUT", path, body, **kw)

    def get(self, path, **kw):
        return self.call("GET", path, **kw)

    def patch(self, path, body=None, **kw):
        return self.call("PATCH", path, body, **kw)

    def delete(self, path, body=None, **kw):
        return self.call("DELETE", path, body, **kw)

    def register(self, username="alice", email="alice@example.org", password=STRONG_PASSWORD):
        return self.post("register", {"username": username, "email": email, "password": password})

    def login(self, username="alice", password=STRONG_PASSWORD, **extra):
        return self.post("login", {"username": username, "password": password}, **extra)

    def token_for(self, username="alice", password=STRONG_PASSWORD):
        response = self.login(username, password)
        assert response.status_code == 200, response.content
        return response.json()["token"]

    def reauthenticate(self, token, password=STRONG_PASSWORD):
        """Re-authenticate ``token``'s session (SEC-55), so sensitive operations go through."""
        response = self.post("reauthenticate", {"current_password": password}, token=token)
        assert response.status_code == 200, response.content
        return token


@pytest.fixture
def api(client, db):
    return Api(client)


@pytest.fixture
def user(db):
    """A registered user, alice, with a known password."""
    from accounts.models import User

    return User.objects.create_user("alice", "alice@example.org", STRONG_PASSWORD)


@pytest.fixture
def token(api, user):
    """A live login token of ``user``."""
    return api.token_for()


@pytest.fixture
def reauthed(api, token):
    """``token``, its session just re-authenticated: it may turn MFA on, rename, delete..."""
    return api.reauthenticate(token)


ADMIN_PASSWORD = "admin-passphrase-long-enough"


@pytest.fixture
def admin_client_logged_in(client, db):
    """Django's test client, logged in to the admin as a superuser, root."""
    from accounts.models import User

    User.objects.create_superuser("root", "root@example.org", ADMIN_PASSWORD)
    assert client.login(username="root", password=ADMIN_PASSWORD)
    return client


class Clock:
    """A clock the tests move by hand: the app reads time only through ``accounts.clock.now``."""

    def __init__(self):
        from django.utils import timezone

        self.current = timezone.now().replace(microsecond=0)  # MongoDB keeps milliseconds

    def now(self):
        return self.current

    def advance(self, **delta):
        self.current += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    moving = Clock()
    monkeypatch.setattr("accounts.clock.now", moving.now)
    return moving


@pytest.fixture
def rates(settings, clock):
    """Set throttle rates for one test: ``rates(login_account="3/60")``.

    Throttle windows are fixed, aligned on multiples of their period: on the real clock a
    boundary passing mid-test would reset the counts, so time stands still (``clock``)
    unless the test moves it.
    """

    def set_rates(**values):
        settings.AUTH_THROTTLE_RATES = values

    return set_rates


LINK_RE = re.compile(r"https?://[^\s\"<>]+/(verify|reset|email)\?a=([A-Za-z0-9_-]+)")


def link_token_from(message) -> str:
    """Return the ``a=`` token from the text part of an email."""
    match = LINK_RE.search(message.body)
    assert match, message.body
    return match.group(2)


LOGIN_CODE_RE = re.compile(r"\b([2-9A-HJKMNP-TV-Z]{4})-([2-9A-HJKMNP-TV-Z]{4})\b")


def login_code_from(message) -> str:
    """Return the code of a login-code email, as the email shows it (``ABCD-EFGH``)."""
    match = LOGIN_CODE_RE.search(message.body)
    assert match, message.body
    return f"{match.group(1)}-{match.group(2)}"


def kinds(messages) -> list[str]:
    """Return which emails these are, by their ``X-Auth-Email`` header, in order.

    Tests outside tests/mail/test_emails.py name emails by kind and read only what the
    context puts in them (a link, a code, an address): a project rewords any template
    and the suite still passes (tests/mail/test_emails.py holds the wording contract).
    """
    from accounts.mail.emails import KIND_HEADER

    return [message.extra_headers.get(KIND_HEADER) for message in messages]


def renders_as(message, email) -> bool:
    """Whether ``message`` is what ``email`` renders: the same kind of email given the same facts.

    ``email`` is built with the facts the test expects (``PasskeyAddedEmail(user, "Phone",
    mfa_turned_on=True)``); whatever the templates say, the two match only if the app gave
    its email those facts.
    """
    expected = email.build()
    return (message.subject, message.body, message.to) == (
        expected.subject,
        expected.body,
        expected.to,
    )


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free local port, recording what it accepts."""
    from tests.smtp import SmtpServer

    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def queued_mail(settings):
    """Requests only queue their mail, as in production; the test runs the sender itself.

    The suite otherwise sends each queued mail inside the request (``AUTH_MAIL_DELIVERY =
    "sync"`` in tests/settings.py), so that ``mailoutbox`` holds it when the request returns.
    """
    settings.AUTH_MAIL_DELIVERY = "worker"


@pytest.fixture
def hash_calls(monkeypatch):
    """Count bcrypt hash computations (the real ones still run): a list, one entry per hash."""
    import bcrypt

    calls = []
    real = bcrypt.hashpw

    def counting(password, salt):
        calls.append(1)
        return real(password, salt)

    monkeypatch.setattr(bcrypt, "hashpw", counting)
    return calls


# --- Two-factor authentication ----------------------------------------------------
def totp_code(secret: str, clock, steps: int = 0) -> str:
    """Return the authenticator app's code ``steps`` time steps from the test clock's now."""
    import pyotp

    return pyotp.TOTP(secret).at(clock.now() + timedelta(seconds=30 * steps))


@pytest.fixture
def mfa_user(api, user, token, clock):
    """alice with MFA on, three steps after the one that confirmed it: secret, codes, token."""
    from types import SimpleNamespace

    # Set up from a session of its own: ``token`` stays a plain login, not re-authenticated.
    setup = api.reauthenticate(api.token_for())
    secret = api.post("mfa/totp", token=setup).json()["secret"]
    confirmed = api.put("mfa/totp", {"code": totp_code(secret, clock)}, token=setup)
    assert confirmed.status_code == 200, confirmed.content
    clock.advance(seconds=90)
    return SimpleNamespace(
        user=user, secret=secret, recovery_codes=confirmed.json()["recovery_codes"], token=token
    )
