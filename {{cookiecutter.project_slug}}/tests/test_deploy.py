"""Production settings pass Django's deployment checklist (SEC-37)."""

import os
import secrets
import subprocess
import sys

from tests.conftest import PROJECT_DIR


def test_sec37_check_deploy_passes_with_production_environment():
    # The one warning left is W021 (HSTS preload): joining browsers' preload lists is a
    # commitment for every subdomain, so it is opt-in (DJANGO_SECURE_HSTS_PRELOAD=1).
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "api.example.com",
        "DJANGO_ENV_FILE": "/dev/null",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified 1 issue" in output and "security.W021" in output, output


def test_sec37_with_preload_opted_in_there_is_no_warning_at_all():
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "api.example.com",
        "DJANGO_ENV_FILE": "/dev/null",
        "DJANGO_SECURE_HSTS_PRELOAD": "1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
