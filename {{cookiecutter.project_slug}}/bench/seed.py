"""Accounts with one live session each, inserted straight into the collection.

No bcrypt (one hash for everyone) and no ORM: 10,000 accounts take seconds. Each
document is what the ORM and a login would have written, so ``GET me`` treats it as any
other account.
"""

from bson import ObjectId
from django.contrib.auth.hashers import make_password

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
        store.collection(User).insert_many(documents)
    return tokens
