"""Raw MongoDB access: the hot path, and what the ORM cannot do atomically or at all.

The app's one backend-specific module, here for djongo, whose connection is a pymongo
``Database`` (``store.py`` of the default variant has the same functions). Why raw: djongo
translates each ORM query through SQL into several MongoDB operations, and ``select_related``
into a ``$lookup`` ahead of the ``$match``; so the authenticated request and the link look-ups
are written here as the single indexed ``find_one`` each must be. Everything else stays on
the ORM.

The users collection holds each account's live sessions in an array (see ``accounts.sessions``
for what an element holds and what bounds it); every function below touches one document.
djongo keeps the integer primary key in an ``id`` field under a unique index
(``__primary_key__``), which serves these reads.
"""

import secrets
import weakref

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


# Per connection and model: the converters each field's value goes through (from_document).
_CONVERTERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _pk_column(model) -> str:
    return model._meta.pk.column


def _converters(model, connection) -> list:
    """Return, per concrete field, the converters a query would apply to its value."""
    cached = _CONVERTERS.setdefault(connection, {})
    if model not in cached:
        table, plan = model._meta.db_table, []
        for field in model._meta.concrete_fields:
            column = field.get_col(table)
            functions = connection.ops.get_db_converters(column)
            plan.append((field, column, functions + column.get_db_converters(connection)))
        cached[model] = plan
    return cached[model]


def from_document(model, document: dict, using: str = "default"):
    """Build a ``model`` instance from a raw document, as the ORM would (``Model.from_db``).

    Each value goes through the converters a query applies (aware datetimes and the
    like), so the instance is the one ``Model.objects.get`` would have returned.
    """
    connection = connections[using]
    names, values = [], []
    for field, column, functions in _converters(model, connection):
        value = document.get(field.column)
        if value is not None:
            for convert in functions:
                value = convert(value, column, connection)
        names.append(field.attname)
        values.append(value)
    return model.from_db(using, names, values)


# --- Sessions, embedded in the user's document -------------------------------------
def find_user(model, pk):
    """Return the user ``pk`` and its stored sessions, ``(user, [session, ...])``, or ``None``.

    The authenticated request's one read: a ``find_one`` by primary key (one index entry,
    one shard). It takes the whole document, sessions included, and the caller picks the
    session out: SecantusDB spends more on a positional projection (``sessions.$``, with
    the digest in the filter) than on sending a document that ``AUTH_MAX_SESSIONS`` keeps
    small (about 2x the floor against 1.1x, measured); on mongod both cost about the same.
    """
    document = collection(model).find_one({_pk_column(model): pk})
    if document is None:
        return None
    return from_document(model, document), document.get("sessions") or []


def push_session(model, pk, password_hash: str, session: dict, keep: int) -> bool:
    """Add ``session`` while the password is still ``password_hash``; keep the newest ``keep``.

    The condition closes the race with a reset: a login that checked the old
    password writes nothing once the new one is stored.
    """
    result = collection(model).update_one(
        {_pk_column(model): pk, "password": password_hash, "is_active": True},
        {"$push": {"sessions": {"$each": [session], "$slice": -keep}}},
    )
    return result.matched_count == 1


def pull_sessions(model, pk, condition: dict) -> int:
    """Remove the sessions of ``pk`` that match ``condition``; return 1 if any went, else 0."""
    result = collection(model).update_one(
        {_pk_column(model): pk}, {"$pull": {"sessions": condition}}
    )
    return result.modified_count


def read_sessions(model, pk) -> list[dict]:
    """Return every stored session of ``pk`` (live or not)."""
    document = collection(model).find_one({_pk_column(model): pk}, {"sessions": 1})
    return (document or {}).get("sessions") or []


def end_sessions(model, pk, password_hash: str | None = None) -> None:
    """Empty the sessions of ``pk`` and, when given, store ``password_hash``: one write."""
    changes = {"sessions": []}
    if password_hash is not None:
        changes["password"] = password_hash
    collection(model).update_one({_pk_column(model): pk}, {"$set": changes})


def rebind_sessions(model, pk, password_hash: str, old: str, new: str) -> None:
    """Rebind the sessions bound to ``old`` to ``new``, while the password is ``password_hash``."""
    collection(model).update_one(
        {_pk_column(model): pk, "password": password_hash},
        {"$set": {"sessions.$[s].binding": new}},
        array_filters=[{"s.binding": old}],
    )


# --- One-time links and MFA challenges ----------------------------------------------
def find_with_user(model, user_model, condition: dict):
    """Return the ``model`` row matching ``condition`` with its ``user`` set, or ``None``.

    Two ``find_one``s, each served by a unique index (``condition`` names the row's
    digest; then the user's primary key): no join, so the cost does not grow with the
    number of rows or accounts. Used by the link look-ups and the MFA challenge.
    """
    document = collection(model).find_one(condition)
    if document is None:
        return None
    row = from_document(model, document)
    user_document = collection(user_model).find_one({_pk_column(user_model): row.user_id})
    if user_document is None:
        return None
    row.user = from_document(user_model, user_document)
    return row


def claim_link(link_model, pk, now) -> bool:
    """Mark the link ``pk`` used unless it is used or expired; say whether this call did."""
    result = collection(link_model).update_one(
        {_pk_column(link_model): pk, "used_at": None, "expires_at": {"$gt": now}},
        {"$set": {"used_at": now}},
    )
    return result.modified_count == 1
