"""Raw MongoDB collections, for the writes the ORM cannot make atomic (upsert-and-return).

The one backend-specific module of the app: it reaches pymongo through
django-mongodb-backend's connection.
"""

from django.db import connections, router


def collection(model):
    """Return the pymongo collection behind ``model``."""
    return connections[router.db_for_write(model)].get_collection(model._meta.db_table)
