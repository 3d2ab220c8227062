"""Usernames that look alike are one account; invisible characters are refused (SEC-29)."""

import importlib

import pytest

from accounts import store
from accounts.core.identifiers import clean_username, skeleton, username_skeleton
from accounts.models import User
from tests.conftest import STRONG_PASSWORD

REVIEW_LOOKALIKES = {
    "\u0430lice": "username_taken",  # Cyrillic а
    "alic\u0435": "username_taken",  # Cyrillic е
    "alice\u3164": "invalid_username",  # Hangul filler
    "\u115falice": "invalid_username",  # Hangul choseong filler
}
INVISIBLE = ["\u200b", "\u200d", "\u2060", "\u00ad", "\u3164", "\u115f", "\u1160", "\uffa0"]


@pytest.mark.parametrize("variant", REVIEW_LOOKALIKES)
def test_sec29_the_reviews_lookalikes_of_alice_make_no_second_account(api, variant):
    assert api.register().status_code == 201
    response = api.register(username=variant, email="other@example.org")
    assert (response.status_code, response.json()["code"]) == (400, REVIEW_LOOKALIKES[variant])
    assert User.objects.count() == 1


@pytest.mark.parametrize("char", INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_sec29_invisible_characters_are_refused_anywhere(api, char, where):
    name = {"start": char + "bob", "middle": "b" + char + "ob", "end": "bob" + char}[where]
    response = api.register(username=name, email="bob@example.org")
    assert (response.status_code, response.json()["code"]) == (400, "invalid_username")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("alice", "a1ice"),  # digit one for l
        ("ace", "\u0430\u0441\u0435"),  # all Cyrillic: no mixed script to spot
        ("mary", "rnary"),
        ("bob0", "BOBO"),
        ("paypal", "p\u0430yp\u0430l"),
        ("alice", "aIice"),  # a capital I reads as l
        ("aIice", "alice"),
        ("ALICE", "ALlCE"),
        ("Ivan", "lvan"),
    ],
)
def test_sec29_a_confusable_of_a_taken_name_is_taken(api, first, second):
    assert api.register(username=first, email="first@example.org").status_code == 201
    response = api.register(username=second, email="second@example.org")
    assert (response.status_code, response.json()["code"]) == (400, "username_taken")


@pytest.mark.parametrize(
    ("first", "second"), [("ali", "all"), ("jurgen", "jürgen"), ("ivan", "lvan"), ("eve", "eva")]
)
def test_sec29_names_that_look_different_stay_different(api, first, second):
    assert api.register(username=first, email="first@example.org").status_code == 201
    assert api.register(username=second, email="second@example.org").status_code == 201


def test_sec29_login_stays_case_insensitive_and_lookalikes_reach_nobody(api):
    api.register(username="Ivan", email="ivan@example.org")
    for spelling in ["Ivan", "ivan", "IVAN", "ｉｖａｎ"]:
        assert api.login(username=spelling).status_code == 200, spelling
    assert api.login(username="\u0456van").status_code == 400  # Ukrainian і: another name


def test_sec29_racing_lookalike_registrations_make_one_account(live_server):
    from tests.test_races import race

    url = f"{live_server.url}/api/auth/register"
    names = ["alice", "\u0430lice", "alic\u0435", "a1ice", "aIice", "ａｌｉｃｅ"]
    calls = [
        (url, "POST", {"username": n, "email": f"{i}@example.org", "password": STRONG_PASSWORD})
        for i, n in enumerate(names)
    ]
    assert race(calls) == [201] + [400] * (len(names) - 1)
    assert User.objects.count() == 1


@pytest.mark.parametrize("name", ["alice", "ALICE", "\u0430lice", "a1ice", "straße", "Ǆemal"])
def test_sec29_the_key_of_a_key_is_itself(name):
    key = username_skeleton(name)
    assert username_skeleton(key) == key


def test_sec29_the_skeleton_follows_uts39():
    assert skeleton("\u0430") == "a"  # data, not a hand-written list
    assert skeleton("m") == "rn"
    assert skeleton("a\u200bb") == "ab"  # default-ignorables dropped
    assert clean_username("ａｌｉｃｅ") == "alice"


migration = importlib.import_module("accounts.migrations.0004_username_skeleton")


@pytest.fixture
def before_0003(db):
    """Run the migration's step by hand on rows that have no look-alike key and no index."""
    from django.apps import apps
    from django.db import connection

    def prepare():
        store.collection(User).drop_index(migration.INDEX)
        store.collection(User).update_many({}, {"$unset": {"username_skeleton": ""}})

    yield prepare, lambda: migration.fill_and_index(apps, connection.schema_editor())
    if migration.INDEX not in store.collection(User).index_information():
        User.objects.all().delete()  # rows without a key would collide in the index
        store.collection(User).create_index("username_skeleton", unique=True, name=migration.INDEX)


def test_sec29_the_migration_fills_in_every_key_then_indexes_them(before_0003):
    prepare, migrate = before_0003
    User.objects.create_user("Bob0", "bob@example.org", STRONG_PASSWORD)
    User.objects.create_user("carol", "carol@example.org", STRONG_PASSWORD)
    prepare()
    migrate()
    assert sorted(User.objects.values_list("username_skeleton", flat=True)) == ["bobo", "carol"]
    assert store.collection(User).index_information()[migration.INDEX]["unique"]


def test_sec29_the_migration_stops_on_lookalikes_and_changes_nothing(before_0003):
    prepare, migrate = before_0003
    User.objects.create_user("bob", "bob@example.org", STRONG_PASSWORD)
    User.objects.create_user("robert", "b0b@example.org", STRONG_PASSWORD)
    prepare()
    User.objects.filter(username="robert").update(username="b0b")  # possible before 0004
    with pytest.raises(RuntimeError, match="'bob', 'b0b'|'b0b', 'bob'"):
        migrate()
    assert set(User.objects.values_list("username_skeleton", flat=True)) == {None}
    assert migration.INDEX not in store.collection(User).index_information()
