"""The READMEs start with the commands that work; the docs document every prompt and variable.

A generated project's README is a front page; its documentation is docs/, one Markdown page per
topic, built as a site by `make docs` (MkDocs, --strict) from mkdocs.yml's nav.
"""

import ast
import re

import pytest
import yaml

from tests.conftest import BAKEABLE_ORMS, COOKIECUTTER_JSON, DEFAULT_SLUG, TEMPLATE_DIR, run, tail

# How the project reads its environment: env_str("X", ...), os.environ.get("X"), ...
ENV_READ = re.compile(
    r"""(?:env_(?:str|int|bool|list|secret)|environ\.get|getenv)\(\s*["']([A-Z][A-Z0-9_]+)["']"""
)
# A path of the project named in the docs: `accounts/sessions/tokens.py`, `tests/mail/`.
NAMED_PATH = re.compile(r"`((?:accounts|config|tests|devdb|bench|requirements)/[\w./-]*)`")
# Named only as examples of what a developer writes: the walks' app and their tests.
WRITTEN_BY_THE_READER = {"tests/test_notes.py", "tests/test_display_name.py"}
# A module imported by a code block of the docs: `from accounts.lifecycle import flows`.
IMPORTED = re.compile(r"^from ((?:accounts|config)(?:\.\w+)*) import (\w+)", re.MULTILINE)
ORMS = [pytest.param(orm, id=f"orm={orm}") for orm in BAKEABLE_ORMS]
# The slow ones: one xdist group per ORM, so they share that ORM's worker and virtualenv.
GROUPED_ORMS = [
    pytest.param(orm, id=f"orm={orm}", marks=pytest.mark.xdist_group(orm)) for orm in BAKEABLE_ORMS
]


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


def table_after(markdown: str, heading: str) -> list[str]:
    """Return the rows of the first table after ``heading``."""
    section = f"\n{markdown}".split(f"\n{heading}\n", 1)[1]
    rows = []
    for line in section.splitlines():
        if line.startswith("|"):
            rows.append(line)
        elif rows:
            break
    return rows


def read(project, relative: str) -> str:
    return (project / relative).read_text(encoding="utf-8")


def docs_pages(project) -> dict[str, str]:
    """Return every page of docs/, by file name."""
    return {
        page.name: page.read_text(encoding="utf-8")
        for page in sorted((project / "docs").glob("*.md"))
    }


def nav_pages(nav) -> list[str]:
    """Return the pages of an mkdocs.yml nav, in order, sections flattened."""
    pages = []
    for entry in nav:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        pages.extend(nav_pages(value) if isinstance(value, list) else [value])
    return pages


@pytest.fixture
def project(baked_project):
    return baked_project(BAKEABLE_ORMS[0])


def test_the_generated_readme_starts_with_make_run_and_make_test(project):
    readme = read(project, "README.md")
    assert readme.startswith("# My Auth API\n\n```")
    commands = [line.split("#")[0].split() for line in first_code_block(readme)]
    assert commands == [["make", "run"], ["make", "test"]]
    assert all("#" in line for line in first_code_block(readme)), "one sentence each"


def test_the_configuration_page_documents_every_variable_the_project_reads(project):
    read_variables = set()
    for source in project.rglob("*.py"):
        if "tests" not in source.relative_to(project).parts:
            read_variables |= set(ENV_READ.findall(source.read_text(encoding="utf-8")))
    assert {"MONGODB_URI", "DJANGO_SECRET_KEY", "DEVDB_PORT", "AUTH_TOKEN_TTL"} <= read_variables
    documented = table_first_cells(read(project, "docs/configuration.md"))
    assert read_variables - documented == set(), "variables missing from docs/configuration.md"


def test_the_api_page_keeps_the_endpoint_table_the_index_shows(project):
    """`GET /` in DEBUG shows docs/api.md's table under "# The auth API" (config/index.py)."""
    rows = table_after(read(project, "docs/api.md"), "# The auth API")
    assert "`POST register`" in rows[2] and len(rows) > 20


def test_the_docs_keep_the_licence_note_and_the_atlas_uri(project):
    embedded = read(project, "docs/embedded-database.md")
    assert "GPL-2.0" in embedded and "development and test dependency only" in embedded
    atlas = f"mongodb+srv://USER:PASSWORD@cluster0.abcde.mongodb.net/{DEFAULT_SLUG}"
    assert atlas in read(project, "docs/deploying.md")


