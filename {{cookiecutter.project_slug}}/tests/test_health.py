"""GET /api/health: 200 with a reachable database, a fast JSON 503 without one, and recovery."""

import json

import pytest

from devdb.server import EmbeddedServer
from tests.conftest import http_get


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/health", "/api/health/"])
def test_health_reports_database_ok(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_sec43_health_answers_503_json_while_database_is_down_and_recovers(app_process):
    # A database of our own, so it can be stopped and started again on the same port.
    db = EmbeddedServer().start()
    try:
        app = app_process(db.uri + "?serverSelectionTimeoutMS=1000")
        status, body, _ = http_get(app.url + "/api/health")
        assert (status, json.loads(body)) == (200, {"status": "ok", "database": "ok"})

        db.stop()
        status, body, headers = http_get(app.url + "/api/health")
        assert status == 503
        assert headers["Content-Type"] == "application/json"
        assert json.loads(body) == {"status": "unavailable", "database": "unreachable"}

        db = EmbeddedServer(port=db.port).start()
        status, body, _ = http_get(app.url + "/api/health")
        assert status == 200, "the same process serves again once the database is back"
    finally:
        db.stop()
