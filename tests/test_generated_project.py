"""The generated project's own `make test` passes, on its embedded server and on MONGODB_URI."""

import pytest

from tests.conftest import BAKEABLE_ORMS, EXTRAS_BY_ORM, run, tail

pytestmark = pytest.mark.slow

# One xdist group per ORM: its tests share one worker, and so one install of its venv.
ORMS = [
    pytest.param(orm, id=f"orm={orm}", marks=pytest.mark.xdist_group(orm)) for orm in BAKEABLE_ORMS
]


def make_test(project, venv, **env):
    """Run the project's `make test` in the shared venv; return the completed process."""
    return run(
        ["make", "test", f"VENV={venv}", "PYTEST_ARGS=-p no:cacheprovider"], cwd=project, **env
    )


@pytest.mark.parametrize("orm", ORMS)
def test_make_test_passes_on_the_embedded_server(installed_project, orm):
    project, venv = installed_project(orm)
    # The template's CI digs deeper with the fuzz and contract tests than a developer's
    # `make test` does.
    result = make_test(project, venv, HYPOTHESIS_PROFILE="thorough")
    assert result.returncode == 0, tail(result)
    assert "database: embedded SecantusDB at mongodb://127.0.0.1:" in result.stdout
    assert " passed" in result.stdout and " failed" not in result.stdout
    if "drf" in EXTRAS_BY_ORM.get(orm, ""):  # the adapters' tests ran, not skipped
        skipped = [line for line in result.stdout.splitlines() if line.startswith("SKIPPED")]
        assert not [line for line in skipped if "test_integrations" in line], skipped


@pytest.mark.parametrize("orm", ORMS)
def test_make_test_passes_against_mongodb_uri(installed_project, external_mongodb, orm):
    project, venv = installed_project(orm)
    result = make_test(project, venv, MONGODB_URI=external_mongodb(orm))
    assert result.returncode == 0, tail(result)
    assert "database: MONGODB_URI from the environment" in result.stdout
    assert "embedded SecantusDB" not in result.stdout
    assert " passed" in result.stdout and " failed" not in result.stdout
