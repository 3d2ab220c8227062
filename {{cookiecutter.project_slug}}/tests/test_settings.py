"""Settings come from the environment; the database name and driver timeouts from MONGODB_URI."""

import os
import secrets

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.database import database_settings
from config.env import (
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_origins,
    env_rates,
    env_seconds,
    origin,
)
from config.mongo import DRIVER_DEFAULTS, read_uri
from tests import fresh_python


def test_database_name_is_the_uri_path_when_given():
    assert database_settings("mongodb://db.example:27017/shop", "slug")["NAME"] == "shop"


def test_database_name_falls_back_to_the_project_slug():
    assert database_settings("mongodb://db.example:27017", "slug")["NAME"] == "slug"
    assert database_settings("mongodb://db.example:27017/", "slug")["NAME"] == "slug"


def test_driver_timeouts_default_to_seconds_not_thirty():
    _, options = read_uri("mongodb://db.example", "slug")
    assert options["serverSelectionTimeoutMS"] <= 5000
    assert options == DRIVER_DEFAULTS
    assert str(options["serverSelectionTimeoutMS"]) in repr(database_settings("mongodb://x", "s"))


def test_options_in_the_uri_win_over_the_defaults():
    uri = "mongodb://db.example/?serverSelectionTimeoutMS=250&w=1"
    _, options = read_uri(uri, "slug")
    assert "serverSelectionTimeoutMS" not in options and "w" not in options
    assert options["connectTimeoutMS"] == DRIVER_DEFAULTS["connectTimeoutMS"]


