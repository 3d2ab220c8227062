"""Production settings: Django's checklist (SEC-37), refusals at start-up, the health probe."""

import os
import secrets
import subprocess

import pytest

from tests import fresh_python


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
    return fresh_python.run(["manage.py", "check", "--deploy", *options], production)


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


def start_settings(**env: str) -> subprocess.CompletedProcess:
    """Load the production settings in a fresh interpreter with ``env``."""
    production = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_"))},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_ENV_FILE": "/dev/null",
        **env,
    }
    return fresh_python.run(["-c", "import config.settings"], production)


def one_line_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode != 0
    return result.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize(
    "key, problem",
    [
        ("change-me", "placeholder"),
        ("short-but-random-Qx81", "fewer than 50"),
        ("django-insecure-" + secrets.token_urlsafe(50), "django-insecure-"),
        ("ab" * 40, "fewer than 5 different"),
    ],
    ids=["placeholder", "short", "django-insecure", "low-variety"],
)
def test_production_refuses_a_weak_secret_key_saying_how_to_make_one(key, problem):
    line = one_line_error(start_settings(DJANGO_SECRET_KEY=key))
    assert "DJANGO_SECRET_KEY" in line and problem in line
    assert "secrets.token_urlsafe(50)" in line
    assert key not in line  # never echo a secret


def test_debug_still_starts_with_a_short_development_key():
    assert start_settings(DJANGO_SECRET_KEY="dev", DJANGO_DEBUG="1").returncode == 0


def test_production_refuses_the_console_email_backend():
    console = "django.core.mail.backends.console.EmailBackend"
    key = secrets.token_urlsafe(50)
    line = one_line_error(start_settings(DJANGO_SECRET_KEY=key, EMAIL_BACKEND=console))
    assert "console backend" in line and "DJANGO_DEBUG=1" in line
    started = start_settings(DJANGO_SECRET_KEY=key, EMAIL_BACKEND=console, DJANGO_DEBUG="1")
    assert started.returncode == 0, started.stderr


def test_sec60_production_refuses_a_proxy_without_a_trusted_count():
    # The review: behind the documented proxy, 100 bad logins from one client throttled all.
    key = secrets.token_urlsafe(50)
    line = one_line_error(start_settings(DJANGO_SECRET_KEY=key, DJANGO_BEHIND_PROXY="1"))
    assert "DJANGO_BEHIND_PROXY=1" in line and "AUTH_TRUSTED_PROXY_COUNT" in line
    for env in [{"AUTH_TRUSTED_PROXY_COUNT": "1"}, {"DJANGO_DEBUG": "1"}]:
        started = start_settings(DJANGO_SECRET_KEY=key, DJANGO_BEHIND_PROXY="1", **env)
        assert started.returncode == 0, started.stderr


def test_sec60_the_env_example_starts_behind_its_proxy_with_one_trusted_hop():
    example = fresh_python.PROJECT_DIR / ".env.example"
    lines = example.read_text(encoding="utf-8").splitlines()
    assert lines.index("AUTH_TRUSTED_PROXY_COUNT=1") == lines.index("DJANGO_BEHIND_PROXY=1") + 1
    result = fresh_python.run(
        ["-c", "import config.settings as s; print(s.AUTH_TRUSTED_PROXY_COUNT)"],
        {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_"))},
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_ENV_FILE": str(example),
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        },
    )
    assert (result.returncode, result.stdout.strip()) == (0, "1"), result.stderr


def test_secrets_are_read_from_files_as_docker_mounts_them(tmp_path):
    key_file, uri_file = tmp_path / "django_secret_key", tmp_path / "mongodb_uri"
    key_file.write_text(secrets.token_urlsafe(50) + "\n")
    uri_file.write_text("mongodb://root:pw@db.internal:27017/shop?authSource=admin\n")
    result = fresh_python.run(
        [
            "-c",
            "import config.settings as s; print(len(s.SECRET_KEY), s.DATABASES['default']['NAME'])",
        ],
        {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MONGODB_"))},
            "DJANGO_ENV_FILE": "/dev/null",
            "DJANGO_SECRET_KEY_FILE": str(key_file),
            "MONGODB_URI_FILE": str(uri_file),
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["67", "shop"]


def test_a_secret_given_twice_is_refused(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text(secrets.token_urlsafe(50))
    key = secrets.token_urlsafe(50)
    line = one_line_error(
        start_settings(DJANGO_SECRET_KEY=key, DJANGO_SECRET_KEY_FILE=str(key_file))
    )
    assert "DJANGO_SECRET_KEY and DJANGO_SECRET_KEY_FILE are both set" in line
