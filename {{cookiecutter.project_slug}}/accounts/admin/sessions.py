"""Django sessions (the admin's) stored by digest: a database dump opens no session (SEC-56).

Django's database sessions key each row by the session key itself, the value of the
``sessionid`` cookie, so whoever reads ``django_session`` (a backup, a replica, a leaked
dump) can send a key as the cookie and be the admin it belongs to. This store, the
project's ``SESSION_ENGINE``, keys each row by a digest of the key instead: the cookie
still carries the key, and only its digest ever reaches the database.

Every place Django's store puts a key into a query or a row goes through ``stored_key``:
the look-up, ``exists``, the row it writes and ``delete``, and their async twins (Django
4.1+; Django 3.1, the djongo variant, has none and never calls them). Rows written before
this store held the key in clear; migration ``accounts.0008`` deletes them, so everyone
logged in to the admin then logs in again.
"""

from django.contrib.sessions.backends import db
from django.utils import timezone

from accounts.core import digests

# Django's Session model keeps 40 characters: 160 bits of SHA-256 fit it, as far beyond a
# search for the key (32 random characters, ~165 bits) as the whole digest would be.
STORED_LENGTH = 40


def stored_key(session_key: str) -> str:
    """Return what the database keeps for ``session_key``: SHA-256, hex, cut to the column."""
    return digests.digest(session_key)[:STORED_LENGTH]


class SessionStore(db.SessionStore):
    """Django's database session store, rows keyed by ``stored_key(session_key)``."""

    def _get_session_from_db(self):
        try:
            return self.model.objects.get(
                session_key=stored_key(self.session_key), expire_date__gt=timezone.now()
            )
        except self.model.DoesNotExist:
            self._session_key = None
            return None

    async def _aget_session_from_db(self):
        try:
            return await self.model.objects.aget(
                session_key=stored_key(self.session_key), expire_date__gt=timezone.now()
            )
        except self.model.DoesNotExist:
            self._session_key = None
            return None

    def exists(self, session_key):
        return super().exists(stored_key(session_key))

    async def aexists(self, session_key):
        return await super().aexists(stored_key(session_key))

    def create_model_instance(self, data):
        row = super().create_model_instance(data)
        row.session_key = stored_key(row.session_key)
        return row

    async def acreate_model_instance(self, data):
        row = await super().acreate_model_instance(data)
        row.session_key = stored_key(row.session_key)
        return row

    def delete(self, session_key=None):
        session_key = self.session_key if session_key is None else session_key
        if session_key is not None:
            super().delete(stored_key(session_key))

    async def adelete(self, session_key=None):
        session_key = self.session_key if session_key is None else session_key
        if session_key is not None:
            await super().adelete(stored_key(session_key))
