"""hooks/pre_gen_project.py: each check, unit by unit, and the hook as cookiecutter renders it."""

import ast
import json
import re
import subprocess
import sys

import pytest
from cookiecutter.environment import StrictEnvironment

from hooks import pre_gen_project as hook
from tests.conftest import COOKIECUTTER_JSON, ORM_CHOICES, TEMPLATE_DIR

HOOK_FILE = TEMPLATE_DIR / "hooks" / "pre_gen_project.py"

VALID_ANSWERS = {
    "project_name": "My Auth API",
    "project_slug": "my_auth_api",
    "site_name": "My Auth API",
    "domain_name": "example.com",
    "frontend_url": "https://example.com",
    "from_email": "noreply@example.com",
    "auth_token_ttl_hours": "168",
    "verify_link_ttl_hours": "24",
    "reset_link_ttl_minutes": "60",
    "orm": "django-mongodb-backend",
}


def refusal(check, *args) -> str:
    """Run ``check`` expecting a refusal; return its one-line message."""
    with pytest.raises(hook.AnswerError) as excinfo:
        check(*args)
    message = str(excinfo.value)
    assert "\n" not in message and "\r" not in message
    return message


@pytest.mark.parametrize(
    "slug", ["my_auth_api", "api", "Shop2", "a", "billing_v2", "x" * hook.MAX_SLUG_LENGTH]
)
def test_slug_accepts_plain_identifiers(slug):
    hook.check_slug(slug)


@pytest.mark.parametrize(
    "slug",
    [
        pytest.param("my-api", id="hyphen"),
        pytest.param("my api", id="space"),
        pytest.param("2fast", id="leading-digit"),
        pytest.param("_private", id="leading-underscore"),
        pytest.param("trailing_", id="trailing-underscore"),
        pytest.param("", id="empty"),
        pytest.param("café", id="non-ascii"),
        pytest.param("a/b", id="path"),
        pytest.param("../up", id="parent-path"),
        pytest.param("class", id="keyword"),
        pytest.param("x" * (hook.MAX_SLUG_LENGTH + 1), id="too-long"),
    ],
)
def test_slug_refuses_what_is_not_a_package_name(slug):
    assert "project_slug" in refusal(hook.check_slug, slug)


@pytest.mark.parametrize(
    "slug",
    [
        "django",
        "Django",
        "config",
        "accounts",
        "devdb",
        "tests",
        "test",
        "pymongo",
        "bson",
        "gunicorn",
        "secantus",
        "mongo_migrations",
        "djongo",
        "json",
        "email",
        "site",
        "secrets",
    ],
)
def test_slug_refuses_names_the_project_imports(slug):
    assert "clashes with a module" in refusal(hook.check_slug, slug)


@pytest.mark.parametrize(
    "domain",
    [
        "example.com",
        "api.example.co.uk",
        "my-site.example",
        "xn--bcher-kva.example",
        "localhost",
        "EXAMPLE.COM",
    ],
)
def test_domain_accepts_dns_names(domain):
    hook.check_domain(domain)