def test_the_readme_and_the_docs_name_only_makefile_targets(project):
    text = read(project, "README.md") + "".join(docs_pages(project).values())
    makefile = read(project, "Makefile")
    targets = set(re.findall(r"^([a-z][\w-]*):", makefile, re.MULTILINE))
    mentioned = set(re.findall(r"`make ([\w-]+)", text))
    assert {"run", "test", "install", "lint", "docs", "docs-serve", "bench"} <= mentioned
    assert mentioned <= targets


@pytest.mark.parametrize("orm", ORMS)
def test_the_readme_is_a_front_page_that_links_every_docs_page(baked_project, orm):
    project = baked_project(orm)
    readme = read(project, "README.md")
    assert len(readme.splitlines()) < 150
    linked = set(re.findall(r"\]\(docs/([\w-]+\.md)\)", readme))
    assert linked == set(docs_pages(project)), "the README's map and docs/ differ"
    assert "`make docs`" in readme


@pytest.mark.parametrize("orm", ORMS)
def test_every_docs_page_is_in_the_nav_of_an_offline_mkdocs_site(baked_project, orm):
    project = baked_project(orm)
    config = yaml.safe_load(read(project, "mkdocs.yml"))
    pages = nav_pages(config["nav"])
    assert sorted(pages) == sorted(docs_pages(project)), "mkdocs.yml's nav and docs/ differ"
    assert len(pages) == len(set(pages))
    required = {
        "index.md", "api.md", "writing-endpoints.md", "customising.md", "security.md",
        "sessions.md", "two-factor.md", "mail.md", "throttling.md", "configuration.md",
        "deploying.md", "performance.md", "embedded-database.md", "djongo.md",
        "dependencies.md", "developer-commands.md", "testing.md", "architecture.md",
    }  # fmt: skip
    assert required <= set(pages)
    assert config["site_name"] == "My Auth API"
    # Nothing fetched at build time: no web fonts, no plugin MkDocs Material does not ship.
    assert config["theme"]["name"] == "material" and config["theme"]["font"] is False
    assert config.get("plugins", []) in ([], ["search"])
    assert config["validation"]["anchors"] == "warn", "--strict then fails on a broken #anchor"
    assert "site/" in read(project, ".gitignore").splitlines()
    assert "site" in read(project, ".dockerignore").splitlines()


def importable(project, module: str, name: str) -> bool:
    """Tell whether ``from module import name`` finds a submodule or a name the module defines."""
    base = project / module.replace(".", "/")
    if (base / f"{name}.py").is_file() or (base / name).is_dir():
        return True
    source = base.with_suffix(".py") if base.with_suffix(".py").is_file() else base / "__init__.py"
    if not source.is_file():
        return False
    return name in top_level_names(source.read_text(encoding="utf-8"))


def top_level_names(source: str) -> set[str]:
    """Return the names a module defines or imports at its top level (what imports find)."""
    names = set()
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


@pytest.mark.parametrize("orm", ORMS)
def test_the_docs_name_only_files_and_modules_the_bake_has(baked_project, orm):
    """Docs match code: every path, imported name and package module the pages name exists."""
    project = baked_project(orm)
    missing = set()
    for page, text in {"README.md": read(project, "README.md"), **docs_pages(project)}.items():
        for path in set(NAMED_PATH.findall(text)) - WRITTEN_BY_THE_READER:
            if not (project / path.rstrip("/")).exists():
                missing.add(f"{page}: {path}")
        for module, name in IMPORTED.findall(text):
            if not importable(project, module, name):
                missing.add(f"{page}: from {module} import {name}")
    # The architecture's table: each module a package's row names is in that package.
    for row in read(project, "docs/architecture.md").splitlines():
        package = re.match(r"\| `(accounts/[\w/]+/)` \|", row)
        for module in re.findall(r"`(\w+\.py)`", row) if package else ():
            if not (project / package.group(1) / module).is_file():
                missing.add(f"architecture.md: {package.group(1)}{module}")
    assert not missing, "named but absent:\n" + "\n".join(sorted(missing))


@pytest.mark.slow
@pytest.mark.parametrize("orm", GROUPED_ORMS)
def test_make_docs_builds_the_site_strictly(installed_project, orm):
    project, venv = installed_project(orm)
    result = run(["make", "docs", f"VENV={venv}"], cwd=project)
    assert result.returncode == 0, tail(result)
    assert "--strict" in result.stdout
    assert (project / "site" / "index.html").is_file()
    assert (project / "site" / "writing-endpoints" / "index.html").is_file()


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
