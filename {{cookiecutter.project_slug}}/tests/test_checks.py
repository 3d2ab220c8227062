"""``manage.py check`` and the start-up log say when clients cannot be told apart (SEC-27)."""

import pytest

from tests.test_deploy import check_deploy


@pytest.mark.parametrize(
    "env",
    [
        # Production refuses to start so (SEC-60, tests/test_deploy.py); DEBUG only warns.
        {"DJANGO_BEHIND_PROXY": "1", "DJANGO_DEBUG": "1"},
        {"GUNICORN_CMD_ARGS": "--bind unix:/run/app.sock"},
    ],
    ids=["proxy", "unix-socket"],
)
def test_sec27_check_warns_when_every_client_would_share_one_ip(env):
    result = check_deploy(**env)
    assert result.returncode == 0, result.stderr
    assert "accounts.W001" in result.stdout + result.stderr
    assert "AUTH_TRUSTED_PROXY_COUNT" in result.stdout + result.stderr
    assert "event=no_client_ip" in result.stderr  # the start-up log line, as gunicorn logs it


def test_sec27_a_trusted_proxy_count_silences_the_warning():
    result = check_deploy(DJANGO_BEHIND_PROXY="1", AUTH_TRUSTED_PROXY_COUNT="1")
    assert "accounts.W001" not in result.stdout + result.stderr
    assert "event=no_client_ip" not in result.stderr