@pytest.mark.parametrize(
    "domain",
    [
        pytest.param("example", id="single-label"),
        pytest.param("exa mple.com", id="space"),
        pytest.param("-bad.example.com", id="leading-hyphen"),
        pytest.param("bad-.example.com", id="trailing-hyphen"),
        pytest.param("example..com", id="empty-label"),
        pytest.param("example.com.", id="trailing-dot"),
        pytest.param("example.com/", id="slash"),
        pytest.param("https://example.com", id="url"),
        pytest.param("example.com:8000", id="port"),
        pytest.param("1.2.3.4", id="ip-address"),
        pytest.param("bücher.example", id="unicode"),
        pytest.param("a" * 64 + ".com", id="label-too-long"),
        pytest.param("", id="empty"),
    ],
)
def test_domain_refuses_malformed_names(domain):
    assert "domain_name" in refusal(hook.check_domain, domain)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com",
        "https://example.com/",
        "http://localhost:3000",
        "https://app.example.com/portal/",
        "http://127.0.0.1:8080",
        "http://[::1]:3000/x",
        "https://example.com:8443/a/b_c-d~e.f",
        "https://example.com/caf%C3%A9",
    ],
)
def test_frontend_url_accepts_http_and_https_origins_with_paths(url):
    hook.check_frontend_url(url)


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("ftp://example.com", id="ftp"),
        pytest.param("javascript:alert(1)", id="javascript"),
        pytest.param("example.com", id="no-scheme"),
        pytest.param("https://", id="no-host"),
        pytest.param("https:///path", id="empty-host"),
        pytest.param("https://user:pw@example.com", id="credentials"),
        pytest.param("https://example.com/?next=/", id="query"),
        pytest.param("https://example.com/#top", id="fragment"),
        pytest.param("https://example.com:99999", id="bad-port"),
        pytest.param("https://example.com: 80", id="space-in-port"),
        pytest.param("https://exa mple.com", id="space-in-host"),
        pytest.param("https://example.com/a b", id="space-in-path"),
        pytest.param('https://example.com/"onmouseover="x', id="quote"),
        pytest.param("https://example.com\\@evil.test", id="backslash"),
        pytest.param("https://bad_host.example", id="underscore-host"),
        pytest.param("https://exämple.com", id="unicode-host"),
        pytest.param("https://[example.com]", id="brackets-around-a-name"),
        pytest.param("http://[::1", id="unbalanced-bracket"),
        pytest.param("https://example.com:", id="empty-port"),
        pytest.param("https://example.com/%zz", id="bad-percent-escape"),
    ],
)
def test_frontend_url_refuses_everything_else(url):
    assert "frontend_url" in refusal(hook.check_frontend_url, url)


@pytest.mark.parametrize(
    "email", ["noreply@example.com", "first.last+tag@mail.example.co.uk", "a_b-c%d@localhost"]
)
def test_email_accepts_plain_addresses(email):
    hook.check_email(email)


@pytest.mark.parametrize(
    "email",
    [
        pytest.param("noreply", id="no-at"),
        pytest.param("noreply@", id="no-domain"),
        pytest.param("@example.com", id="no-local-part"),
        pytest.param("no reply@example.com", id="space"),
        pytest.param("no..reply@example.com", id="double-dot"),
        pytest.param(".noreply@example.com", id="leading-dot"),
        pytest.param("noreply@example", id="single-label-domain"),
        pytest.param("Site <noreply@example.com>", id="display-name"),
        pytest.param("a@b@example.com", id="two-ats"),
        pytest.param('"quoted"@example.com', id="quoted-local-part"),
        pytest.param("noreply@example.com\nBcc: x@evil.test", id="header-injection"),
        pytest.param("x" * 65 + "@example.com", id="local-part-too-long"),
    ],
)
def test_email_refuses_anything_but_a_plain_address(email):
    assert "from_email" in refusal(hook.check_email, email)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("auth_token_ttl_hours", "1"),
        ("auth_token_ttl_hours", "8760"),
        ("verify_link_ttl_hours", "720"),
        ("reset_link_ttl_minutes", "1440"),
        ("reset_link_ttl_minutes", 30),
    ],
)
def test_ttl_accepts_whole_numbers_up_to_the_cap(key, value):
    hook.check_ttl(key, value)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        pytest.param("auth_token_ttl_hours", "0", id="zero"),
        pytest.param("auth_token_ttl_hours", "-1", id="negative"),
        pytest.param("auth_token_ttl_hours", "1.5", id="fraction"),
        pytest.param("auth_token_ttl_hours", "1e3", id="exponent"),
        pytest.param("auth_token_ttl_hours", "", id="empty"),
        pytest.param("auth_token_ttl_hours", " 24", id="padded"),
        pytest.param("auth_token_ttl_hours", "٣", id="non-ascii-digit"),
        pytest.param("auth_token_ttl_hours", "abc", id="word"),
        pytest.param("auth_token_ttl_hours", True, id="boolean"),
        pytest.param("auth_token_ttl_hours", "8761", id="token-over-a-year"),
        pytest.param("verify_link_ttl_hours", "721", id="verify-over-30-days"),
        pytest.param("reset_link_ttl_minutes", "1441", id="reset-over-a-day"),
        pytest.param("reset_link_ttl_minutes", "9" * 40, id="huge"),
    ],
)
def test_ttl_refuses_non_positive_non_integer_or_absurd_values(key, value):
    assert key in refusal(hook.check_ttl, key, value)


