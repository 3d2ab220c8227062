"""Database settings for djongo: the project's one backend-specific settings file.

Also three repairs to djongo itself, made as the process's first connection opens, before any
query: each is explained where it is made (``share_one_client``, ``parse_each_query_once``,
``quiet_schema_notes``).
"""

import functools
import logging

from django.db.backends.signals import connection_created

from config.mongo import read_uri

# Distinct SQL texts the parse cache keeps: the app's query shapes are a few hundred at most.
PARSED_QUERIES = 1024

# djongo keeps Django's integer primary keys and the contrib apps' own migrations.
CONTRIB_APPS = ["django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes"]
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
MIGRATION_MODULES: dict[str, str] = {}


def database_settings(uri: str, default_name: str) -> dict:
    """Build ``DATABASES["default"]`` from a MongoDB connection string."""
    name, options = read_uri(uri, default_name)
    return {
        "ENGINE": "djongo",
        "NAME": name,
        "ENFORCE_SCHEMA": False,
        "CLIENT": {"host": uri, **options},
        # Keep each thread's connection between requests. Django's default (0) closes it
        # after every request, which closed the MongoClient too, so the next one paid a
        # handshake and server selection: about 4 requests per second. Every thread's
        # connection uses djongo's one MongoClient per process (see share_one_client), a
        # thread-safe pool that reconnects by itself after an outage.
        "CONN_MAX_AGE": None,
    }


def _forget_the_shared_client(self) -> None:
    """Close a djongo connection without closing the MongoClient every connection shares."""
    self.client_connection = None


def share_one_client(wrapper_class) -> None:
    """Make closing a djongo connection leave the process's one MongoClient open.

    djongo keeps one MongoClient per database name for the whole process (every thread's
    connection gets the same one), yet closing any connection closed that shared client, and
    so did the next connect. A closed pymongo 3.11 client re-opens by itself, but its monitor
    thread wakes in 0.5 s steps: the next query waited about 0.25 s for server selection.
    Test cases close every connection after each test (about a third of the suite's time went
    on that wait), and the outbox sender's ``close_all()`` at its stop closed the client the
    request threads were using. The client is a pool that reconnects after an outage; it is
    released when the process ends.
    """
    wrapper_class._close = _forget_the_shared_client


def parse_each_query_once() -> None:
    """Parse each SQL text djongo receives once per process, not once per query.

    djongo turns every ORM query into SQL, parses that with sqlparse, then walks the parsed
    tokens to build the MongoDB command. The parse alone took 4 to 5 ms, most of a query's
    CPU (a find by primary key on SecantusDB costs less), and Django sends the same few
    hundred texts over and over: values travel apart, as parameters. djongo only reads
    the parsed tokens (it never changes them), so one parse can serve every later query.
    """
    import sqlparse
    from djongo.sql2mongo import converters, query, sql_tokens

    parse = functools.lru_cache(maxsize=PARSED_QUERIES)(sqlparse.parse)
    for module in (query, sql_tokens, converters):
        module.sqlparse = parse


# djongo's notes on SQL schema features a MongoDB collection has no use for: NOT NULL, CHECK,
# REFERENCES and type constraints, ALTER COLUMN's defaults and nullability, DROP CASCADE.
# Django's models check and cascade in Python, and the documents never stored a column
# default. Each note is true and harmless (docs/djongo.md).
HARMLESS_NOTES = frozenset(
    {
        "NULL, NOT NULL column validation check",
        "column type validation",
        "column CONSTRAINTS",
        "DROP CASCADE",
    }
)
HARMLESS_PREFIXES = ("schema validation using ", "COLUMN ")  # djongo's own spellings


def harmless(feature) -> bool:
    """Tell whether a djongo note names a schema feature MongoDB has no use for."""
    return feature in HARMLESS_NOTES or str(feature).startswith(HARMLESS_PREFIXES)


log = logging.getLogger("djongo")


def quiet_schema_notes() -> None:
    """Log djongo's harmless "does not support X fully" notes at DEBUG instead of printing them.

    ``migrate`` printed a dozen of them between its own lines, with nothing to act on; any
    other note (a partial index, an embedded field's index) still prints, as it may matter.
    """
    from djongo import exceptions
    from djongo.sql2mongo import query

    printing = exceptions.print_warn

    def note(feature=None, message=None):
        if harmless(feature):
            log.debug("djongo does not support %r fully (harmless on MongoDB)", feature)
        else:
            printing(feature, message)

    query.print_warn = note


def repair_djongo(sender, **kwargs) -> None:
    """Make the repairs when the process's first djongo connection opens (``sender``'s class).

    Not when settings load: importing djongo's backend costs 0.2 s of CPU, which a process
    that only reads the settings (the tests start dozens) need not pay.
    """
    if sender.vendor != "djongo" or sender._close is _forget_the_shared_client:
        return
    share_one_client(sender)
    parse_each_query_once()
    quiet_schema_notes()


connection_created.connect(repair_djongo, dispatch_uid="config.database.repair_djongo")
