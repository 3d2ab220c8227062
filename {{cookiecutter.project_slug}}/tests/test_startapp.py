"""``make app``: names checked, the app registered once, the template wired for MongoDB."""

import pytest

from config import startapp
from config.startapp import AppError, check_name, register


def test_an_app_is_added_at_the_end_of_installed_apps_and_its_description_once():
    apps = 'A = 1\nINSTALLED_APPS = [\n    *CONTRIB_APPS,\n    "accounts",\n'
    descriptions = ']\n\nAPI_DESCRIPTIONS = [\n    "config.openapi",\n'
    tail = "]\n\nB = [\n]\n"
    once = register("notes", apps + descriptions + tail)
    assert once == apps + '    "notes",\n' + descriptions + '    "notes.openapi",\n' + tail
    assert register("notes", once) == once


def test_the_real_settings_file_has_the_lists_register_edits():
    text = register("notes", startapp.SETTINGS_FILE.read_text(encoding="utf-8"))
    assert '    "notes",\n]' in text and '    "config.openapi",\n    "notes.openapi",\n]' in text


@pytest.mark.parametrize(
    "text", ["INSTALLED_APPS = base + []\n", 'INSTALLED_APPS = [\n    "x",\n]\nAPI = []\n']
)
def test_settings_without_the_lists_say_what_to_do(text):
    with pytest.raises(AppError, match="by hand"):
        register("notes", text)


@pytest.mark.parametrize("name", ["", "Notes", "my-notes", "class", "2notes", "accounts"])
def test_bad_names_are_refused(name):
    with pytest.raises(AppError):
        check_name(name)


def test_the_app_template_keeps_the_projects_primary_key_field():
    # startapp's own template writes BigAutoField, which django-mongodb-backend refuses.
    apps_py = (startapp.APP_TEMPLATE / "apps.py-tpl").read_text(encoding="utf-8")
    assert "default_auto_field =" not in apps_py
    assert (startapp.APP_TEMPLATE / "migrations" / "__init__.py-tpl").is_file()


def test_a_new_apps_description_adds_its_tag_to_the_api_document(settings, tmp_path):
    """``make app``'s openapi.py, as written for an app called notes, is a valid source."""
    import importlib.util
    import sys

    from accounts.docs import document

    template = (startapp.APP_TEMPLATE / "openapi.py-tpl").read_text(encoding="utf-8")
    module = tmp_path / "notes_openapi.py"
    placeholder = "{" * 2 + " app_name }}"  # written so: cookiecutter renders this file
    module.write_text(template.replace(placeholder, "notes"), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("notes_openapi", module)
    sys.modules["notes_openapi"] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sys.modules["notes_openapi"])
    try:
        settings.API_DESCRIPTIONS = ["config.openapi", "notes_openapi"]
        tags = document.document()["tags"]
    finally:
        del sys.modules["notes_openapi"]
    assert {"name": "notes", "description": "The notes app"} in tags