@pytest.mark.parametrize(
    "name",
    ["My Auth API", 'Bob\'s "Shop" {{ x }} \\N{y}', "Café ☕ 東京", "x" * hook.MAX_NAME_LENGTH],
)
def test_names_accept_any_printable_text(name):
    hook.check_name("site_name", name)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("", id="empty"),
        pytest.param("   ", id="blank"),
        pytest.param(" padded", id="leading-space"),
        pytest.param("two\nlines", id="newline"),
        pytest.param("carriage\rreturn", id="carriage-return"),
        pytest.param("tab\there", id="tab"),
        pytest.param("escape\x1b[31m", id="ansi-escape"),
        pytest.param("nul\x00", id="nul"),
        pytest.param("bidi\u202eevil", id="bidi-override"),
        pytest.param("zero\u200bwidth", id="zero-width-space"),
        pytest.param("line\u2028separator", id="line-separator"),
        pytest.param("x" * (hook.MAX_NAME_LENGTH + 1), id="too-long"),
    ],
)
def test_names_refuse_blank_multiline_or_invisible_characters(name):
    assert "site_name" in refusal(hook.check_name, "site_name", name)


def test_orm_accepts_both_choices_and_refuses_others():
    hook.check_orm("django-mongodb-backend")
    hook.check_orm("djongo")
    assert "orm" in refusal(hook.check_orm, "sqlalchemy")


def test_the_hook_knows_every_orm_choice_of_cookiecutter_json():
    assert tuple(ORM_CHOICES) == hook.ORM_CHOICES


def test_the_hook_checks_every_answer_of_cookiecutter_json():
    answers = {key for key in COOKIECUTTER_JSON if not key.startswith("_")}
    assert answers == set(VALID_ANSWERS)
    hook.check_answers(VALID_ANSWERS)
    for key in answers:
        with pytest.raises(hook.AnswerError, match=key):
            hook.check_answers({**VALID_ANSWERS, key: "\n"})


def test_main_prints_one_line_and_returns_1_on_the_first_bad_answer(capsys):
    answers = {**VALID_ANSWERS, "domain_name": "bad domain", "from_email": "bad"}
    assert hook.main(json.dumps(answers)) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: domain_name ")


def test_main_returns_0_and_stays_quiet_for_good_answers(capsys):
    assert hook.main(json.dumps(VALID_ANSWERS)) == 0
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize("name", ["pre_gen_project.py", "post_gen_project.py"])
def test_each_hook_holds_exactly_one_template_expression(name):
    source = (TEMPLATE_DIR / "hooks" / name).read_text(encoding="utf-8")
    assert re.findall(r"\{[{%#]", source) == ["{{"]
    assert "r'''{{ cookiecutter | tojson }}'''" in source


HOSTILE_VALUES = [
    # Each would create ./PWNED if it broke out of the string the hook reads answers from.
    pytest.param(
        "x''' + str(__import__('pathlib').Path('PWNED').touch()) + r'''", id="triple-single-quotes"
    ),
    pytest.param(
        'x""" + str(__import__("pathlib").Path("PWNED").touch()) + r"""', id="triple-double-quotes"
    ),
    pytest.param("x\\'''\\", id="backslash-quote"),
    pytest.param("{{ cookiecutter }}{% if 1 %}{# c #}", id="jinja-syntax"),
    pytest.param("line\nbreak\r\u2028\x00", id="control-characters"),
    pytest.param("</script><!-- & é ☕ \\u0027", id="html-and-escapes"),
]


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_the_rendered_hook_reads_a_hostile_answer_verbatim(tmp_path, value):
    """Render the hook as cookiecutter does; the answer must reach main() as data, unchanged."""
    context = {"cookiecutter": {**VALID_ANSWERS, "site_name": value}}
    rendered = (
        StrictEnvironment(context=context)
        .from_string(HOOK_FILE.read_text(encoding="utf-8"))
        .render(**context)
    )
    tree = ast.parse(rendered)
    main_call = tree.body[-1].body[0].value.args[0]  # sys.exit(main(r'''...'''))
    assert json.loads(main_call.args[0].value)["site_name"] == value
    # And run it: a hostile site name is refused or accepted, never executed.
    script = tmp_path / "hook.py"
    script.write_text(rendered, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert not (tmp_path / "PWNED").exists()
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr, result.stderr
    assert result.stdout == ""
