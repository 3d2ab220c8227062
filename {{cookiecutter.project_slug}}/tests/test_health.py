"""GET /api/health: 200 with a reachable database, a fast JSON 503 without one, and recovery."""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from devdb.server import EmbeddedServer, free_port
from tests.conftest import PROJECT_DIR, database_uri_for_subprocesses, http_get


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/health", "/api/health/"])
def test_health_reports_database_ok(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "email": "ok"}
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_sec43_health_answers_503_json_while_database_is_down_and_recovers(app_process):
    # A database of our own, so it can be stopped and started again on the same port.
    db = EmbeddedServer().start()
    try:
        app = app_process(db.uri + "?serverSelectionTimeoutMS=1000")
        status, body, _ = http_get(app.url + "/api/health")
        assert (status, json.loads(body)["database"]) == (200, "ok")

        db.stop()
        status, body, headers = http_get(app.url + "/api/health")
        assert status == 503
        assert headers["Content-Type"] == "application/json"
        assert json.loads(body)["status"] == "unavailable"
        assert json.loads(body)["database"] == "unreachable"

        db = EmbeddedServer(port=db.port).start()
        status, body, _ = http_get(app.url + "/api/health")
        assert status == 200, "the same process serves again once the database is back"
    finally:
        db.stop()


@pytest.mark.django_db
def test_sec44_health_says_when_only_mail_is_down(client, settings, monkeypatch):
    monkeypatch.setattr("config.views._mail_check", {"at": float("-inf"), "ok": True})
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    response = client.get("/api/health")
    assert response.status_code == 200  # the API still serves: mail failures are absorbed
    assert response.json() == {"status": "degraded", "database": "ok", "email": "unreachable"}


@pytest.mark.django_db(transaction=True)
def test_the_container_health_check_passes_with_production_hosts_and_https_redirect(
    app_process,
):
    app = app_process(
        database_uri_for_subprocesses(),
        DJANGO_ALLOWED_HOSTS="api.example.com",
        DJANGO_SECURE_SSL_REDIRECT="1",
    )
    probe = subprocess.run(
        [sys.executable, "-m", "config.healthcheck"],
        cwd=PROJECT_DIR,
        env={**os.environ, "PORT": str(app.port)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert probe.returncode == 0, probe.stdout + probe.stderr
    assert '"database": "ok"' in probe.stdout
    # Neither setting is off: another host is refused, another path is sent to HTTPS.
    request = urllib.request.Request(app.url + "/api/health", headers={"Host": "evil.example"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 400
    request = urllib.request.Request(app.url + "/api/auth/me", headers={"Host": "api.example.com"})
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirected:
        opener.open(request, timeout=10)
    assert redirected.value.code == 301
    assert redirected.value.headers["Location"] == "https://api.example.com/api/auth/me"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
