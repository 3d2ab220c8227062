"""The reset after each database test empties every collection the test wrote to, however."""

import os
import subprocess
import sys

import pymongo
import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.db import connection

from accounts.models import ThrottleCounter, User
from tests.conftest import (
    PROJECT_DIR,
    REFERENCE_TABLES,
    database_uri_for_subprocesses,
    uri_with_database,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def test_database():
    """The test database through a pymongo client of the test's own."""
    uri = uri_with_database(os.environ["MONGODB_URI"], connection.settings_dict["NAME"])
    client = pymongo.MongoClient(uri, serverSelectionTimeoutMS=5000)
    yield client[connection.settings_dict["NAME"]]
    client.close()


def holding_documents(database) -> set[str]:
    """Return the Django tables (reference data aside) that hold any document."""
    tables = set(connection.introspection.django_table_names()) - REFERENCE_TABLES
    return {name for name in tables if database[name].count_documents({}, limit=1)}


def flush() -> None:
    call_command("flush", interactive=False, verbosity=0)


def test_writes_through_the_api_the_orm_and_pymongo_are_all_emptied(api, test_database):
    assert api.register().status_code == 201
    api.token_for()
    User.objects.create_user("bob", "bob@example.org", "quiet-meadow-copper-sprocket")
    test_database[User._meta.db_table].insert_one({"written": "around the ORM"})
    assert len(holding_documents(test_database)) >= 2
    flush()
    assert holding_documents(test_database) == set()
    assert User.objects.count() == 0


def test_writes_of_another_process_are_emptied_too(test_database):
    uri = database_uri_for_subprocesses()  # says another process will write
    code = (
        "import sys, pymongo; "
        "pymongo.MongoClient(sys.argv[1]).get_default_database()[sys.argv[2]]"
        ".insert_one({'written': 'elsewhere'})"
    )
    table = User._meta.db_table
    subprocess.run([sys.executable, "-c", code, uri, table], cwd=PROJECT_DIR, check=True)
    assert holding_documents(test_database) == {table}
    flush()
    assert holding_documents(test_database) == set()


def test_an_upsert_is_emptied_and_a_partial_delete_or_update_leaves_the_rest_to_empty(
    test_database,
):
    log = test_database[LogEntry._meta.db_table]
    documents = [{"id": 1, "written": "first"}, {"id": 2, "written": "second"}]  # djongo: unique id
    log.insert_many(documents)
    flush()
    log.insert_many(documents)
    log.delete_one({"written": "first"})  # removes one: the other still needs the flush
    log.update_one({"written": "second"}, {"$set": {"seen": True}})
    counters = test_database[ThrottleCounter._meta.db_table]
    counters.update_one({"key": "k"}, {"$inc": {"hits": 1}}, upsert=True)
    assert holding_documents(test_database) == {log.name, counters.name}
    flush()
    assert holding_documents(test_database) == set()
