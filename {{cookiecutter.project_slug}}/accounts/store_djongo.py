"""Raw MongoDB access: the hot path, and what the ORM cannot do atomically or at all.

The app's one backend-specific module, here for djongo, whose connection is a pymongo
``Database`` (``store.py`` of the default variant has the same functions). Why raw: djongo
translates each ORM query through SQL into several MongoDB operations, and ``select_related``
into a ``$lookup`` ahead of the ``$match``; so the authenticated request and the link look-ups
are written here as the single indexed ``find_one`` each must be. Everything else stays on
the ORM.

The users collection holds each account's live sessions in an array (see
``accounts.sessions.tokens`` for what an element holds and what bounds it);
``accounts.documents`` has the queries, the same on both backends, written with ``collection``.
djongo keeps the integer primary key in an ``id`` field under a unique index
(``__primary_key__``), which serves these reads.
"""

import secrets

from django.db import connections, models, router
from djongo.models import JSONField

# The primary key the app's migrations give their models: djongo keeps integers.
PRIMARY_KEY_FIELD = models.AutoField
MAX_PK = 2**63 - 1  # BSON int64


def database(using: str = "default"):
    """Return the pymongo database behind the connection ``using``."""
    connection = connections[using]
    connection.ensure_connection()
    return connection.connection


def collection(model, using: str | None = None):
    """Return the pymongo collection behind ``model``."""
    return database(using or router.db_for_write(model))[model._meta.db_table]


def fields_for_raw_insert(model) -> dict:
    """Return the fields a document inserted outside the ORM must carry.

    djongo keeps the integer primary key in an ``id`` field under a unique index,
    so an upsert that left it out would collide with the next one (both null).
    A random 53-bit id cannot collide in practice; the ORM never inserts these rows.
    """
    return {model._meta.pk.column: secrets.randbits(53)}


class DigestListField(JSONField):
    """A MongoDB array of hex digests (recovery codes), so one ``$pull`` can use one.

    djongo's ``JSONField`` keeps a list as a native array. A document written before
    the field existed reads as ``None``: callers treat that as no digests.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("default", list)
        super().__init__(**kwargs)

    def get_prep_value(self, value):
        return super().get_prep_value([] if value is None else list(value))

    def to_python(self, value):
        return [] if value is None else super().to_python(value)

    def deconstruct(self):
        name, _, args, kwargs = super().deconstruct()
        return name, "accounts.store.DigestListField", args, kwargs


def pk_from_text(text: str):
    """Return the primary key written as ``text`` (a token's account part), or ``None``."""
    if not (0 < len(text) <= 19 and text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 0 < value <= MAX_PK else None
