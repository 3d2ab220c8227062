"""Bad answers through cookiecutter's CLI: exit 1, one line saying why, nothing written."""

import pytest

from tests.conftest import cookiecutter_cli, literal

# id -> (answers, a fragment of the one-line message)
REFUSED = {
    "slug=hyphen": ({"project_slug": "my-api"}, "project_slug"),
    "slug=keyword": ({"project_slug": "class"}, "project_slug"),
    "slug=django": ({"project_slug": "django"}, "clashes with a module"),
    "slug=config": ({"project_slug": "config"}, "clashes with a module"),
    "slug=stdlib-json": ({"project_slug": "json"}, "clashes with a module"),
    "slug=derived-from-name": ({"project_name": "My-API 2.0!"}, "project_slug"),
    "slug=nested-path": ({"project_slug": "outer/inner"}, "project_slug"),
    "slug=parent-path": ({"project_slug": "../escaped"}, "project_slug"),
    "domain=no-dot": ({"domain_name": "example"}, "domain_name"),
    "domain=url": ({"domain_name": "https://example.com"}, "domain_name"),
    "frontend_url=ftp": ({"frontend_url": "ftp://example.com"}, "frontend_url"),
    "frontend_url=credentials": ({"frontend_url": "https://u:p@example.com"}, "frontend_url"),
    "frontend_url=query": ({"frontend_url": "https://example.com/?a=1"}, "frontend_url"),
    "from_email=no-at": ({"from_email": "noreply.example.com"}, "from_email"),
    "token_ttl=zero": ({"auth_token_ttl_hours": "0"}, "auth_token_ttl_hours"),
    "token_ttl=over-a-year": ({"auth_token_ttl_hours": "9000"}, "auth_token_ttl_hours"),
    "verify_ttl=word": ({"verify_link_ttl_hours": "soon"}, "verify_link_ttl_hours"),
    "reset_ttl=fraction": ({"reset_link_ttl_minutes": "7.5"}, "reset_link_ttl_minutes"),
    "site_name=newline": ({"site_name": "Two\nLines"}, "site_name"),
    "project_name=escape-sequence": (
        {"project_name": "Evil\x1b[2J", "project_slug": "evil"},
        "project_name",
    ),
    # Would create ./PWNED in the output directory if the answer escaped the hook's string.
    "hostile=code-in-domain": (
        {"domain_name": "x.com''' + str(__import__('pathlib').Path('../PWNED').touch()) + r'''"},
        "domain_name",
    ),
    "hostile=jinja-in-slug": ({"project_slug": literal("{{ cookiecutter }}")}, "project_slug"),
    "hostile=quotes-in-email": ({"from_email": literal("a\"\"\"'''\\@example.com")}, "from_email"),
}


@pytest.mark.parametrize(("answers", "fragment"), REFUSED.values(), ids=REFUSED.keys())
def test_a_bad_answer_stops_the_bake_with_one_line_and_writes_nothing(tmp_path, answers, fragment):
    out = tmp_path / "out"
    out.mkdir()
    result = cookiecutter_cli(out, **answers)

    assert result.returncode == 1
    # The hook's stderr; cookiecutter reports the failed hook on stdout.
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and fragment in lines[0]
    assert not (tmp_path / "PWNED").exists() and not (out / "PWNED").exists()

    leftovers = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    if "/" in answers.get("project_slug", "") and ".." not in answers["project_slug"]:
        # Cookiecutter creates the project directory (and so its parents) before any hook
        # runs, then removes only the project directory: the empty parent is all that stays.
        assert leftovers == ["out", "out/outer"]
    else:
        assert leftovers == ["out"]
