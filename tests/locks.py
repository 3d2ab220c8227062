"""The generated projects' dependency locks: check them against pyproject.toml, refresh them.

Each ORM variant installs from its own hashed lock (``requirements/*.lock``, written by
``uv pip compile`` through the project's ``make lock``). The template keeps one set per
variant, under the names the post-generation hook moves into place. This module

- tells what no longer matches (``lock_problems``), for the template's tests: a requirement
  of pyproject.toml that no pin satisfies, a pin that pyproject.toml no longer asks for, a pin
  without hashes, or a production lock that disagrees with the development one;
- refreshes them all (``python -m tests.locks [PACKAGE ...]``, what ``make locks`` runs): bake
  each variant, give it the template's current locks, run its ``make lock`` (which keeps every
  pin that still fits and moves the named packages to their newest release), copy them back.
"""

import json
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

TEMPLATE_DIR = Path(__file__).resolve().parent.parent
PROJECT_TEMPLATE = TEMPLATE_DIR / "{{cookiecutter.project_slug}}"
sys.path.insert(0, str(TEMPLATE_DIR))

from hooks.post_gen_project import REMOVE_UNLESS_CHOSEN, replacements  # noqa: E402

# Lock -> which extras it holds besides the project's dependencies (None: every extra).
DEV, PROD, EXTRAS = "requirements/dev.lock", "requirements/prod.lock", "requirements/extras.lock"
PROJECT_LOCKS = {EXTRAS: None, DEV: ["dev"], PROD: []}
# uv writes the project's name in its "# via" notes; the template keeps the slug's expression.
DEFAULT_NAME = "my-auth-api"
NAME_EXPRESSION = "{{ cookiecutter.project_slug | replace('_', '-') }}"

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")
# The evaluation environment of a lock's markers: the project's own interpreter, on Linux.
ENVIRONMENT = {**default_environment(), "python_version": "3.11", "python_full_version": "3.11.7"}


def read_lock(path: Path) -> tuple[dict[str, set[str]], set[str], set[str]]:
    """Return a lock's pins ({name: versions}), the names the project asks for, hashless names."""
    pins: dict[str, set[str]] = {}
    direct: set[str] = set()
    unhashed: set[str] = set()
    current = None
    has_hash = True
    for line in path.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            if current is not None and not has_hash:
                unhashed.add(current)
            current, has_hash = canonicalize_name(match[1]), False
            marker = match[3]
            if marker is None or Requirement(f"x; {marker}").marker.evaluate(ENVIRONMENT):
                pins.setdefault(current, set()).add(match[2])
        elif "--hash=sha256:" in line:
            has_hash = True
        elif "(pyproject.toml)" in line or "(requirements/" in line and ".in)" in line:
            direct.add(current)
    if current is not None and not has_hash:
        unhashed.add(current)
    return pins, direct, unhashed


def project_requirements(project: Path, extras: list[str] | None) -> list[Requirement]:
    """Return the requirements of a project's pyproject.toml and of ``extras`` (None: all)."""
    data = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = list(data.get("dependencies", []))
    for extra, requirements in data.get("optional-dependencies", {}).items():
        if extras is None or extra in extras:
            names.extend(requirements)
    return [Requirement(name) for name in names]


def input_requirements(path: Path) -> list[Requirement]:
    """Return the requirements of a requirements ``.in`` file (comments and blanks skipped)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Requirement(line.split("#")[0]) for line in lines if line.split("#")[0].strip()]


def mismatches(lock: Path, requirements: list[Requirement]) -> list[str]:
    """Say where ``lock`` no longer matches the ``requirements`` it was compiled from."""
    pins, direct, unhashed = read_lock(lock)
    problems = [f"{lock.name}: {name} has no hash" for name in sorted(unhashed)]
    wanted = set()
    for requirement in requirements:
        if requirement.marker is not None and not requirement.marker.evaluate(ENVIRONMENT):
            continue
        name = canonicalize_name(requirement.name)
        wanted.add(name)
        versions = pins.get(name, set())
        if not any(requirement.specifier.contains(v, prereleases=True) for v in versions):
            found = ", ".join(sorted(versions)) or "nothing"
            problems.append(f"{lock.name}: {requirement} is asked for, the lock pins {found}")
    for name in sorted(direct - wanted):
        problems.append(f"{lock.name}: pins {name} for the project, which no longer asks for it")
    return problems


def lock_problems(project: Path) -> list[str]:
    """Check every lock of a baked (or template) project against what it was made from."""
    problems = []
    for relative, extras in PROJECT_LOCKS.items():
        if (project / relative).exists() or relative != EXTRAS:
            problems += mismatches(project / relative, project_requirements(project, extras))
    dev, prod = read_lock(project / DEV)[0], read_lock(project / PROD)[0]
    for name, versions in sorted(prod.items()):
        if dev.get(name) != versions:
            problems.append(f"prod.lock pins {name} {versions}, dev.lock {dev.get(name)}")
    if (project / EXTRAS).exists():
        every = read_lock(project / EXTRAS)[0]
        for name, versions in sorted(dev.items()):
            if every.get(name) != versions:
                problems.append(f"dev.lock pins {name} {versions}, extras.lock {every.get(name)}")
    devdb_in = project / "requirements/devdb.in"
    if devdb_in.exists():
        problems += mismatches(project / "requirements/devdb.lock", input_requirements(devdb_in))
    return problems


def template_lock_paths(orm: str) -> dict[str, str]:
    """Map each lock of a baked ``orm`` project to the template file it comes from."""
    moved = replacements({"orm": orm})
    removed = set(REMOVE_UNLESS_CHOSEN["orm"][orm])
    locks = {}
    for path in sorted((PROJECT_TEMPLATE / "requirements").glob("*.lock")):
        relative = path.relative_to(PROJECT_TEMPLATE).as_posix()
        if relative in removed or relative in moved.values():
            continue
        locks[relative] = moved.get(relative, relative)
    return locks


def refresh(orm: str, upgrade: list[str]) -> None:
    """Bake ``orm``, run its ``make lock`` on the template's locks, and copy the result back."""
    from cookiecutter.main import cookiecutter

    with tempfile.TemporaryDirectory(prefix=f"locks-{orm}-") as scratch:
        baked = cookiecutter(
            str(TEMPLATE_DIR), no_input=True, output_dir=scratch, extra_context={"orm": orm}
        )
        project = Path(baked)
        subprocess.run(["make", "lock", f"UPGRADE={' '.join(upgrade)}"], cwd=project, check=True)
        for relative, kept in template_lock_paths(orm).items():
            text = (project / relative).read_text(encoding="utf-8")
            text = text.replace(
                f"{DEFAULT_NAME} (pyproject.toml)", f"{NAME_EXPRESSION} (pyproject.toml)"
            )
            (PROJECT_TEMPLATE / kept).write_text(text, encoding="utf-8")
            print(f"locks: {orm}: {kept}")
        problems = lock_problems(project)
        if problems:
            raise SystemExit("\n".join(problems))
        shutil.rmtree(project / ".venv", ignore_errors=True)


if __name__ == "__main__":
    choices = json.loads((TEMPLATE_DIR / "cookiecutter.json").read_text(encoding="utf-8"))["orm"]
    for choice in choices:
        refresh(choice, sys.argv[1:])
