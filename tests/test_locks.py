"""Each variant's dependency locks match its pyproject.toml: `make locks` refreshes them."""

import re
import shutil

import pytest

from tests.conftest import BAKEABLE_ORMS, PROJECT_TEMPLATE
from tests.locks import lock_problems, template_lock_paths

ORMS = [pytest.param(orm, id=f"orm={orm}") for orm in BAKEABLE_ORMS]
REFRESH = "edit pyproject.toml? run `make locks` at the template's root"


@pytest.mark.parametrize("orm", ORMS)
def test_every_lock_of_the_bake_matches_its_pyproject(baked_project, orm):
    assert lock_problems(baked_project(orm)) == [], REFRESH


@pytest.mark.parametrize("orm", ORMS)
def test_each_variant_gets_its_own_locks_and_no_other(baked_project, orm):
    project = baked_project(orm)
    baked = {p.relative_to(project).as_posix() for p in (project / "requirements").glob("*.lock")}
    assert baked == set(template_lock_paths(orm))
    expected = {"requirements/dev.lock", "requirements/prod.lock", "requirements/bootstrap.lock"}
    assert expected <= baked
    assert ("requirements/devdb.lock" in baked) == (orm == "djongo")


def test_every_lock_the_template_keeps_lands_in_some_bake():
    kept = {
        p.relative_to(PROJECT_TEMPLATE).as_posix()
        for p in (PROJECT_TEMPLATE / "requirements").glob("*.lock")
    }
    used = {source for orm in BAKEABLE_ORMS for source in template_lock_paths(orm).values()}
    assert kept == used


@pytest.fixture
def drifted(baked_project, tmp_path):
    """A copy of the default bake whose pyproject.toml can be edited."""
    copy = tmp_path / "project"
    shutil.copytree(baked_project(BAKEABLE_ORMS[0]), copy, ignore=shutil.ignore_patterns(".venv"))
    return copy


def edit_pyproject(project, old: str, new: str) -> None:
    path = project / "pyproject.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_new_dependency_missing_from_the_lock_is_caught(drifted):
    edit_pyproject(drifted, '"gunicorn>=23,<24",', '"gunicorn>=23,<24",\n    "python-slugify>=8",')
    problems = lock_problems(drifted)
    assert any(
        "dev.lock: python-slugify>=8 is asked for, the lock pins nothing" in p for p in problems
    )
    assert any("prod.lock: python-slugify>=8" in p for p in problems)


def test_a_new_dev_extra_missing_from_the_lock_is_caught(drifted):
    edit_pyproject(drifted, '"pytest>=8",', '"pytest>=8",\n    "pytest-randomly>=3.15",')
    problems = lock_problems(drifted)
    assert any("dev.lock: pytest-randomly>=3.15" in p for p in problems)
    assert not any(p.startswith("prod.lock") for p in problems)


def test_a_range_the_pin_falls_out_of_is_caught(drifted):
    edit_pyproject(drifted, '"gunicorn>=23,<24"', '"gunicorn>=24"')
    problems = lock_problems(drifted)
    assert any(re.search(r"gunicorn>=24 is asked for, the lock pins 23\.", p) for p in problems)


def test_a_dropped_dependency_still_pinned_is_caught(drifted):
    edit_pyproject(drifted, '"gunicorn>=23,<24",', "")
    problems = lock_problems(drifted)
    assert "dev.lock: pins gunicorn for the project, which no longer asks for it" in problems


def test_a_pin_without_hashes_is_caught(drifted):
    lock = drifted / "requirements" / "prod.lock"
    text = lock.read_text(encoding="utf-8")
    lock.write_text(re.sub(r"(?m)^(gunicorn==\S+) \\\n(    --hash=\S+( \\)?\n)+", r"\1\n", text))
    assert "prod.lock: gunicorn has no hash" in lock_problems(drifted)
