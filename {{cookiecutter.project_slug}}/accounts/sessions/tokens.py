"""Login tokens: sessions stored in the user's own document, so a request reads one document once.

Why here and not in a collection of their own: every authenticated request needs the
session and its user together, and MongoDB's modelling rule is that data read together is
stored together. ``users.sessions`` is an array; each element holds::

    id          opaque, random session id (for listing and revoking; not derived from the token)
    digest      SHA-256 of the token: the token itself is never stored (SEC-08)
    created_at  when the login happened
    expires_at  checked on every request (SEC-12)
    user_agent  the client's User-Agent at login: printable ASCII, at most 200 characters
    binding     keyed fingerprint of the password hash the login was checked against
    reauth_at   when its owner last re-authenticated on it (``accounts.sessions.reauth``),
                absent until then

What bounds it: login drops expired sessions and keeps the newest ``AUTH_MAX_SESSIONS``
(100 by default), so a document never grows past about 30 KB of sessions.

A token is ``<account id>.<secret>``: the account id makes the read a primary-key
``find_one`` (one index entry, and one shard once users are sharded by ``_id``); the 256
random bits of the secret are what must stay secret. The id is not a secret (``GET me``
shows it). See docs/sessions.md.

The binding ties a session to the password: any change of the password hash, by any path
(the API, the admin, ``manage.py changepassword``, ``set_password()`` and ``save()``, even
a raw update), makes every older session fail the read that authenticates it. Login also
writes its session only while the password it checked is still the stored one, so a login
racing a reset cannot leave a session behind.
"""

import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.dispatch import receiver
from django.utils.crypto import salted_hmac

from accounts import clock, conf, documents, store
from accounts.core.client import current_request
from accounts.core.digests import MAX_TOKEN_LENGTH, IssuedToken, digest, new_secret
from accounts.errors import ExpiredToken, InvalidCredentials, InvalidToken
from accounts.models import User, password_rehashed, sessions_invalidated

SEPARATOR = "."
USER_AGENT_MAX = 200
SESSION_ID_BYTES = 16


@dataclass(frozen=True)
class Session:
    """One live login, as its owner may see it (never its digest)."""

    id: str
    created_at: datetime
    expires_at: datetime
    user_agent: str
    reauth_at: datetime | None = None

    @classmethod
    def from_document(cls, document: dict) -> "Session":
        """Read one element of ``users.sessions``."""
        reauth_at = document.get("reauth_at")
        return cls(
            id=document["id"],
            created_at=aware(document["created_at"]),
            expires_at=aware(document["expires_at"]),
            user_agent=document.get("user_agent", ""),
            reauth_at=aware(reauth_at) if reauth_at is not None else None,
        )


