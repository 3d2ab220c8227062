"""``make app name=NAME``: a new Django app wired for this project's MongoDB backend.

Django's own ``startapp`` template gives an app ``BigAutoField`` primary keys,
which django-mongodb-backend refuses at ``migrate`` (``mongodb.E001``). This
follows MongoDB's own app template instead (``config/app_template/``): the app's
primary keys are the project's ``DEFAULT_AUTO_FIELD`` (``ObjectIdAutoField``;
``AutoField`` on djongo), it has a migrations package, it is added to
``INSTALLED_APPS``, its ``openapi.py`` (its endpoints in ``/api/openapi.json``, under a tag of
its own) to ``API_DESCRIPTIONS``, and its tests file goes under ``tests/``, where pytest looks.
"""

import keyword
import os
import re
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
APP_TEMPLATE = Path(__file__).resolve().parent / "app_template"
SETTINGS_FILE = PROJECT_DIR / "config" / "settings.py"
# A settings list: its opening line and its closing bracket at the start of a line.
SETTINGS_LIST = r"^{} = \[\n(?P<body>.*?)^\]"

TESTS_FILE = '''"""Tests of the {name} app, through Django's test client and the real database."""

from django.apps import apps


def test_the_app_is_installed():
    assert apps.is_installed("{name}")
'''

NEXT_STEPS = """created the app {name}/ (in INSTALLED_APPS, its openapi.py in API_DESCRIPTIONS)
and tests/test_{name}.py
next:
  1. models in {name}/models.py, then `make migrations` and `make migrate`
  2. views in {name}/views.py with `from accounts.api import api_view, authenticated, ...`
  3. routes in {name}/urls.py, mounted in config/urls.py:
       path("api/{name}/", include("{name}.urls")),
  4. their description in {name}/openapi.py (shown at /api/docs)
  5. `make test` and `make lint`; docs/writing-endpoints.md walks through it"""


class AppError(Exception):
    """A reason the app cannot be made, said in one line."""


def check_name(name: str) -> None:
    """Refuse names that cannot be an app of this project."""
    if not name:
        raise AppError("usage: make app name=NAME (a Python identifier, e.g. notes)")
    if not name.isidentifier() or keyword.iskeyword(name) or name != name.lower():
        raise AppError(f"{name!r} is not a lower-case Python identifier (e.g. notes)")
    if (PROJECT_DIR / name).exists():
        raise AppError(f"{name}/ already exists")


def register(name: str, settings_text: str) -> str:
    """Return ``settings_text`` with the app in ``INSTALLED_APPS`` and ``API_DESCRIPTIONS``."""
    settings_text = append_to_list("INSTALLED_APPS", name, settings_text)
    return append_to_list("API_DESCRIPTIONS", f"{name}.openapi", settings_text)


def append_to_list(setting: str, value: str, settings_text: str) -> str:
    """Return ``settings_text`` with ``value`` added at the end of the list ``setting``, once."""
    match = re.compile(SETTINGS_LIST.format(setting), re.MULTILINE | re.DOTALL).search(
        settings_text
    )
    if match is None:
        raise AppError(f"no {setting} list in {SETTINGS_FILE}: add {value!r} to it by hand")
    if re.search(rf"^\s+[\"']{re.escape(value)}[\"'],", match.group("body"), re.MULTILINE):
        return settings_text
    at = match.end("body")
    return f'{settings_text[:at]}    "{value}",\n{settings_text[at:]}'


def create_app(name: str) -> None:
    """Run Django's ``startapp`` with this project's template, register the app, add tests."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.management import CommandError, call_command

    check_name(name)
    os.chdir(PROJECT_DIR)
    django.setup()
    try:
        call_command("startapp", name, template=str(APP_TEMPLATE))
    except CommandError as exc:
        raise AppError(str(exc)) from None
    SETTINGS_FILE.write_text(register(name, SETTINGS_FILE.read_text("utf-8")), "utf-8")
    tests = PROJECT_DIR / "tests" / f"test_{name}.py"
    if not tests.exists():
        tests.write_text(TESTS_FILE.format(name=name), "utf-8")


def main(argv: list[str]) -> int:
    name = argv[0].strip() if argv else ""
    try:
        create_app(name)
    except AppError as exc:
        print(f"make app: {exc}", file=sys.stderr)
        return 1
    print(NEXT_STEPS.format(name=name))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
