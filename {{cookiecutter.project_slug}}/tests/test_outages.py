"""Outages: the database or the mail server goes away (SEC-43, SEC-44)."""

import json
import subprocess
import sys

import pytest

from accounts.models import LinkToken
from devdb.server import EmbeddedServer
from tests.conftest import PROJECT_DIR, STRONG_PASSWORD, http_request


@pytest.fixture
def own_database(tmp_path):
    """A migrated database server of this test's own, with data on disk so it survives a restart."""
    server = EmbeddedServer(storage=tmp_path / "db").start()
    uri = f"{server.uri}outage?serverSelectionTimeoutMS=1000"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=PROJECT_DIR,
        env={**__import__("os").environ, "MONGODB_URI": uri},
        check=True,
    )
    yield server, uri
    server.stop()


@pytest.mark.processes
def test_sec43_database_down_is_a_json_503_never_a_pass_and_recovery_needs_no_restart(
    app_process, own_database, tmp_path
):
    server, uri = own_database
    app = app_process(uri)
    body = {"username": "alice", "email": "alice@example.org", "password": STRONG_PASSWORD}
    assert http_request("POST", f"{app.url}/api/auth/register", body)[0] == 201
    status, raw, _ = http_request("POST", f"{app.url}/api/auth/login", body)
    token = json.loads(raw)["token"]
    auth = {"Authorization": f"Bearer {token}"}

    server.stop()
    for method, path, payload in [("GET", "me", None), ("POST", "login", body)]:
        status, raw, headers = http_request(method, f"{app.url}/api/auth/{path}", payload, auth)
        assert status == 503, (path, raw)
        assert json.loads(raw) == {
            "error": "The service is temporarily unavailable. Try again shortly.",
            "code": "database_unavailable",
        }

    restarted = EmbeddedServer(port=server.port, storage=server.storage).start()
    try:
        status, raw, _ = http_request("GET", f"{app.url}/api/auth/me", headers=auth)
        assert status == 200 and json.loads(raw)["username"] == "alice"
    finally:
        restarted.stop()


def test_sec44_mail_down_gives_the_usual_answer_and_leaves_no_link_behind(api, token, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    response = api.post("verify", token=token)
    assert response.status_code == 201
    assert not LinkToken.objects.exists()  # the undelivered link was withdrawn


def test_sec44_failed_mail_is_logged(api, token, settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    api.post("verify", token=token)
    assert any("event=email_failed" in r.getMessage() for r in caplog.records)
