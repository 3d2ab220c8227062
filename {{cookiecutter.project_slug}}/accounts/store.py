"""Raw MongoDB access: the hot path, and what the ORM cannot do atomically or at all.

The app's one backend-specific module, here for django-mongodb-backend (``store_djongo.py``
has the same functions for djongo). Why raw: the ORM sends every read as an aggregate, and
``select_related`` puts its ``$lookup`` ahead of the ``$match``; mongod may reorder that, other
servers do not, so the authenticated request and the link look-ups are written here as the
single indexed ``find_one`` each must be. Everything else stays on the ORM.

The users collection holds each account's live sessions in an array (see
``accounts.sessions.tokens`` for what an element holds and what bounds it);
``accounts.documents`` has the queries, the same on both backends, written with ``collection``.
"""

from bson import ObjectId
from bson.errors import InvalidId
from django.db import connections, models, router
from django_mongodb_backend.fields import ArrayField, ObjectIdAutoField

# The primary key the app's migrations give their models.
PRIMARY_KEY_FIELD = ObjectIdAutoField


def database(using: str = "default"):
    """Return the pymongo database behind the connection ``using``."""
    return connections[using].database


def collection(model, using: str | None = None):
    """Return the pymongo collection behind ``model``."""
    using = using or router.db_for_write(model)
    return connections[using].get_collection(model._meta.db_table)


def fields_for_raw_insert(model) -> dict:
    """Return the fields a document inserted outside the ORM must carry: none here (``_id``)."""
    return {}


class DigestListField(ArrayField):
    """A MongoDB array of hex digests (recovery codes), so one ``$pull`` can use one.

    Named here, not by its backend's class, so the migration reads the same for both ORMs.
    """

    def __init__(self, **kwargs):
        kwargs["base_field"] = models.CharField(max_length=64)
        kwargs.setdefault("default", list)
        super().__init__(**kwargs)

    def deconstruct(self):
        name, _, args, kwargs = super().deconstruct()
        kwargs.pop("base_field", None)
        return name, "accounts.store.DigestListField", args, kwargs


def pk_from_text(text: str):
    """Return the primary key written as ``text`` (a token's account part), or ``None``."""
    if len(text) != 24:
        return None
    try:
        return ObjectId(text)
    except (InvalidId, TypeError):
        return None
