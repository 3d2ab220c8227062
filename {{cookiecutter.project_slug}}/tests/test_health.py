"""GET /api/health: 200 with a reachable database, a fast JSON 503 without one, and recovery."""

import json

import pytest

from devdb.server import EmbeddedServer, free_port
from tests.conftest import http_get


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/health", "/api/health/"])
def test_health_reports_database_ok(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "email": "ok"}
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


@pytest.mark.processes
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
