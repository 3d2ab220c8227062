"""What every MongoDB backend shares: reading ``MONGODB_URI`` and the driver's defaults."""

from django.core.exceptions import ImproperlyConfigured
from pymongo.errors import InvalidURI
from pymongo.uri_parser import parse_uri

# pymongo waits 30 s for a server by default; an API should answer 503 within seconds.
# Writes wait for a majority of a replica set (a standalone server acknowledges alone).
# Options given in the URI itself win over these.
DRIVER_DEFAULTS = {
    "serverSelectionTimeoutMS": 3000,
    "connectTimeoutMS": 3000,
    "socketTimeoutMS": 10000,
    "w": "majority",
}


def read_uri(uri: str, default_name: str) -> tuple[str, dict]:
    """Return the database name (the URI's path, else ``default_name``) and driver options."""
    try:
        parsed = parse_uri(uri)
    except (InvalidURI, ValueError) as exc:
        raise ImproperlyConfigured(f"MONGODB_URI is not a valid MongoDB URI: {exc}") from None
    given = {key.lower() for key in parsed["options"]}
    options = {key: value for key, value in DRIVER_DEFAULTS.items() if key.lower() not in given}
    return parsed["database"] or default_name, options
