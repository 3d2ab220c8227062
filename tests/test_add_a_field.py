"""The generated docs' "Add a field to the user" (docs/add-a-field.md), walked on a fresh bake.

The page's diff blocks applied to the model as written (the field, then its name in
`User.PROFILE_FIELDS`), its test file written, the migration made and applied on the embedded
server; then the project's suites that look at the user (its JSON, `PATCH me`, the admin, the
OpenAPI document and its contract tests on a live server, the migrations check) pass unchanged
beside the page's test, and `make lint` passes.

The whole suite with the field added passes too, but would cost CI another full run per ORM
(about three times these suites' CPU); these are the ones an extra field could break (a test of
the user's exact shape, a schema that disagrees with what PATCH me accepts), and the page's own
test PATCHes `display_name`.
"""

import re

import pytest

from tests.conftest import BAKEABLE_ORMS, run, tail

ORMS = [
    pytest.param(orm, id=f"orm={orm}", marks=pytest.mark.xdist_group(orm)) for orm in BAKEABLE_ORMS
]
# ```diff title="accounts/models/user.py": context lines, "-" lines it replaces, "+" lines.
DIFF_BLOCK = re.compile(r'^```diff title="([^"]+)"\n(.*?)^```$', re.MULTILINE | re.DOTALL)
# ```python title="tests/test_display_name.py": a whole file.
FILE_BLOCK = re.compile(r'^```python title="([^"]+)"\n(.*?)^```$', re.MULTILINE | re.DOTALL)
SUITES = [
    "tests/test_display_name.py",
    "tests/test_profile.py",
    "tests/lifecycle",
    "tests/auth/test_register.py",
    "tests/auth/test_login.py",
    "tests/admin/test_admin.py",
    "tests/docs/test_openapi.py",
    "tests/docs/test_contract.py",
    "tests/test_migrations.py",
]


def apply_diff(text: str, block: str) -> str:
    """Return ``text`` with the diff ``block`` applied: its context must be there, once."""
    lines = block.splitlines()
    before = "".join(line[1:] + "\n" for line in lines if line[:1] in " -")
    after = "".join(line[1:] + "\n" for line in lines if line[:1] in " +")
    assert text.count(before) == 1, f"the page's context is not in the file once:\n{before}"
    return text.replace(before, after)


def test_apply_diff_takes_context_and_minus_lines_out_and_plus_lines_in():
    block = "     a = 1\n+    b = 2\n-    c = [1]\n+    c = [1, 2]\n"
    applied = apply_diff("x\n    a = 1\n    c = [1]\n", block)
    assert applied == "x\n    a = 1\n    b = 2\n    c = [1, 2]\n"
    with pytest.raises(AssertionError):
        apply_diff("    a = 1\n    c = [1]\n" * 2, block)  # which one?


@pytest.mark.slow
@pytest.mark.parametrize("orm", ORMS)
def test_the_docs_add_a_field_walk_passes_make_test_and_make_lint(bake, project_venv, orm):
    project = bake(orm=orm)
    venv = project_venv(orm)
    env = {"DEVDB_PORT": "0"}  # never the default port a developer's `make run` may hold
    page = (project / "docs" / "add-a-field.md").read_text(encoding="utf-8")

    diffs = DIFF_BLOCK.findall(page)
    assert [path for path, _ in diffs] == ["accounts/models/user.py"] * 2
    model = project / "accounts" / "models" / "user.py"
    text = model.read_text(encoding="utf-8")
    for _, block in diffs:
        text = apply_diff(text, block)
    model.write_text(text, encoding="utf-8")
    assert 'PROFILE_FIELDS = ["username", "display_name"]' in text
    files = dict(FILE_BLOCK.findall(page))
    assert set(files) == {"tests/test_display_name.py"}
    for path, content in files.items():
        (project / path).write_text(content, encoding="utf-8")

    result = run(["make", "migrations", f"VENV={venv}"], cwd=project, **env)
    assert result.returncode == 0, tail(result)
    (migration,) = (project / "accounts" / "migrations").glob("*_user_display_name.py")
    assert "AddField" in migration.read_text(encoding="utf-8")
    result = run(["make", "migrate", f"VENV={venv}"], cwd=project, **env)
    assert result.returncode == 0, tail(result)
    assert f"Applying accounts.{migration.stem}... OK" in result.stdout

    result = run(
        ["make", "test", f"VENV={venv}", f"PYTEST_ARGS=-p no:cacheprovider {' '.join(SUITES)}"],
        cwd=project,
        **env,
    )
    assert result.returncode == 0, tail(result)
    assert " passed" in result.stdout and " failed" not in result.stdout

    result = run(["make", "lint", f"VENV={venv}"], cwd=project)
    assert result.returncode == 0, tail(result)
