"""Finish a baked project: keep the files of the options chosen, write its secret keys.

Cookiecutter renders this file with Jinja and runs it inside the new project;
the one ``tojson`` expression at the bottom is the only template code (see
pre_gen_project.py for why it is safe). Offline, and importable for tests.
"""

import json
import os
import secrets
import shutil
import sys
from pathlib import Path

# answer -> chosen value -> paths (relative to the project) that only the other
# values need.
REMOVE_UNLESS_CHOSEN = {
    "orm": {
        "django-mongodb-backend": [
            "config/database_djongo.py",
            "accounts/store_djongo.py",
            "tests/test_database_djongo.py",
            "requirements/dev_djongo.lock",
            "requirements/prod_djongo.lock",
            "requirements/devdb.in",
            "requirements/devdb.lock",
        ],
        # DRF and django-ninja need Django 4.2+: djongo's variant locks no extra but dev.
        "djongo": ["mongo_migrations", "config/apps.py", "requirements/extras.lock"],
    },
}

# answer -> chosen value -> {path: replacement}: the backend-specific files of a
# variant take the place of the default's, so the rest of the code imports one name.
REPLACE_WHEN_CHOSEN = {
    "orm": {
        "django-mongodb-backend": {},
        "djongo": {
            "config/database.py": "config/database_djongo.py",
            "accounts/store.py": "accounts/store_djongo.py",
            # Each variant's own lock of its dependencies (see `make lock`).
            "requirements/dev.lock": "requirements/dev_djongo.lock",
            "requirements/prod.lock": "requirements/prod_djongo.lock",
        },
    },
}

KEY_VARIABLE = "DJANGO_SECRET_KEY"
# Every secret .env gets at bake time: Django's key and the key that seals TOTP secrets.
SECRET_VARIABLES = (KEY_VARIABLE, "AUTH_MFA_KEY")


def paths_to_remove(answers: dict, table: dict | None = None) -> list[str]:
    """List the paths the chosen answers do not need, in table order."""
    paths = []
    for key, by_value in (REMOVE_UNLESS_CHOSEN if table is None else table).items():
        chosen = answers[key]
        if chosen not in by_value:
            raise ValueError(f"no removal entry for {key}={chosen!r}")
        paths.extend(by_value[chosen])
    return paths


def replacements(answers: dict, table: dict | None = None) -> dict[str, str]:
    """Map each path to the file that replaces it for the chosen answers."""
    chosen = {}
    for key, by_value in (REPLACE_WHEN_CHOSEN if table is None else table).items():
        if answers[key] not in by_value:
            raise ValueError(f"no replacement entry for {key}={answers[key]!r}")
        chosen.update(by_value[answers[key]])
    return chosen


def replace_paths(project_dir: Path, table: dict[str, str]) -> None:
    """Move each replacement over the file it replaces; a missing source raises."""
    for target, source in table.items():
        (project_dir / source).replace(project_dir / target)


def remove_paths(project_dir: Path, paths: list[str]) -> None:
    """Delete each path (file or directory) under ``project_dir``.

    A listed path that does not exist is a mistake in the table, so it raises
    rather than passing silently.
    """
    for relative in paths:
        target = project_dir / relative
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        else:
            target.unlink()


def write_secret_key(env_file: Path, variable: str = KEY_VARIABLE) -> bool:
    """Add a fresh ``variable`` (``DJANGO_SECRET_KEY``) to ``env_file`` unless it has one.

    Tell whether it was written. ``.env`` is git-ignored by the project, so the
    key never lands in a tracked file, and an existing key (a re-bake over a
    project) is kept.
    """
    existing = env_file.read_text(encoding="utf-8") if env_file.exists() else ""
    if any(line.strip().startswith(f"{variable}=") for line in existing.splitlines()):
        return False
    separator = "\n" if existing and not existing.endswith("\n") else ""
    # Created readable by its owner only: it holds a secret. An existing file keeps its mode.
    fd = os.open(env_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as env:
        env.write(f"{separator}{variable}={secrets.token_urlsafe(50)}\n")
    return True


def main(rendered_answers: str, project_dir: Path) -> int:
    """Finish the project in ``project_dir`` from the answers rendered as JSON."""
    answers = json.loads(rendered_answers)
    replace_paths(project_dir, replacements(answers))
    remove_paths(project_dir, paths_to_remove(answers))
    for variable in SECRET_VARIABLES:
        write_secret_key(project_dir / ".env", variable)
    return 0


if __name__ == "__main__":
    # Three single quotes on purpose (see pre_gen_project.py): the formatter would make them double.
    sys.exit(main(r'''{{ cookiecutter | tojson }}''', Path.cwd()))  # fmt: skip
