"""The development server as `make run` starts it: local links, one log line per request."""

import json
import os
import subprocess
import sys
import time

import pytest

from accounts.models import User
from devdb.server import free_port
from tests.conftest import (
    PROJECT_DIR,
    STRONG_PASSWORD,
    database_uri_for_subprocesses,
    http_get,
    http_request,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dev_server(tmp_path):
    """runserver with the environment `make run` gives it; yield its URL and its log file."""
    port = free_port()
    log = tmp_path / "runserver.log"
    env = {
        **os.environ,
        "MONGODB_URI": database_uri_for_subprocesses(),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "LOCAL_SERVER_URL": f"http://localhost:{port}",
    }
    env.pop("FRONTEND_URL", None)
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"localhost:{port}"],
            cwd=PROJECT_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        url = f"http://localhost:{port}"
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, log.read_text()
            try:
                http_get(url + "/api/health", timeout=5)
                break
            except OSError:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.02)
        yield url, log
        process.terminate()
        process.wait(timeout=10)


def lines_naming(log, needle: str) -> list[str]:
    """Return the log's lines naming ``needle``, waiting (10 s at most) until there is one."""
    deadline = time.monotonic() + 10
    while True:
        lines = [line for line in log.read_text().splitlines() if needle in line]
        if lines or time.monotonic() > deadline:
            return lines
        time.sleep(0.02)


def settle(url, log) -> None:
    """Wait until runserver has logged the requests answered so far.

    It writes a request's line just after answering it: by the time the line of one more
    request, sent after those answers came back, is written, theirs are too.
    """
    marker = "/api/health?logged-up-to-here"
    assert http_get(url + marker)[0] == 200
    assert lines_naming(log, marker), log.read_text()


def test_each_client_error_is_logged_once(dev_server):
    url, log = dev_server
    assert http_get(url + "/api/nowhere-at-all")[0] == 404
    assert http_request("POST", url + "/api/auth/login", {"username": 1})[0] == 400
    settle(url, log)
    assert len(lines_naming(log, "/api/nowhere-at-all")) == 1, log.read_text()
    assert len(lines_naming(log, "/api/auth/login")) == 1, log.read_text()


def test_console_email_links_open_the_local_pages(dev_server):
    url, log = dev_server
    User.objects.create_user("alice", "alice@example.org", STRONG_PASSWORD)
    body = {"username": "alice", "password": STRONG_PASSWORD}
    token = json.loads(http_request("POST", url + "/api/auth/login", body)[1])["token"]
    status, _, _ = http_request("POST", url + "/api/auth/verify", headers={"Authorization": token})
    assert status == 201
    assert lines_naming(log, f"{url}/verify?a="), log.read_text()


def test_the_index_page_is_served_in_debug(dev_server):
    url, _ = dev_server
    status, body, headers = http_get(url + "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b'href="/admin/"' in body
