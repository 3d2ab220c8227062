"""``make secrets``: the files docker-compose.yml mounts as Docker secrets, made once.

``secrets/django_secret_key``, ``secrets/auth_mfa_key``, ``secrets/mongo_root_password``
and ``secrets/mongodb_uri`` (the app's connection string, with that password). Docker
mounts each at ``/run/secrets/<name>``; the settings read ``DJANGO_SECRET_KEY_FILE``,
``AUTH_MFA_KEY_FILE`` and ``MONGODB_URI_FILE``, the mongo image
``MONGO_INITDB_ROOT_PASSWORD_FILE``.
Nothing is ever overwritten: MongoDB keeps the password it was first started with.
Standard library only, so plain ``python3`` runs it on a fresh server.
"""

import os
import secrets
import sys
from pathlib import Path

SECRETS_DIR = Path("secrets")
MONGO_USER = "root"


def wanted(database: str) -> dict[str, str]:
    """Return fresh contents for each secret file, by name."""
    password = secrets.token_urlsafe(32)  # URL-safe: goes into the URI as is
    uri = f"mongodb://{MONGO_USER}:{password}@mongo:27017/{database}?authSource=admin"
    return {
        "django_secret_key": secrets.token_urlsafe(50),
        "auth_mfa_key": secrets.token_urlsafe(40),  # seals TOTP secrets (accounts/totp.py)
        "mongo_root_password": password,
        "mongodb_uri": uri,
    }


def write_secrets(directory: Path, database: str) -> list[str]:
    """Write the secret files missing from ``directory``; return the names written."""
    directory.mkdir(mode=0o700, exist_ok=True)
    paired = [(directory / name).exists() for name in ("mongo_root_password", "mongodb_uri")]
    if paired[0] != paired[1]:
        raise SystemExit(
            f"make secrets: only one of mongo_root_password and mongodb_uri is in {directory}/: "
            "they hold one password; remove it too, or write the other by hand."
        )
    written = []
    for name, value in wanted(database).items():
        path = directory / name
        if path.exists():
            continue
        # 0644 inside a 0700 directory: other users of the host cannot reach it, and the
        # container's own user (uid 10001) can read the file compose mounts as is.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(value + "\n")
        written.append(name)
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not argv[0].isidentifier():
        print("usage: python -m config.deploy_secrets DATABASE_NAME", file=sys.stderr)
        return 2
    written = write_secrets(SECRETS_DIR, argv[0])
    kept = sorted(set(wanted(argv[0])) - set(written))
    print(f"{SECRETS_DIR}/: wrote {', '.join(written) or 'nothing'}; kept {', '.join(kept) or '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
