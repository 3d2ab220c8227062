"""Security events are logged as structured lines; secrets never reach a log (SEC-38, SEC-39)."""

import io
import logging

import pytest

from accounts.core.audit import escape, redact
from tests.conftest import OTHER_PASSWORD, STRONG_PASSWORD, link_token_from


@pytest.fixture
def security_log(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def events(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "accounts.security"]


def test_sec39_each_flow_logs_its_event_with_user_and_ip(api, user, security_log, mailoutbox):
    token = api.token_for()
    api.login(password="wrong-password-xyz")
    api.post("verify", token=token)
    api.put(f"verify?a={link_token_from(mailoutbox[-1])}")
    api.post("reset", {"email": "alice@example.org"})
    api.put(f"reset?a={link_token_from(mailoutbox[-1])}", {"new_password": OTHER_PASSWORD})
    token = api.token_for(password=OTHER_PASSWORD)
    api.post("logout", token=token)
    names = [line.split()[0] for line in events(security_log)]
    for name in [
        "login_ok",
        "login_failed",
        "verify_requested",
        "verify_done",
        "reset_requested",
        "reset_done",
        "logout",
    ]:
        assert f"event={name}" in names
    login_ok = next(line for line in events(security_log) if line.startswith("event=login_ok"))
    assert f"user={user.pk}" in login_ok and "ip=127.0.0.1" in login_ok


def test_sec39_throttling_is_logged(api, user, security_log, settings):
    settings.AUTH_THROTTLE_RATES = {"login_account": "1/60"}
    api.login(password="wrong-password-xyz")
    api.login()
    assert any(
        line.startswith("event=throttled scope=login_account") or "event=throttled" in line
        for line in events(security_log)
    )


def test_sec38_no_password_token_or_link_ever_reaches_a_log(api, security_log, mailoutbox):
    api.register()
    token = api.token_for()
    api.get("me", token=token)
    api.post("verify", token=token)
    link = link_token_from(mailoutbox[-1])
    api.put(f"verify?a={link}")
    api.post("reset", {"email": "alice@example.org"})
    reset_link = link_token_from(mailoutbox[-1])
    api.put(f"reset?a={reset_link}", {"new_password": OTHER_PASSWORD})
    everything = "\n".join(r.getMessage() for r in security_log.records)
    for secret in [STRONG_PASSWORD, OTHER_PASSWORD, token, link, reset_link]:
        assert secret not in everything


def test_sec39_log_injection_is_escaped():
    assert escape("alice\nevent=login_ok user=admin") == '"alice\\nevent=login_ok user=admin"'
    assert escape("plain.name-1") == "plain.name-1"
    assert "\n" not in escape("x\r\ny") and "\r" not in escape("x\r\ny")


def test_sec38_request_lines_are_redacted():
    line = '"PUT /api/auth/reset?a=SeCrEt_TOKEN-123&x=1 HTTP/1.1" 200'
    assert "SeCrEt_TOKEN-123" not in redact(line) and "a=[redacted]" in redact(line)
    assert "abc.def" not in redact("Authorization: Bearer abc.def")


def test_sec38_the_configured_handlers_scrub_runserver_request_logs():
    handler = next(h for h in logging.getLogger("django.server").handlers)
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        logging.getLogger("django.server").info('"GET /verify?a=%s HTTP/1.1" 200', "TopSecretLink")
    finally:
        handler.setStream(previous)
    assert "TopSecretLink" not in stream.getvalue() and "a=[redacted]" in stream.getvalue()
