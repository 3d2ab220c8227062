"""The READMEs start with the commands that work, and document every prompt and variable."""

import re

import pytest

from tests.conftest import BAKEABLE_ORMS, COOKIECUTTER_JSON, DEFAULT_SLUG, TEMPLATE_DIR

# How the project reads its environment: env_str("X", ...), os.environ.get("X"), ...
ENV_READ = re.compile(
    r"""(?:env_(?:str|int|bool|list|secret)|environ\.get|getenv)\(\s*["']([A-Z][A-Z0-9_]+)["']"""
)


def first_code_block(markdown: str) -> list[str]:
    """Return the lines of the first fenced code block."""
    match = re.search(r"^```\w*\n(.*?)^```", markdown, re.MULTILINE | re.DOTALL)
    assert match, "no code block"
    return match.group(1).splitlines()


def table_first_cells(markdown: str) -> set[str]:
    """Return the first cell of every Markdown table row, backticks removed."""
    return {
        line.split("|")[1].strip().strip("`").split("`")[0]
        for line in markdown.splitlines()
        if line.startswith("| ") and not line.startswith("| ---")
    }


@pytest.fixture
def project(baked_project):
    return baked_project(BAKEABLE_ORMS[0])


def test_the_generated_readme_starts_with_make_run_and_make_test(project):
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# My Auth API\n\n```")
    commands = [line.split("#")[0].split() for line in first_code_block(readme)]
    assert commands == [["make", "run"], ["make", "test"]]
    assert all("#" in line for line in first_code_block(readme)), "one sentence each"


def test_the_generated_readme_documents_every_variable_the_project_reads(project):
    read = set()
    for source in project.rglob("*.py"):
        if "tests" not in source.relative_to(project).parts:
            read |= set(ENV_READ.findall(source.read_text(encoding="utf-8")))
    assert {"MONGODB_URI", "DJANGO_SECRET_KEY", "DEVDB_PORT", "AUTH_TOKEN_TTL"} <= read
    documented = table_first_cells((project / "README.md").read_text(encoding="utf-8"))
    assert read - documented == set(), "variables missing from the README's table"


def test_the_generated_readme_keeps_the_auth_api_section_and_the_licence_note(project):
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert "\n## The auth API\n" in readme
    assert "GPL-2.0" in readme and "development and test dependency only" in readme
    assert f"mongodb+srv://USER:PASSWORD@cluster0.abcde.mongodb.net/{DEFAULT_SLUG}" in readme


def test_the_generated_readme_names_the_makefile_targets_it_mentions(project):
    readme = (project / "README.md").read_text(encoding="utf-8")
    makefile = (project / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][\w-]*):", makefile, re.MULTILINE))
    mentioned = set(re.findall(r"`make (\w+)", readme))
    assert {"run", "test", "install", "lint"} <= mentioned <= targets


def test_the_template_readme_starts_with_make_demo_and_make_test():
    readme = (TEMPLATE_DIR / "README.md").read_text(encoding="utf-8")
    commands = [line.split("#")[0].split() for line in first_code_block(readme)]
    assert commands == [["make", "demo"], ["make", "test"]]
    makefile = (TEMPLATE_DIR / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^demo:", makefile, re.MULTILINE) and re.search(r"^test:", makefile, re.M)


def test_the_template_readme_lists_every_prompt_and_choice():
    readme = (TEMPLATE_DIR / "README.md").read_text(encoding="utf-8")
    prompts = {key for key in COOKIECUTTER_JSON if not key.startswith("_")}
    cells = table_first_cells(readme)
    assert prompts <= cells
    assert set(COOKIECUTTER_JSON["orm"]) <= cells
    assert set(COOKIECUTTER_JSON["__prompts__"]) == prompts, "a prompt without help text"


def test_ci_run_runs_the_readme_command():
    script = (TEMPLATE_DIR / ".ci" / "run").read_text(encoding="utf-8")
    assert script.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in script and "make test" in script
