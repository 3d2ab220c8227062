"""The generated docs' "Your first endpoint" (docs/writing-endpoints.md), walked on a fresh bake.

A developer's first hour: `make app name=notes`, the page's files as written, migrations
made and applied on the embedded server, then the project's `make test` and `make lint`.
The bake's `.env` holds settings that used to leak into the tests; they must not.
"""

import re

import pytest

from tests.conftest import BAKEABLE_ORMS, run, tail

pytestmark = pytest.mark.slow

ORMS = [
    pytest.param(orm, id=f"orm={orm}", marks=pytest.mark.xdist_group(orm)) for orm in BAKEABLE_ORMS
]
# A code block of the page that is a whole file: ```python title="notes/views.py"
FILE_BLOCK = re.compile(r'^```python title="([^"]+)"\n(.*?)^```$', re.MULTILINE | re.DOTALL)
# What a developer's .env may hold (and `export` lines, as a shell would source it).
DEVELOPER_ENV = "AUTH_THROTTLE_ENABLED=0\nexport AUTH_PASSWORD_MIN_LENGTH=10\n"


def walk_section(project) -> str:
    page = (project / "docs" / "writing-endpoints.md").read_text(encoding="utf-8")
    return page.split("\n## Your first endpoint\n", 1)[1].split("\n## ", 1)[0]


def docs_walk(project) -> dict[str, str]:
    """Return the files the page's "Your first endpoint" section writes, by path."""
    return dict(FILE_BLOCK.findall(walk_section(project)))


def find_test_module(project, name: str) -> str:
    """Return the path of the one test module called ``name``, wherever tests/ keeps it."""
    (found,) = (project / "tests").rglob(name)
    return found.relative_to(project).as_posix()


@pytest.mark.parametrize("orm", ORMS)
def test_the_docs_first_endpoint_walk_passes_make_test_and_make_lint(bake, project_venv, orm):
    project = bake(orm=orm)
    venv = project_venv(orm)
    env = {"DEVDB_PORT": "0"}  # never the default port a developer's `make run` may hold
    with (project / ".env").open("a", encoding="utf-8") as dotenv:
        dotenv.write(DEVELOPER_ENV)

    result = run(["make", "app", "name=notes", f"VENV={venv}"], cwd=project, **env)
    assert result.returncode == 0, tail(result)
    assert (project / "notes" / "migrations" / "__init__.py").is_file()
    settings = (project / "config" / "settings.py").read_text(encoding="utf-8")
    assert '    "notes",\n' in settings and '    "notes.openapi",\n' in settings
    assert (project / "notes" / "openapi.py").is_file()

    files = docs_walk(project)
    assert set(files) == {
        "notes/models.py",
        "notes/views.py",
        "notes/urls.py",
        "notes/openapi.py",
        "tests/test_notes.py",
    }
    for path, text in files.items():
        (project / path).write_text(text, encoding="utf-8")
    urls = project / "config" / "urls.py"
    auth_route = '    path("api/auth/", include("accounts.urls")),\n'
    text = urls.read_text(encoding="utf-8")
    assert auth_route in text
    urls.write_text(
        text.replace(auth_route, auth_route + '    path("api/notes/", include("notes.urls")),\n'),
        encoding="utf-8",
    )

    result = run(["make", "migrations", f"VENV={venv}"], cwd=project, **env)
    assert result.returncode == 0, tail(result)
    migration = (project / "notes" / "migrations" / "0001_initial.py").read_text(encoding="utf-8")
    key = "ObjectIdAutoField" if orm == "django-mongodb-backend" else "models.AutoField"
    assert key in migration and "BigAutoField" not in migration
    result = run(["make", "migrate", f"VENV={venv}"], cwd=project, **env)
    assert result.returncode == 0, tail(result)
    assert "Applying notes.0001_initial... OK" in result.stdout

    # The notes tests, the suites the .env above used to break (throttles, passwords), and the
    # description's: /api/notes is described, and keeps its contract on a live server.
    suites = " ".join(
        find_test_module(project, name)
        for name in (
            "test_notes.py",
            "test_throttling.py",
            "test_passwords.py",
            "test_openapi.py",
            "test_contract.py",
        )
    )
    result = run(
        ["make", "test", f"VENV={venv}", f"PYTEST_ARGS=-p no:cacheprovider {suites}"],
        cwd=project,
        **env,
    )
    assert result.returncode == 0, tail(result)
    assert " failed" not in result.stdout

    result = run(["make", "lint", f"VENV={venv}"], cwd=project)
    assert result.returncode == 0, tail(result)