def aware(value: datetime) -> datetime:
    """Return ``value`` as an aware UTC datetime (pymongo hands back naive UTC)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def password_binding(password_hash: str) -> str:
    """Return the keyed fingerprint of a password hash that sessions are bound to.

    Keyed (``SECRET_KEY``), so it says nothing about the hash to a reader of the
    database; changing ``SECRET_KEY`` therefore ends every session, as it does Django's.
    """
    return salted_hmac("accounts.session", password_hash, algorithm="sha256").hexdigest()


def clean_user_agent(value: str) -> str:
    """Keep a short, printable-ASCII version of a User-Agent header for the session list."""
    printable = "".join(ch if " " <= ch <= "~" else "?" for ch in value[: USER_AGENT_MAX * 2])
    return " ".join(printable.split())[:USER_AGENT_MAX]


def _request_user_agent() -> str:
    request = current_request()
    return clean_user_agent(request.META.get("HTTP_USER_AGENT", "")) if request else ""


def new_session(user, password_hash: str, user_agent: str = "") -> tuple[str, dict]:
    """Return a new token for ``user`` and the session document that stores its digest."""
    now = clock.now()
    token = f"{user.pk}{SEPARATOR}{new_secret()}"
    document = {
        "id": secrets.token_urlsafe(SESSION_ID_BYTES),
        "digest": digest(token),
        "created_at": now,
        "expires_at": now + timedelta(seconds=conf.get("AUTH_TOKEN_TTL")),
        "user_agent": user_agent,
        "binding": password_binding(password_hash),
    }
    return token, document


def issue(user) -> IssuedToken:
    """Start a session for ``user``, whose password was just checked against ``user.password``.

    Two single-document writes: drop the expired sessions, then add this one while
    the password is unchanged, keeping the newest ``AUTH_MAX_SESSIONS``. If the
    password changed (or the account was deactivated) since it was read, nothing is
    written and the login fails like a wrong password.
    """
    token, document = new_session(user, user.password, _request_user_agent())
    documents.pull_sessions(User, user.pk, {"expires_at": {"$lte": document["created_at"]}})
    if not documents.push_session(
        User, user.pk, user.password, document, conf.get("AUTH_MAX_SESSIONS")
    ):
        raise InvalidCredentials()
    return IssuedToken(token, document["expires_at"])


def authenticate(token: str):
    """Return ``(user, session)`` for a live token, in one ``find_one`` (SEC-09, SEC-12).

    Expiry, the active flag and the password binding are all checked on that one
    read, on every request: nothing is cached in the process.
    """
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise InvalidToken()
    account, _, secret = token.partition(SEPARATOR)
    pk = store.pk_from_text(account)
    if pk is None or not secret:
        raise InvalidToken()
    wanted = digest(token)
    found = documents.find_user(User, pk)
    if found is None:
        raise InvalidToken()
    user, stored = found
    document = None
    for candidate in stored:  # no early exit: the time does not say where it matched
        if hmac.compare_digest(candidate.get("digest", ""), wanted):
            document = candidate
    if document is None:
        raise InvalidToken()
    binding = password_binding(user.password or "")
    if not user.is_active or not hmac.compare_digest(document.get("binding", ""), binding):
        raise InvalidToken()
    session = Session.from_document(document)
    if session.expires_at <= clock.now():
        raise ExpiredToken()
    return user, session


def _live(document: dict, now: datetime, binding: str) -> bool:
    return aware(document["expires_at"]) > now and hmac.compare_digest(
        document.get("binding", ""), binding
    )


def list_sessions(user) -> list[Session]:
    """Return ``user``'s live sessions, newest first."""
    now, binding = clock.now(), password_binding(user.password or "")
    stored = documents.read_sessions(User, user.pk)
    live = [Session.from_document(d) for d in stored if _live(d, now, binding)]
    return sorted(live, key=lambda session: session.created_at, reverse=True)


def revoke_session(user, session_id: str) -> bool:
    """End ``user``'s live session ``session_id``; ``False`` if it is not one of theirs."""
    if not isinstance(session_id, str) or not 0 < len(session_id) <= 64:
        return False
    condition = {
        "id": session_id,
        "expires_at": {"$gt": clock.now()},
        "binding": password_binding(user.password or ""),
    }
    return documents.pull_sessions(User, user.pk, condition) == 1


def stamp_reauthentication(user, session_id: str, moment: datetime) -> bool:
    """Record on ``user``'s live session ``session_id`` that its owner re-authenticated at
    ``moment``; ``False`` if that session has ended meanwhile."""
    condition = {"id": session_id, "binding": password_binding(user.password or "")}
    return documents.set_in_sessions(User, user.pk, condition, {"reauth_at": moment})


def end_all_sessions(user) -> None:
    """End every session of ``user`` (logout-all, deactivation, SEC-14)."""
    documents.end_sessions(User, user.pk)


def store_password(user, password_hash: str) -> None:
    """Store a new password hash and end every session, in one update (SEC-15)."""
    documents.end_sessions(User, user.pk, password_hash)
    user.password = password_hash
    user._password = None


def rebind(user, old_hash: str) -> None:
    """Keep the sessions of ``old_hash`` alive across a hash upgrade of the same password.

    Django re-hashes a password when the hasher's settings change, at a login that
    proved the password; sessions issued under the old hash are the same person's.
    """
    old, new = password_binding(old_hash), password_binding(user.password)
    documents.rebind_sessions(User, user.pk, user.password, old, new)


# The model tells; the sessions act (accounts.models cannot import this module: it is below it).
@receiver(sessions_invalidated, dispatch_uid="accounts.sessions.end_all")
def _end_all_on_new_password(sender, user, **kwargs) -> None:
    end_all_sessions(user)


@receiver(password_rehashed, dispatch_uid="accounts.sessions.rebind")
def _rebind_on_rehash(sender, user, old_hash, **kwargs) -> None:
    rebind(user, old_hash)
