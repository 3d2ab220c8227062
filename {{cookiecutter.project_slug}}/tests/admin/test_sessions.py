"""Admin sessions are stored by digest: a session key read from the database opens nothing."""

import importlib
from datetime import timedelta

import django
import pytest
from asgiref.sync import async_to_sync
from django.contrib.sessions.models import Session
from django.test import Client

from accounts.admin.sessions import SessionStore, stored_key
from tests.conftest import ADMIN_PASSWORD


def stored_keys() -> set[str]:
    return set(Session.objects.values_list("session_key", flat=True))


def test_sec56_a_session_key_read_from_the_database_opens_no_admin(admin_client_logged_in):
    # The review: a session_key taken from django_session, sent as the cookie, opened /admin/.
    assert admin_client_logged_in.get("/admin/").status_code == 200
    cookie = admin_client_logged_in.cookies["sessionid"].value
    rows = stored_keys()
    assert cookie not in rows and stored_key(cookie) in rows
    for row in rows:
        thief = Client()
        thief.cookies["sessionid"] = row
        assert thief.get("/admin/").status_code == 302  # to the login page
    assert admin_client_logged_in.get("/admin/").status_code == 200


def test_logging_out_and_cycling_keys_remove_the_digested_rows(admin_client_logged_in):
    from accounts.models import User

    password_page = f"/admin/accounts/user/{User.objects.get().pk}/password/"
    body = {"password1": ADMIN_PASSWORD + "-2", "password2": ADMIN_PASSWORD + "-2"}
    admin_client_logged_in.post(password_page, {**body, "usable_password": "true"})
    # Changing one's own password keeps the admin logged in on a new key (cycle_key).
    assert admin_client_logged_in.get("/admin/").status_code == 200
    assert stored_keys() == {stored_key(admin_client_logged_in.cookies["sessionid"].value)}
    admin_client_logged_in.post("/admin/logout/")
    assert stored_keys() == set()


def test_a_session_round_trips_through_the_store(db):
    store = SessionStore()
    store["answer"] = 42
    store.save()
    assert store.session_key not in stored_keys() and stored_key(store.session_key) in stored_keys()
    assert store.exists(store.session_key) and not store.exists(stored_key(store.session_key))
    assert SessionStore(store.session_key).load() == {"answer": 42}
    assert SessionStore(stored_key(store.session_key)).load() == {}
    store.delete()
    assert stored_keys() == set()


@pytest.mark.skipif(django.VERSION < (5, 0), reason="Django 3.1 has no async session API")
@pytest.mark.django_db(transaction=True)
def test_the_async_session_api_keys_rows_by_digest_too():
    store = SessionStore()

    async def save_and_load():
        store["answer"] = 42
        await store.asave()
        assert await store.aexists(store.session_key)
        assert not await store.aexists(stored_key(store.session_key))
        loaded = await SessionStore(store.session_key).aload()
        await store.adelete()
        return loaded

    assert async_to_sync(save_and_load)() == {"answer": 42}
    assert stored_keys() == set()


def test_the_migration_deletes_the_sessions_stored_in_clear(db):
    from django.apps import apps
    from django.db import connection
    from django.utils import timezone

    tomorrow = timezone.now() + timedelta(days=1)
    Session.objects.create(session_key="k" * 32, session_data="x", expire_date=tomorrow)
    migration = importlib.import_module("accounts.migrations.0008_admin_sessions_by_digest")
    migration.delete_sessions_keyed_in_clear(apps, connection.schema_editor())
    assert stored_keys() == set()
