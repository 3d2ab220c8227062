"""The embedded MongoDB-compatible server (SecantusDB) for development and tests.

Used only when ``MONGODB_URI`` is unset. SecantusDB is GPL-2.0 and a development
dependency: deployments point ``MONGODB_URI`` at mongod, a replica set or Atlas.
"""

from devdb.server import EmbeddedServer, EmbeddedServerError

__all__ = ["EmbeddedServer", "EmbeddedServerError"]
