"""Production settings pass Django's deployment checklist (SEC-37)."""

import os
import secrets
import subprocess
import sys

from tests.conftest import PROJECT_DIR


def check_deploy(*options: str, **env: str) -> subprocess.CompletedProcess:
    """Run ``manage.py check --deploy`` with a production environment (plus ``env``)."""
    production = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "AUTH_MFA_KEY": secrets.token_urlsafe(40),  # else check warns (accounts.W101)
        "DJANGO_ALLOWED_HOSTS": "api.example.com",
        "DJANGO_ENV_FILE": "/dev/null",
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", *options],
        cwd=PROJECT_DIR,
        env=production,
        capture_output=True,
        text=True,
        check=False,
    )


def test_sec37_check_deploy_passes_with_production_environment():
    # The one warning left is W021 (HSTS preload): joining browsers' preload lists is a
    # commitment for every subdomain, so it is opt-in (DJANGO_SECURE_HSTS_PRELOAD=1).
    result = check_deploy()
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified 1 issue" in output and "security.W021" in output, output


def test_sec37_with_preload_opted_in_there_is_no_warning_at_all():
    result = check_deploy("--fail-level", "WARNING", DJANGO_SECURE_HSTS_PRELOAD="1")
    assert result.returncode == 0, result.stdout + result.stderr
