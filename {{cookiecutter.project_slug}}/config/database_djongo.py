"""Database settings for djongo: the project's one backend-specific settings file."""

from config.mongo import read_uri

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
        # Keep each thread's MongoClient between requests. Django's default (0) closes it
        # after every request, so the next one paid a new client, handshake and server
        # selection: about 4 requests per second. A MongoClient is a pool that reconnects
        # by itself after an outage, and Django gives every thread its own connection
        # object, so nothing is shared between threads.
        "CONN_MAX_AGE": None,
    }
