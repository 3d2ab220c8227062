"""The reset between database tests: empty only the collections a test wrote to.

MongoDB has no transactions on a standalone server, so Django's test cases flush the
database after every test: one ``delete`` per collection, about twenty, most of them already
empty. A pymongo command listener sees every write this process sends (the ORM's, the raw
``store.py`` ones, the live server's threads), so the flush can skip what nobody touched.

What the listener cannot see, another process writing to the test database, switches the
next flush back to every collection: ``flush_everything()`` is called by whatever hands the
database to another process (``tests.conftest.database_uri_for_subprocesses``).
"""

from pymongo import monitoring

# Commands that never write, whatever collection they name.
READS = frozenset(
    {"find", "getMore", "count", "distinct", "listIndexes", "collStats", "dbStats", "explain"}
)


def _empties(command: dict) -> bool:
    """Tell whether a ``delete`` command removes every document (what the flush sends)."""
    deletes = command.get("deletes") or []
    return bool(deletes) and all(d.get("q") == {} and d.get("limit") == 0 for d in deletes)


class WrittenCollections(monitoring.CommandListener):
    """Collect the names of the collections written to since they were last emptied."""

    def __init__(self):
        self.names: set[str] = set()
        self.everything = True  # until the first flush: migrations wrote what they wrote

    def started(self, event):
        name = event.command_name
        target = event.command.get(name)
        if not isinstance(target, str) or name in READS:
            return
        if name == "aggregate":
            stages = event.command.get("pipeline", [])
            if not any("$out" in stage or "$merge" in stage for stage in stages):
                return
        if name == "delete" and _empties(event.command):
            self.names.discard(target)  # emptied: clean again
        else:
            self.names.add(target)

    def succeeded(self, event):
        pass

    def failed(self, event):
        pass


written = WrittenCollections()


def install() -> None:
    """Register the listener for every MongoClient created from now on (before Django's)."""
    monitoring.register(written)


def flush_everything() -> None:
    """Make the next flush empty every collection: another process may write to them."""
    written.everything = True


def tables_to_flush(connection, kept_out: set[str]) -> list[str]:
    """Return the Django tables the next flush must empty, and forget what was written."""
    if written.everything:
        tables = connection.introspection.django_table_names(only_existing=True)
    else:
        tables = [t for t in connection.introspection.django_table_names() if t in written.names]
    written.everything = False
    return [table for table in tables if table not in kept_out]


def delete_every_document(connection, tables: list[str]) -> None:
    """Empty ``tables`` with one ``delete`` each (django-mongodb-backend's flush, made cheaper).

    Its ``execute_sql_flush`` asks the server for each collection's options first (one
    ``listCollections`` per table) to leave capped collections alone; the project has none,
    and those were a sixth of all the commands the suite sent.
    """
    for table in tables:
        connection.database[table].delete_many({})
