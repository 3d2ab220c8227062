#!/usr/bin/env python
"""Django's command-line utility for administrative tasks.

``make manage ARGS="..."`` runs it against the development database (starting the
embedded one when it is not running); run directly, it uses ``MONGODB_URI``.
"""

import os
import sys

NO_DATABASE = (
    'manage.py: no MongoDB answers at {where}: use `make manage ARGS="{args}"` '
    "(it starts the development database), or set MONGODB_URI to a running server."
)


def database_unreachable(exc: BaseException) -> bool:
    """Tell whether ``exc``, or what it wraps, means no MongoDB server could be reached."""
    from pymongo.errors import ConnectionFailure, ServerSelectionTimeoutError

    for _ in range(5):
        if exc is None:
            return False
        if isinstance(exc, ConnectionFailure | ServerSelectionTimeoutError):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def where() -> str:
    """Name the server tried, without the credentials a URI may hold."""
    from urllib.parse import urlsplit

    uri = os.environ.get("MONGODB_URI")
    if not uri:
        return "127.0.0.1:27017 (MONGODB_URI is not set)"
    return urlsplit(uri).netloc.rpartition("@")[2] or uri


def main():
    """Run administrative tasks; a database that cannot be reached is one line, not a trace."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except Exception as exc:
        if not database_unreachable(exc):
            raise
        print(NO_DATABASE.format(where=where(), args=" ".join(sys.argv[1:])), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
