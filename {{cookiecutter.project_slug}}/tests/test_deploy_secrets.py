"""``make secrets``: Docker secret files made once, readable by the container, never replaced.

And an ``.env.production`` behind the proxy with no trusted hop gets one (SEC-60).
"""

import stat

import pytest

from config.deploy_secrets import add_proxy_count, legacy_root_uri, write_secrets


def test_the_app_connects_as_its_own_least_privilege_user_not_root(tmp_path):
    directory = tmp_path / "secrets"
    assert sorted(write_secrets(directory, "shop")) == [
        "auth_mfa_key",
        "django_secret_key",
        "mongo_app_password",
        "mongo_root_password",
        "mongodb_uri",
    ]
    password = (directory / "mongo_app_password").read_text().strip()
    root = (directory / "mongo_root_password").read_text().strip()
    uri = (directory / "mongodb_uri").read_text().strip()
    # The user deploy/mongo/create-app-user.js makes, in the app's own database.
    assert uri == f"mongodb://app:{password}@mongo:27017/shop?authSource=shop"
    assert root != password and root not in uri
    assert len(password) >= 40 and len((directory / "django_secret_key").read_text().strip()) >= 60
    assert len((directory / "auth_mfa_key").read_text().strip()) >= 43
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert stat.S_IMODE((directory / "mongodb_uri").stat().st_mode) == 0o644


def test_existing_secrets_are_kept(tmp_path):
    directory = tmp_path / "secrets"
    write_secrets(directory, "shop")
    before = {path.name: path.read_text() for path in directory.iterdir()}
    (directory / "django_secret_key").unlink()
    assert write_secrets(directory, "shop") == ["django_secret_key"]
    after = {path.name: path.read_text() for path in directory.iterdir()}
    assert after["mongodb_uri"] == before["mongodb_uri"]
    assert after["django_secret_key"] != before["django_secret_key"]


def test_half_of_the_password_pair_is_refused(tmp_path):
    directory = tmp_path / "secrets"
    write_secrets(directory, "shop")
    (directory / "mongodb_uri").unlink()
    with pytest.raises(SystemExit, match="one password"):
        write_secrets(directory, "shop")


def test_a_root_uri_made_before_the_app_user_is_kept_and_named(tmp_path):
    directory = tmp_path / "secrets"
    directory.mkdir()
    legacy = "mongodb://root:old-password@mongo:27017/shop?authSource=admin\n"
    (directory / "mongodb_uri").write_text(legacy)
    (directory / "mongo_root_password").write_text("old-password\n")
    assert legacy_root_uri(directory)
    assert sorted(write_secrets(directory, "shop")) == ["auth_mfa_key", "django_secret_key"]
    assert (directory / "mongodb_uri").read_text() == legacy  # still connects, as before


def test_sec60_make_secrets_puts_a_proxy_count_beside_the_proxy(tmp_path):
    env = tmp_path / ".env.production"
    env.write_text("# mine\nDJANGO_BEHIND_PROXY=1\nEMAIL_HOST=smtp.example.com\n")
    env.chmod(0o600)
    assert add_proxy_count(env)
    assert env.read_text().splitlines() == [
        "# mine",
        "DJANGO_BEHIND_PROXY=1",
        "AUTH_TRUSTED_PROXY_COUNT=1",
        "EMAIL_HOST=smtp.example.com",
    ]
    assert stat.S_IMODE(env.stat().st_mode) == 0o600
    assert not add_proxy_count(env)  # once


@pytest.mark.parametrize(
    "text",
    ["DJANGO_BEHIND_PROXY=1\nAUTH_TRUSTED_PROXY_COUNT=2\n", "DJANGO_BEHIND_PROXY=0\n", ""],
    ids=["count-kept", "no-proxy", "empty"],
)
def test_a_count_already_set_or_no_proxy_is_left_alone(tmp_path, text):
    env = tmp_path / ".env.production"
    env.write_text(text)
    assert not add_proxy_count(env)
    assert env.read_text() == text
    assert not add_proxy_count(tmp_path / "missing")
