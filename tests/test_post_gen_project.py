"""hooks/post_gen_project.py: the option -> paths table, file removal and the secret key."""

import json
import re
import stat

import pytest

from hooks import post_gen_project as hook
from tests.conftest import COOKIECUTTER_JSON, PROJECT_TEMPLATE

KEY_LINE = re.compile(r"^DJANGO_SECRET_KEY=([A-Za-z0-9_-]{60,})$", re.MULTILINE)
MFA_KEY_LINE = re.compile(r"^AUTH_MFA_KEY=([A-Za-z0-9_-]{43,})$", re.MULTILINE)


def test_the_table_covers_every_value_of_every_choice():
    for key, by_value in hook.REMOVE_UNLESS_CHOSEN.items():
        assert set(by_value) == set(COOKIECUTTER_JSON[key]), key


def test_every_path_in_the_table_exists_in_the_template():
    """A listed path that is not in the template is a typo that would fail every bake."""
    for by_value in hook.REMOVE_UNLESS_CHOSEN.values():
        for paths in by_value.values():
            for relative in paths:
                assert (PROJECT_TEMPLATE / relative).exists(), relative


def test_the_replacement_table_covers_every_choice_and_names_real_files():
    for key, by_value in hook.REPLACE_WHEN_CHOSEN.items():
        assert set(by_value) == set(COOKIECUTTER_JSON[key]), key
        for table in by_value.values():
            for target, source in table.items():
                assert (PROJECT_TEMPLATE / target).is_file(), target
                assert (PROJECT_TEMPLATE / source).is_file(), source


def test_a_replacement_is_never_also_removed():
    """The variant's own file moves into place first; removing it as well would fail the bake."""
    for key, by_value in hook.REPLACE_WHEN_CHOSEN.items():
        for value, table in by_value.items():
            removed = set(hook.REMOVE_UNLESS_CHOSEN[key][value])
            assert not removed & (set(table) | set(table.values())), value


def test_replace_paths_moves_the_variant_file_over_the_default(tmp_path):
    (tmp_path / "db.py").write_text("default")
    (tmp_path / "db_other.py").write_text("other")
    table = {"orm": {"a": {}, "b": {"db.py": "db_other.py"}}}
    hook.replace_paths(tmp_path, hook.replacements({"orm": "b"}, table))
    assert (tmp_path / "db.py").read_text() == "other" and not (tmp_path / "db_other.py").exists()
    with pytest.raises(ValueError):
        hook.replacements({"orm": "c"}, table)


TABLE = {
    "orm": {"one": ["only_two.py", "two_dir"], "two": ["only_one.py"]},
    "docs": {"yes": [], "no": ["docs"]},
}


def test_paths_to_remove_follows_the_chosen_values_in_table_order():
    assert hook.paths_to_remove({"orm": "one", "docs": "no"}, TABLE) == [
        "only_two.py",
        "two_dir",
        "docs",
    ]
    assert hook.paths_to_remove({"orm": "two", "docs": "yes"}, TABLE) == ["only_one.py"]


def test_paths_to_remove_refuses_a_value_the_table_does_not_know():
    with pytest.raises(ValueError, match="orm='three'"):
        hook.paths_to_remove({"orm": "three", "docs": "yes"}, TABLE)


def test_remove_paths_deletes_files_and_directories_and_nothing_else(tmp_path):
    (tmp_path / "two_dir" / "sub").mkdir(parents=True)
    (tmp_path / "two_dir" / "sub" / "x.py").write_text("")
    (tmp_path / "only_two.py").write_text("")
    (tmp_path / "only_one.py").write_text("")
    hook.remove_paths(tmp_path, hook.paths_to_remove({"orm": "one", "docs": "yes"}, TABLE))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["only_one.py"]


def test_remove_paths_fails_loudly_on_a_missing_path(tmp_path):
    with pytest.raises(FileNotFoundError):
        hook.remove_paths(tmp_path, ["not_there.py"])


def test_write_secret_key_creates_an_owner_only_env_file(tmp_path):
    env_file = tmp_path / ".env"
    assert hook.write_secret_key(env_file) is True
    assert KEY_LINE.fullmatch(env_file.read_text().strip())
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600


def test_each_project_gets_its_own_key(tmp_path):
    keys = set()
    for name in ("a", "b"):
        env_file = tmp_path / f"{name}.env"
        hook.write_secret_key(env_file)
        keys.add(KEY_LINE.search(env_file.read_text()).group(1))
    assert len(keys) == 2


def test_write_secret_key_keeps_an_existing_key(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DJANGO_DEBUG=1\nDJANGO_SECRET_KEY=mine\n")
    assert hook.write_secret_key(env_file) is False
    assert env_file.read_text() == "DJANGO_DEBUG=1\nDJANGO_SECRET_KEY=mine\n"


def test_write_secret_key_appends_to_an_env_file_without_one(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DJANGO_DEBUG=1")  # no final newline
    assert hook.write_secret_key(env_file) is True
    lines = env_file.read_text().splitlines()
    assert lines[0] == "DJANGO_DEBUG=1" and KEY_LINE.fullmatch(lines[1])


def test_main_removes_the_table_paths_and_writes_the_key(tmp_path, monkeypatch):
    monkeypatch.setattr(hook, "REMOVE_UNLESS_CHOSEN", {"orm": {"a": ["drop.py"], "b": []}})
    monkeypatch.setattr(hook, "REPLACE_WHEN_CHOSEN", {"orm": {"a": {}, "b": {}}})
    (tmp_path / "drop.py").write_text("")
    (tmp_path / "keep.py").write_text("")
    assert hook.main(json.dumps({"orm": "a", "project_name": "x"}), tmp_path) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [".env", "keep.py"]
    assert KEY_LINE.search((tmp_path / ".env").read_text())
    assert MFA_KEY_LINE.search((tmp_path / ".env").read_text())


def test_main_writes_a_separate_mfa_key_and_keeps_an_existing_one(tmp_path, monkeypatch):
    monkeypatch.setattr(hook, "REMOVE_UNLESS_CHOSEN", {"orm": {"a": []}})
    monkeypatch.setattr(hook, "REPLACE_WHEN_CHOSEN", {"orm": {"a": {}}})
    hook.main(json.dumps({"orm": "a"}), tmp_path)
    text = (tmp_path / ".env").read_text()
    assert KEY_LINE.search(text).group(1) != MFA_KEY_LINE.search(text).group(1)
    hook.main(json.dumps({"orm": "a"}), tmp_path)  # a re-bake over the project
    assert (tmp_path / ".env").read_text() == text
