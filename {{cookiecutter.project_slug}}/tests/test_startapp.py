"""``make app``: names checked, the app registered once, the template wired for MongoDB."""

import pytest

from config import startapp
from config.startapp import AppError, check_name, register


def test_an_app_is_added_at_the_end_of_installed_apps_once():
    head = 'A = 1\nINSTALLED_APPS = [\n    *CONTRIB_APPS,\n    "accounts",\n'
    tail = "]\n\nB = [\n]\n"
    once = register("notes", head + tail)
    assert once == head + '    "notes",\n' + tail
    assert register("notes", once) == once


def test_the_real_settings_file_has_the_list_register_edits():
    text = startapp.SETTINGS_FILE.read_text(encoding="utf-8")
    assert '    "notes",\n]' in register("notes", text)


def test_settings_without_the_list_say_what_to_do():
    with pytest.raises(AppError, match="by hand"):
        register("notes", "INSTALLED_APPS = base + []\n")


@pytest.mark.parametrize("name", ["", "Notes", "my-notes", "class", "2notes", "accounts"])
def test_bad_names_are_refused(name):
    with pytest.raises(AppError):
        check_name(name)


def test_the_app_template_keeps_the_projects_primary_key_field():
    # startapp's own template writes BigAutoField, which django-mongodb-backend refuses.
    apps_py = (startapp.APP_TEMPLATE / "apps.py-tpl").read_text(encoding="utf-8")
    assert "default_auto_field =" not in apps_py
    assert (startapp.APP_TEMPLATE / "migrations" / "__init__.py-tpl").is_file()
