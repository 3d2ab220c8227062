"""Accounts with one live session each, inserted straight into the collection.

No bcrypt (one hash for everyone) and no ORM: 10,000 accounts take seconds. Each
document is what the ORM and a login would have written, so ``GET me`` treats it as any
other account.
"""

from bson import ObjectId
from django.contrib.auth.hashers import make_password
from pymongo.errors import BulkWriteError

from accounts import clock, store
from accounts.models import User
from accounts.sessions import tokens as sessions

BATCH = 1000


def add_accounts(first: int, last: int) -> list[str]:
    """Insert accounts ``first`` .. ``last - 1``; return a live token for each."""
    password_hash = make_password("bench-password-never-used")
    tokens = []
    for start in range(first, last, BATCH):
        documents = []
        for number in range(start, min(start + BATCH, last)):
            user = User(
                username=f"bench{number}",
                email=f"bench{number}@example.org",
                password=password_hash,
                date_joined=clock.now(),
            )
            user.set_keys()  # what save() would add: the canonical keys
            document = {
                field.column: getattr(user, field.attname)
                for field in User._meta.concrete_fields
                if not field.primary_key
            }
            # djongo's integer id, where it has one; MongoDB's _id is the pk otherwise.
            document.update(store.fields_for_raw_insert(User))
            document.setdefault("_id", ObjectId())
            user.pk = document[User._meta.pk.column]
            token, session = sessions.new_session(user, password_hash, "bench")
            document["sessions"] = [session]
            documents.append(document)
            tokens.append(token)
        insert(documents)
    return tokens


def insert(documents: list[dict]) -> None:
    """Insert ``documents``, allowing for a retried write whose first try had landed.

    On a busy machine a batch can outlast the socket timeout (``config/mongo.py``); pymongo
    then retries the write, and the retry meets the documents of the first try as duplicate
    keys. That is a success, once every document of the batch is there.
    """
    collection = store.collection(User)
    try:
        collection.insert_many(documents, ordered=False)
    except BulkWriteError as error:
        duplicates = all(e["code"] == 11000 for e in error.details["writeErrors"])
        ids = [document["_id"] for document in documents]
        if not duplicates or collection.count_documents({"_id": {"$in": ids}}) != len(ids):
            raise
