"""Outages: the database or the mail server goes away (SEC-43, SEC-44)."""

import json

import pytest

from accounts import store
from accounts.mail import outbox
from accounts.models import LinkToken, OutboxMessage
from devdb.server import free_port
from tests.conftest import STRONG_PASSWORD, http_request


@pytest.mark.django_db(transaction=True)
@pytest.mark.processes
def test_sec43_database_down_is_a_json_503_never_a_pass_and_recovery_needs_no_restart(
    app_process, database_link
):
    app = app_process(database_link.uri)
    body = {"username": "alice", "email": "alice@example.org", "password": STRONG_PASSWORD}
    assert http_request("POST", f"{app.url}/api/auth/register", body)[0] == 201
    status, raw, _ = http_request("POST", f"{app.url}/api/auth/login", body)
    token = json.loads(raw)["token"]
    auth = {"Authorization": f"Bearer {token}"}

    database_link.cut()
    for method, path, payload in [("GET", "me", None), ("POST", "login", body)]:
        status, raw, headers = http_request(method, f"{app.url}/api/auth/{path}", payload, auth)
        assert status == 503, (path, raw)
        assert json.loads(raw) == {
            "error": "The service is temporarily unavailable. Try again shortly.",
            "code": "database_unavailable",
        }

    database_link.restore()
    status, raw, _ = http_request("GET", f"{app.url}/api/auth/me", headers=auth)
    assert status == 200 and json.loads(raw)["username"] == "alice"


def smtp_nowhere(settings):
    """Point mail at a local port nothing listens on: every send fails at once."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2


def events(caplog, name: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if f"event={name} " in r.getMessage()]


def test_sec44_mail_down_retries_with_back_off_then_withdraws_the_link_and_logs(
    api, token, settings, queued_mail, clock, caplog
):
    smtp_nowhere(settings)
    settings.AUTH_OUTBOX_MAX_ATTEMPTS, settings.AUTH_OUTBOX_RETRY_SECONDS = 4, 10
    response = api.post("verify", token=token)
    assert response.status_code == 201  # the usual answer: the request only queued the mail
    assert LinkToken.objects.count() == 1  # live while its mail may still go out

    for wait in (10, 20, 40):  # the wait doubles after each failure
        assert outbox.deliver_due() == 1
        assert LinkToken.objects.count() == 1
        clock.advance(seconds=wait - 1)
        assert outbox.deliver_due() == 0, "retried before its back-off ended"
        clock.advance(seconds=1)
    assert outbox.deliver_due() == 1  # the fourth and last attempt

    assert not LinkToken.objects.exists()  # the undelivered link was withdrawn
    assert not store.collection(OutboxMessage).count_documents({})
    assert len(events(caplog, "email_deferred")) == 3
    (failed,) = events(caplog, "email_failed")
    assert "attempts=4" in failed and "kind=verify" in failed
    assert api.get("me", token=token).status_code == 200


def test_sec44_with_sync_delivery_one_failed_attempt_withdraws_the_link_at_once(
    api, token, settings, caplog
):
    smtp_nowhere(settings)
    response = api.post("verify", token=token)
    assert response.status_code == 201
    assert not LinkToken.objects.exists()
    assert len(events(caplog, "email_failed")) == 1
