"""``make secrets``: the files docker-compose.yml mounts as Docker secrets, made once.

``secrets/django_secret_key``, ``secrets/auth_mfa_key``, ``secrets/mongo_root_password`` (the
bundled MongoDB's administrator, for backups and your own maintenance),
``secrets/mongo_app_password`` and ``secrets/mongodb_uri`` (the app's connection string, with
that password). The app connects as ``app``, a user with ``readWrite`` on its own database and
nothing else, which the bundled server creates when its volume is first made
(``deploy/mongo/create-app-user.js``): a flaw in the app cannot reach other databases or the
server's users. Docker mounts each file at ``/run/secrets/<name>``; the settings read
``DJANGO_SECRET_KEY_FILE``, ``AUTH_MFA_KEY_FILE`` and ``MONGODB_URI_FILE``.
Nothing is ever overwritten: MongoDB keeps the passwords it was first started with.
Standard library only, so plain ``python3`` runs it on a fresh server.

It also keeps ``.env.production`` startable: a copy of an older ``.env.example`` says
``DJANGO_BEHIND_PROXY=1`` with no ``AUTH_TRUSTED_PROXY_COUNT``, which production now refuses
(``config/safety.py``, SEC-60), so ``AUTH_TRUSTED_PROXY_COUNT=1`` is added beside it, as
``.env.example`` has it. A count already there, whatever it says, is kept.
"""

import os
import secrets
import sys
from pathlib import Path

SECRETS_DIR = Path("secrets")
ENV_FILE = Path(".env.production")
APP_USER = "app"  # deploy/mongo/create-app-user.js creates it
PROXY_COUNT_LINE = "AUTH_TRUSTED_PROXY_COUNT=1"  # the compose set-up: one proxy in front


def wanted(database: str) -> dict[str, str]:
    """Return fresh contents for each secret file, by name."""
    app_password = secrets.token_urlsafe(32)  # URL-safe: goes into the URI as is
    # authSource: the app's user lives in the app's database, where the init script makes it.
    uri = f"mongodb://{APP_USER}:{app_password}@mongo:27017/{database}?authSource={database}"
    return {
        "django_secret_key": secrets.token_urlsafe(50),
        "auth_mfa_key": secrets.token_urlsafe(40),  # seals TOTP secrets (accounts/mfa/totp.py)
        "mongo_root_password": secrets.token_urlsafe(32),
        "mongo_app_password": app_password,
        "mongodb_uri": uri,
    }


def legacy_root_uri(directory: Path) -> bool:
    """Tell whether ``mongodb_uri`` predates the app's own user (it connects as root)."""
    uri = directory / "mongodb_uri"
    return (
        uri.exists()
        and not (directory / "mongo_app_password").exists()
        and ("//root:" in uri.read_text(encoding="utf-8"))
    )


def write_secrets(directory: Path, database: str) -> list[str]:
    """Write the secret files missing from ``directory``; return the names written."""
    directory.mkdir(mode=0o700, exist_ok=True)
    legacy = legacy_root_uri(directory)
    paired = [(directory / name).exists() for name in ("mongo_app_password", "mongodb_uri")]
    if paired[0] != paired[1] and not legacy:
        raise SystemExit(
            f"make secrets: only one of mongo_app_password and mongodb_uri is in {directory}/: "
            "they hold one password; remove it too, or write the other by hand."
        )
    written = []
    for name, value in wanted(database).items():
        path = directory / name
        if path.exists() or (legacy and name == "mongo_app_password"):
            continue
        # 0644 inside a 0700 directory: other users of the host cannot reach it, and the
        # container's own user (uid 10001) can read the file compose mounts as is.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(value + "\n")
        written.append(name)
    return written


def env_settings(lines: list[str]) -> dict[str, tuple[int, str]]:
    """Return each ``KEY=value`` of an env file as ``KEY -> (line number, value)``."""
    found = {}
    for number, line in enumerate(lines):
        line = line.strip()
        if line.startswith("export") and line[6:7].isspace():
            line = line[6:].lstrip()
        if line and not line.startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            found[key.strip()] = (number, value.strip().strip("'\""))
    return found


def add_proxy_count(env_file: Path) -> bool:
    """Put ``AUTH_TRUSTED_PROXY_COUNT=1`` beside ``DJANGO_BEHIND_PROXY=1`` when no count is set."""
    if not env_file.is_file():
        return False
    lines = env_file.read_text(encoding="utf-8").splitlines()
    found = env_settings(lines)
    proxy = found.get("DJANGO_BEHIND_PROXY")
    if proxy is None or proxy[1].lower() not in ("1", "true", "yes", "on"):
        return False
    if "AUTH_TRUSTED_PROXY_COUNT" in found:
        return False
    lines.insert(proxy[0] + 1, PROXY_COUNT_LINE)
    env_file.write_text("\n".join(lines) + "\n", encoding="utf-8")  # its mode stays as it was
    return True


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not argv[0].isidentifier():
        print("usage: python -m config.deploy_secrets DATABASE_NAME", file=sys.stderr)
        return 2
    written = write_secrets(SECRETS_DIR, argv[0])
    kept = sorted(set(wanted(argv[0])) - set(written))
    print(f"{SECRETS_DIR}/: wrote {', '.join(written) or 'nothing'}; kept {', '.join(kept) or '-'}")
    if add_proxy_count(ENV_FILE):
        print(f"{ENV_FILE}: added {PROXY_COUNT_LINE} beside DJANGO_BEHIND_PROXY=1 (SEC-60)")
    if legacy_root_uri(SECRETS_DIR):
        print(
            f"{SECRETS_DIR}/mongodb_uri connects as root, as made before the app's own user: "
            "docs/deploying.md says how to move to a least-privilege one."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
