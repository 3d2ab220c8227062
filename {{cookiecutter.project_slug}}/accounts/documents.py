"""Raw reads and writes of one document each: the hot path, the same on both backends.

``accounts.store`` (the backend's file, swapped in per ORM) gives the collections; the
queries here use them and read the same whichever ORM was chosen. Why raw: see
``accounts.store``. The users collection holds each account's live sessions in an array
(``accounts.sessions.tokens`` says what an element holds and what bounds it), its passkeys
in another (``accounts.mfa.passkeys.credentials``) and the one-time codes mailed to it
(``accounts.codes.onetime``).
"""

import weakref

from django.db import connections
from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from accounts.store import collection

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
    like), so the instance is the one ``Model.objects.get`` would have returned. The
    arrays the ORM does not know (``model.EMBEDDED_ARRAYS``) come along as they are stored.
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
    instance = model.from_db(using, names, values)
    for name in getattr(model, "EMBEDDED_ARRAYS", ()):
        instance.__dict__[name] = document.get(name) or []  # what the model's property caches
    return instance


def is_duplicate_key(exc: BaseException) -> bool:
    """Tell whether a unique index refused the write.

    django-mongodb-backend raises ``IntegrityError``; djongo a plain ``DatabaseError``
    wrapping pymongo's ``DuplicateKeyError`` (or a bulk write error that names E11000).
    """
    for _ in range(5):
        if exc is None:
            return False
        if isinstance(exc, DuplicateKeyError) or "E11000" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def read_array(model, pk, name: str) -> list[dict]:
    """Return the embedded array ``name`` of the document ``pk`` (empty when it has none)."""
    document = collection(model).find_one({_pk_column(model): pk}, {name: 1})
    return (document or {}).get(name) or []


def take(model, condition: dict) -> bool:
    """Delete the one row matching ``condition``; tell whether this call deleted it.

    A one-time value used up by one ``delete_one``: of racing requests, exactly one sees
    ``True``.
    """
    return collection(model).delete_one(condition).deleted_count == 1


def update_where(model, pk, where: dict, update: dict) -> bool:
    """Apply ``update`` to the document ``pk`` if it also matches ``where``; tell whether it did.

    One ``update_one`` whose filter carries the condition: the database decides races,
    never a read followed by a write.
    """
    return collection(model).update_one({_pk_column(model): pk, **where}, update).matched_count == 1


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


def set_in_sessions(model, pk, condition: dict, values: dict) -> bool:
    """Set ``values`` on the sessions of ``pk`` that match ``condition``; tell whether one did."""
    changes = {f"sessions.$[s].{name}": value for name, value in values.items()}
    matches = {f"s.{name}": value for name, value in condition.items()}
    result = collection(model).update_one(
        {_pk_column(model): pk, "sessions": {"$elemMatch": condition}},
        {"$set": changes},
        array_filters=[matches],
    )
    return result.matched_count == 1


def read_sessions(model, pk) -> list[dict]:
    """Return every stored session of ``pk`` (live or not)."""
    return read_array(model, pk, "sessions")


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


# --- One-time codes mailed to the account, embedded in the user's document ----------
def set_email_code(model, pk, where: dict, purpose: str, code: dict) -> bool:
    """Store ``code`` as ``pk``'s one live code of ``purpose``, if the user matches ``where``."""
    return update_where(model, pk, where, {"$set": {f"email_codes.{purpose}": code}})


def try_email_code(model, where: dict, purpose: str, now, max_tries: int):
    """Count one try on the live code of ``purpose`` of the user matching ``where``.

    One ``find_one_and_update`` (``where`` names a unique key): the try is counted only
    while the code is unexpired and has had fewer than ``max_tries``, so racing guesses never
    get past the limit. Returns ``(pk, code)`` after the count, or ``None`` when no such user
    has such a code; only the code is read back, so either answer is about as short.
    """
    field = f"email_codes.{purpose}"
    document = collection(model).find_one_and_update(
        {**where, f"{field}.expires_at": {"$gt": now}, f"{field}.failures": {"$lt": max_tries}},
        {"$inc": {f"{field}.failures": 1}},
        projection={_pk_column(model): 1, field: 1},
        return_document=ReturnDocument.AFTER,
    )
    if document is None:
        return None
    return document[_pk_column(model)], document["email_codes"][purpose]


def drop_email_code(model, pk, purpose: str, digest: str | None = None) -> bool:
    """Remove ``pk``'s code of ``purpose`` (only if its digest is ``digest``, when given).

    With the digest, of racing requests that present the same right code exactly one gets
    ``True``: the code is used once.
    """
    where = {_pk_column(model): pk}
    if digest is not None:
        where[f"email_codes.{purpose}.digest"] = digest
    result = collection(model).update_one(where, {"$unset": {f"email_codes.{purpose}": ""}})
    return result.modified_count == 1


# --- Rows found by an indexed field, and taken once ---------------------------------
def find_one(model, condition: dict):
    """Return the ``model`` row matching ``condition`` (one ``find_one``), or ``None``.

    For conditions a unique index serves and the ORM would send as an aggregate: the account
    that holds a provider identity (``social_identities.key``) or a passkey
    (``passkeys.credential_id``), whole, its embedded arrays included.
    """
    document = collection(model).find_one(condition)
    return None if document is None else from_document(model, document)


def take_one(model, condition: dict):
    """Delete and return the ``model`` row matching ``condition``, or ``None``.

    One ``find_one_and_delete``: of racing requests for the same row exactly one gets it,
    which is what makes a one-time secret one-time.
    """
    document = collection(model).find_one_and_delete(condition)
    return None if document is None else from_document(model, document)


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