def test_a_malformed_uri_is_refused_with_a_clear_message():
    with pytest.raises(ImproperlyConfigured, match="MONGODB_URI is not a valid MongoDB URI"):
        database_settings("postgres://nope", "slug")


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("true", True), ("0", False), ("off", False)]
)
def test_env_bool(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", not expected) is expected


def test_env_bool_refuses_garbage(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("FLAG", False)


def test_env_int_refuses_non_positive_and_garbage(monkeypatch):
    monkeypatch.setenv("TTL", "0")
    with pytest.raises(ImproperlyConfigured):
        env_int("TTL", 10)
    monkeypatch.setenv("TTL", "ten")
    with pytest.raises(ImproperlyConfigured):
        env_int("TTL", 10)
    monkeypatch.setenv("TTL", "3600")
    assert env_int("TTL", 10) == 3600


@pytest.mark.parametrize("raw", ["0", "-1", "soon", "nan", "inf"])
def test_env_seconds_refuses_what_is_not_a_positive_duration(monkeypatch, raw):
    monkeypatch.setenv("POLL", raw)
    with pytest.raises(ImproperlyConfigured):
        env_seconds("POLL", 2)


def test_env_seconds_takes_fractions_and_keeps_whole_numbers_whole(monkeypatch):
    monkeypatch.setenv("POLL", "0.2")
    assert env_seconds("POLL", 2) == 0.2
    monkeypatch.setenv("POLL", "10")
    assert repr(env_seconds("POLL", 2)) == "10"  # logged as retry_in=10, as before
    monkeypatch.setenv("POLL", "")
    assert env_seconds("POLL", 2) == 2


def test_env_rates_parses_throttle_rates_and_refuses_garbage(monkeypatch):
    monkeypatch.setenv("RATES", "login_account=5/600, register_ip=50/3600")
    assert env_rates("RATES") == {"login_account": "5/600", "register_ip": "50/3600"}
    for bad in ["login_account=5", "login_account=five/60", "=5/60", "login_ip=5/0"]:
        monkeypatch.setenv("RATES", bad)
        with pytest.raises(ImproperlyConfigured):
            env_rates("RATES")


def test_env_list_splits_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example, ,b.example ")
    assert env_list("HOSTS", []) == ["a.example", "b.example"]


def test_env_choice_takes_any_case_and_refuses_the_rest(monkeypatch):
    monkeypatch.setenv("SAMESITE", "strict")
    assert env_choice("SAMESITE", "Lax", {"Lax", "Strict", "None"}) == "Strict"
    monkeypatch.setenv("SAMESITE", "sometimes")
    with pytest.raises(ImproperlyConfigured, match="Lax, None, Strict"):
        env_choice("SAMESITE", "Lax", {"Lax", "Strict", "None"})


def test_origins_are_scheme_host_and_port_only(monkeypatch):
    assert origin("https://Example.com/app/?x=1") == "https://example.com"
    assert origin("http://localhost:5173") == "http://localhost:5173"
    monkeypatch.setenv("ORIGINS", "https://app.example.com, http://localhost:5173")
    assert env_origins("ORIGINS") == ["https://app.example.com", "http://localhost:5173"]
    for bad in ["https://app.example.com/", "app.example.com", "ftp://x.example", "https://a@b"]:
        monkeypatch.setenv("ORIGINS", bad)
        with pytest.raises(ImproperlyConfigured):
            env_origins("ORIGINS")


def _settings_in_subprocess(expr: str, **env: str) -> str:
    """Import the production settings in a fresh interpreter and print ``expr``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AUTH_", "API_"))}
    result = fresh_python.run(
        ["-c", f"import config.settings as s; print({expr})"],
        {
            **clean,
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ENV_FILE": "/dev/null",
            **env,
        },
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_debug_is_off_and_ssl_redirect_on_by_default():
    assert _settings_in_subprocess("(s.DEBUG, s.SECURE_SSL_REDIRECT)") == "(False, True)"


def test_ssl_redirect_can_be_turned_off_for_plain_http():
    out = _settings_in_subprocess("s.SECURE_SSL_REDIRECT", DJANGO_SECURE_SSL_REDIRECT="0")
    assert out == "False"


def test_ttl_environment_variables_override_the_baked_values():
    out = _settings_in_subprocess(
        "(s.AUTH_TOKEN_TTL, s.AUTH_VERIFY_LINK_TTL, s.AUTH_RESET_LINK_TTL)",
        AUTH_TOKEN_TTL="60",
        AUTH_VERIFY_LINK_TTL="120",
        AUTH_RESET_LINK_TTL="180",
    )
    assert out == "(60, 120, 180)"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "False"),
        ({"DJANGO_DEBUG": "1"}, "True"),
        ({"API_DOCS_ENABLED": "1"}, "True"),
        ({"DJANGO_DEBUG": "1", "API_DOCS_ENABLED": "0"}, "False"),
    ],
    ids=["production", "debug", "opt-in", "opt-out"],
)
def test_api_docs_are_on_with_debug_and_opt_in_in_production(env, expected):
    assert _settings_in_subprocess("s.API_DOCS_ENABLED", **env) == expected


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    clean = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    result = fresh_python.run(
        ["-c", "import config.settings"], {**clean, "DJANGO_ENV_FILE": str(tmp_path / "absent.env")}
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_the_standalone_bson_package_is_not_installed():
    # PyPI's "bson" overwrites pymongo's own bson module and breaks the driver.
    from importlib.metadata import PackageNotFoundError, distribution

    with pytest.raises(PackageNotFoundError):
        distribution("bson")
    import bson

    assert hasattr(bson, "ObjectId") and hasattr(bson, "BSON")


def test_export_lines_in_the_env_file_count_like_plain_ones(tmp_path, monkeypatch):
    from config.env import load_dotenv

    env_file = tmp_path / ".env"
    env_file.write_text("export DEMO_ONE=1\nexport\tDEMO_TWO='two'\nDEMO_THREE=3\nEXPORTED=x\n")
    names = ("DEMO_ONE", "DEMO_TWO", "DEMO_THREE", "EXPORTED")
    for name in names:
        monkeypatch.delenv(name, raising=False)
    load_dotenv(env_file)
    assert [os.environ.get(name) for name in names] == ["1", "two", "3", "x"]
    for name in names:
        monkeypatch.delenv(name, raising=False)


def test_make_run_points_email_links_at_the_local_server_unless_frontend_url_is_set(tmp_path):
    local = "http://127.0.0.1:8000"
    assert _settings_in_subprocess("s.FRONTEND_URL", LOCAL_SERVER_URL=local) == local
    out = _settings_in_subprocess(
        "s.FRONTEND_URL", LOCAL_SERVER_URL=local, FRONTEND_URL="https://app.example"
    )
    assert out == "https://app.example"
    env_file = tmp_path / ".env"
    env_file.write_text("FRONTEND_URL=http://localhost:3000\n")
    out = _settings_in_subprocess(
        "s.FRONTEND_URL", LOCAL_SERVER_URL=local, DJANGO_ENV_FILE=str(env_file)
    )
    assert out == "http://localhost:3000"


def test_the_tests_never_read_the_developers_env_file():
    # devdb.pytest_plugin points DJANGO_ENV_FILE at an empty file before settings load.
    assert os.environ["DJANGO_ENV_FILE"] == os.devnull


def test_project_templates_come_before_the_apps_own():
    from django.conf import settings

    assert settings.TEMPLATES[0]["DIRS"][0] == settings.BASE_DIR / "templates"
    assert (settings.BASE_DIR / "templates").is_dir()


def test_sec64_cors_and_csrf_trust_the_front_end_and_the_listed_origins_only():
    out = _settings_in_subprocess(
        "(s.CORS_ALLOWED_ORIGINS, s.CORS_ALLOW_CREDENTIALS, s.CORS_URLS_REGEX)",
        FRONTEND_URL="https://app.example.com/welcome",
        CORS_ALLOWED_ORIGINS="https://admin.example.com,https://app.example.com",
    )
    origins = "['https://app.example.com', 'https://admin.example.com']"
    assert out == f"({origins}, True, '^/api/.*$')"
    trusted = _settings_in_subprocess(
        "s.CSRF_TRUSTED_ORIGINS", FRONTEND_URL="https://app.example.com:8443"
    )
    # Django 4+ compares whole origins; Django 3.1 (djongo) the Referer's host[:port].
    assert trusted in ("['https://app.example.com:8443']", "['app.example.com:8443']")


def test_sec64_cookies_are_secure_and_host_prefixed_outside_debug():
    expr = "(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_NAME, s.AUTH_COOKIE_SAMESITE)"
    assert _settings_in_subprocess(expr) == "(True, '__Host-csrftoken', 'Lax')"
    assert _settings_in_subprocess(expr, DJANGO_DEBUG="1") == "(False, 'csrftoken', 'Lax')"


def test_a_cross_site_cookie_without_secure_stops_the_start():
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AUTH_"))}
    result = fresh_python.run(
        ["-c", "import config.settings"],
        {
            **clean,
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ENV_FILE": "/dev/null",
            "DJANGO_DEBUG": "1",
            "AUTH_COOKIE_SAMESITE": "None",
        },
    )
    assert result.returncode != 0
    assert "AUTH_COOKIE_SAMESITE=None needs Secure cookies" in result.stderr
