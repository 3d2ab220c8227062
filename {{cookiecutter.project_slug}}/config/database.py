"""The ``DATABASES`` setting for django-mongodb-backend: the one backend-specific settings file."""

from django.core.exceptions import ImproperlyConfigured
from pymongo.errors import InvalidURI
from pymongo.uri_parser import parse_uri

# pymongo waits 30 s for a server by default; an API should answer 503 within seconds.
# Options given in the URI itself win over these.
DRIVER_DEFAULTS = {
    "serverSelectionTimeoutMS": 3000,
    "connectTimeoutMS": 3000,
    "socketTimeoutMS": 10000,
    "w": "majority",
}


def database_settings(uri: str, default_name: str) -> dict:
    """Build ``DATABASES["default"]`` from a MongoDB connection string."""
    try:
        parsed = parse_uri(uri)
    except (InvalidURI, ValueError) as exc:
        raise ImproperlyConfigured(f"MONGODB_URI is not a valid MongoDB URI: {exc}") from None
    given = {key.lower() for key in parsed["options"]}
    options = {key: value for key, value in DRIVER_DEFAULTS.items() if key.lower() not in given}
    return {
        "ENGINE": "django_mongodb_backend",
        "HOST": uri,
        "NAME": parsed["database"] or default_name,
        "OPTIONS": options,
    }


def database_is_reachable() -> bool:
    """Ping the default database; ``False`` once the driver's selection timeout runs out."""
    from django.db import connection
    from pymongo.errors import PyMongoError

    try:
        connection.database.command("ping")
    except PyMongoError:
        return False
    return True
