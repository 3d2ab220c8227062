"""GET /api/health: 200 with a reachable database, a fast JSON 503 without one, and recovery."""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from accounts.mail import outbox
from accounts.models import User
from devdb.server import free_port
from tests.conftest import PROJECT_DIR, STRONG_PASSWORD, database_uri_for_subprocesses, http_get


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/health", "/api/health/"])
def test_health_reports_database_ok(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "email": "ok",
        "outbox": {"status": "ok", "depth": 0, "oldest_age_seconds": 0.0},
    }
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.processes
def test_sec43_health_answers_503_json_while_database_is_down_and_recovers(
    app_process, database_link
):
    # The database goes away behind a link the test cuts and restores (tests/database_link.py).
    app = app_process(database_link.uri)
    status, body, _ = http_get(app.url + "/api/health")
    assert (status, json.loads(body)["database"]) == (200, "ok")

    database_link.cut()
    status, body, headers = http_get(app.url + "/api/health")
    assert status == 503
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body)["status"] == "unavailable"
    assert json.loads(body)["database"] == "unreachable"
    assert json.loads(body)["outbox"] is None

    database_link.restore()
    status, body, _ = http_get(app.url + "/api/health")
    assert status == 200, "the same process serves again once the database is back"


@pytest.mark.django_db
def test_sec44_health_says_when_only_mail_is_down(client, settings, monkeypatch):
    monkeypatch.setattr("config.views._mail_check", {"at": float("-inf"), "ok": True})
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    response = client.get("/api/health")
    assert response.status_code == 200  # the API still serves: mail failures are absorbed
    assert response.json()["status"] == "degraded"
    assert response.json()["email"] == "unreachable"
    assert response.json()["database"] == "ok"


def queue_resets(api, count: int) -> None:
    for number in range(count):
        address = f"user{number}@example.org"
        User.objects.create_user(f"user{number}", address, STRONG_PASSWORD)
        assert api.post("reset", {"email": address}).status_code == 200


def test_health_reports_the_outbox_depth_and_oldest_age(api, queued_mail, client, clock):
    queue_resets(api, 2)
    clock.advance(seconds=42)
    body = client.get("/api/health").json()
    assert body["outbox"] == {"status": "ok", "depth": 2, "oldest_age_seconds": 42.0}
    assert body["status"] == "ok"


def test_health_is_degraded_when_the_oldest_mail_waits_too_long(
    api, queued_mail, client, clock, settings
):
    settings.AUTH_OUTBOX_HEALTH_MAX_AGE = 300
    queue_resets(api, 1)
    clock.advance(seconds=301)
    response = client.get("/api/health")
    assert response.status_code == 200  # the API still serves; only mail is late
    assert response.json()["status"] == "degraded"
    assert response.json()["outbox"]["status"] == "backlogged"

    outbox.deliver_due()
    assert client.get("/api/health").json()["status"] == "ok"


def test_health_is_degraded_when_too_much_mail_waits(api, queued_mail, client, settings):
    settings.AUTH_OUTBOX_HEALTH_MAX_DEPTH = 2
    queue_resets(api, 3)
    body = client.get("/api/health").json()
    assert (body["status"], body["outbox"]["depth"]) == ("degraded", 3)


REMOTE = "203.0.113.7"  # a client on the internet, not the probe


def test_sec58_the_public_answer_is_the_status_alone(api, queued_mail, client, clock, settings):
    # The review: the queue's depth after a reset told a known address from an unknown one.
    queue_resets(api, 1)
    public = client.get("/api/health", REMOTE_ADDR=REMOTE)
    assert (public.status_code, public.json()) == (200, {"status": "ok"})
    # The probe's Host, a forged forwarding header, a token that is no staff's: the same.
    token = api.token_for("user0")
    for headers in [
        {"HTTP_HOST": "localhost"},
        {"HTTP_X_FORWARDED_FOR": "127.0.0.1"},
        {"HTTP_AUTHORIZATION": f"Bearer {token}"},
        {"HTTP_AUTHORIZATION": "Bearer not-a-token"},
    ]:
        assert client.get("/api/health", REMOTE_ADDR=REMOTE, **headers).json() == public.json()
    # Behind a trusted proxy, a client that says it is the probe is still the client it is.
    settings.AUTH_TRUSTED_PROXY_COUNT = 1
    forwarded = client.get(
        "/api/health", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"127.0.0.1, {REMOTE}"
    )
    assert forwarded.json() == public.json()


def test_a_staff_token_reads_the_details(api, queued_mail, client, clock):
    queue_resets(api, 1)
    User.objects.create_superuser("root", "root@example.org", STRONG_PASSWORD)
    token = api.token_for("root")
    body = client.get("/api/health", REMOTE_ADDR=REMOTE, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert body.json()["outbox"]["depth"] == 1 and body.json()["database"] == "ok"


def test_sec58_the_probe_is_a_loopback_client_no_proxy_forwarded(api, queued_mail, client):
    queue_resets(api, 1)
    for address in ("127.0.0.1", "::1", "::ffff:127.0.0.1"):
        body = client.get("/api/health", REMOTE_ADDR=address).json()
        assert body["outbox"]["depth"] == 1, address
    proxied = client.get("/api/health", REMOTE_ADDR="127.0.0.1", HTTP_FORWARDED="for=x")
    assert proxied.json() == {"status": "ok"}


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
