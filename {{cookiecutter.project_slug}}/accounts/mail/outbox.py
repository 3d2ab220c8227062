"""The outbox: a request queues its mail with one insert into MongoDB; a sender delivers it.

Why not send inside the request: a reset for an existing account then took longer
than one for an unknown address, which told strangers who has an account (SEC-24,
SEC-53); a slow SMTP server slowed the API; and a crash between issuing a link and
sending it lost the mail. MongoDB is the queue, so there is no broker to run.

One queued email is one document of ``accounts_outboxmessage``:

``message``        the whole email as JSON, sealed and bound to the document's ``_id``
                   (``accounts.mail.envelope``), so a database dump shows no link token (SEC-54)
``kind``, ``user`` which email, to which account (an id): for the logs
``link_digest``    digest of the link token the mail carries, if any: the link is
                   withdrawn when the mail is given up, so no link outlives its
                   undelivered mail (SEC-44)
``attempts``       claims so far
``available_at``   when a sender may claim it: at once when queued, the lease's end
                   while a sender holds it, the back-off's end after a failure
``lease``          random id of the claim in force: only its holder deletes or reschedules
``created_at``     when it was queued (the health check reports the oldest)

A document may instead hold a **task** (``task``: a name registered with
``@register_task``,
``message``: its sealed arguments): work the request must not do itself because its cost
would tell something, such as looking up whether an address has an account (SEC-24,
SEC-53). The sender runs it; an email it sends replaces the task in the same document, so a
sender killed mid-task can neither lose the email nor send it twice.

A claim is one ``find_one_and_update`` that moves ``available_at`` past the lease,
so two senders never hold one message, and a sender that dies leaves its message
to be claimed again once the lease runs out. The document is deleted as soon as the
SMTP server has accepted the mail. Delivery is therefore at least once, and exactly
once but for one window: a sender killed between the server's acceptance and the
delete (one round trip) sends that mail again, under the same ``Message-ID``.
"""

import contextvars
import json
import logging
import secrets
from datetime import UTC, timedelta
from types import SimpleNamespace

from bson import ObjectId
from django.core.mail.message import make_msgid
from pymongo import ReturnDocument

from accounts import clock, conf, store
from accounts.core import client, sealing
from accounts.core.audit import security_event
from accounts.mail import envelope
from accounts.models import LinkToken, OutboxMessage

log = logging.getLogger("accounts.outbox")
MAX_RETRY_SECONDS = 3600
# The tasks a queued document may name, registered by the code that defines them
# (``@register_task``): a fixed table, so the database cannot name any callable.
TASKS: dict = {}
# Called with no argument whenever mail is queued: the sender of this process listens.
_listeners: list = []
# The task document being run: the first email it queues takes that document over.
_running_task = contextvars.ContextVar("accounts_outbox_task", default=None)


def register_task(name: str):
    """Register the decorated function as the outbox task ``name`` (run later by a sender)."""

    def register(function):
        TASKS[name] = function
        return function

    return register


def on_queued(listener) -> None:
    """Call ``listener()`` each time mail is queued (``accounts.mail.sender`` wakes up)."""
    if listener not in _listeners:
        _listeners.append(listener)


def _queue(document: dict) -> None:
    """Insert ``document``, or write it over the task being run when it takes that one's id."""
    task = _running_task.get()
    if task is None or task.get("replaced") or task["_id"] != document["_id"]:
        store.collection(OutboxMessage).insert_one(
            {**document, **store.fields_for_raw_insert(OutboxMessage)}
        )
        return
    task["replaced"] = True
    # One write turns the task into its email: created_at stays, so age counts from the request.
    fields = {key: value for key, value in document.items() if key not in ("_id", "created_at")}
    store.collection(OutboxMessage).update_one(
        _held(task), {"$set": fields, "$unset": {"task": ""}}
    )


def _new_document(kind: str, payload: bytes, message_id, **fields) -> dict:
    now = clock.now()
    return {
        "_id": message_id,
        "message": envelope.seal(payload, message_id),
        "kind": kind,
        "user": "",
        "link_digest": "",
        "attempts": 0,
        "lease": "",
        "created_at": now,
        "available_at": now,
        **fields,
    }


def enqueue(message, *, kind: str, user="", link_digest: str = "") -> bool:
    """Queue ``message`` (a Django ``EmailMessage``) with one write, and return.

    Returns ``True`` once queued. With ``AUTH_MAIL_DELIVERY = "sync"`` it is sent at
    once, in one attempt, and ``False`` says that attempt failed (the mail was given up).
    """
    domain = message.from_email.rpartition("@")[2] or "localhost"
    # Fixed now, so a retry carries the same Message-ID and mail clients show it once.
    message.extra_headers.setdefault("Message-ID", make_msgid(domain=domain))
    task = _running_task.get()
    message_id = task["_id"] if task is not None and not task.get("replaced") else ObjectId()
    _queue(
        _new_document(
            kind, envelope.pack(message), message_id, user=str(user or ""), link_digest=link_digest
        )
    )
    return _after_queueing(message_id)


def enqueue_task(name: str, **arguments) -> None:
    """Queue the task ``name`` (see ``register_task``) with its arguments, sealed, in one insert."""
    if name not in TASKS:
        raise ValueError(f"unknown outbox task {name!r}")
    payload = json.dumps({"arguments": arguments, "ip": client.client_ip()}).encode()
    message_id = ObjectId()
    _queue(_new_document(f"{name}_task", payload, message_id, task=name))
    _after_queueing(message_id)


def _after_queueing(message_id) -> bool:
    if conf.get("AUTH_MAIL_DELIVERY") == "sync":
        claimed = claim(message_id)
        return claimed is not None and deliver(claimed, final=True)
    for listener in _listeners:
        listener()
    return True


def _run_task(document) -> None:
    """Run a task document's function with its arguments, logging with the asker's IP."""
    data = json.loads(envelope.unseal(document))
    asker = SimpleNamespace(META={"REMOTE_ADDR": data["ip"]})
    bound, running = client.bind(asker), _running_task.set(document)
    try:
        TASKS[document["task"]](**data["arguments"])
    finally:
        _running_task.reset(running)
        client.unbind(bound)
    if not document.get("replaced"):  # it queued no email: done
        store.collection(OutboxMessage).delete_one(_held(document))


def claim(message_id=None) -> dict | None:
    """Take the lease on the oldest due message (or on ``message_id``); ``None`` if none is due."""
    now = clock.now()
    query = {"available_at": {"$lte": now}}
    if message_id is not None:
        query["_id"] = message_id
    lease_ends = now + timedelta(seconds=conf.get("AUTH_OUTBOX_LEASE_SECONDS"))
    lease = secrets.token_hex(16)
    return store.collection(OutboxMessage).find_one_and_update(
        query,
        {"$set": {"available_at": lease_ends, "lease": lease}, "$inc": {"attempts": 1}},
        sort=[("available_at", 1)],
        return_document=ReturnDocument.AFTER,
    )


def _held(document) -> dict:
    """Match ``document`` only while this claim's lease is the one in force."""
    return {"_id": document["_id"], "lease": document["lease"]}


def deliver(document, *, final: bool = False) -> bool:
    """Send one claimed message: delete it once sent, else retry later or give it up."""
    if document["attempts"] > conf.get("AUTH_OUTBOX_MAX_ATTEMPTS"):
        # Claimed that often only if senders died holding it: never try it again.
        give_up(document, "abandoned")
        return False
    try:
        if document.get("task"):
            _run_task(document)
            return True
        message = envelope.open_message(document)
    except sealing.SealError:
        give_up(document, "unreadable")
        return False
    try:
        message.send()
    except Exception as exc:  # SMTP, DNS, socket: whatever the backend raises
        retry_later(document, type(exc).__name__, final=final)
        return False
    store.collection(OutboxMessage).delete_one(_held(document))
    log.info("sent %s mail of user %s", document["kind"], document["user"] or "-")
    return True


def retry_later(document, error: str, *, final: bool = False) -> None:
    """Back off after a failed send (the wait doubles each time), or give up after the last."""
    attempts = document["attempts"]
    if final or attempts >= conf.get("AUTH_OUTBOX_MAX_ATTEMPTS"):
        give_up(document, error)
        return
    delay = min(conf.get("AUTH_OUTBOX_RETRY_SECONDS") * 2 ** (attempts - 1), MAX_RETRY_SECONDS)
    rescheduled = store.collection(OutboxMessage).update_one(
        _held(document),
        {"$set": {"available_at": clock.now() + timedelta(seconds=delay), "lease": ""}},
    )
    if not rescheduled.matched_count:
        return  # the lease ran out and another sender holds the message now
    security_event(
        "email_deferred",
        level=logging.WARNING,
        kind=document["kind"],
        user=document["user"] or "-",
        attempts=attempts,
        retry_in=delay,
        error=error,
    )


def give_up(document, error: str) -> None:
    """Drop the message, withdraw its link first (a dead link, never an undelivered live one)."""
    if document.get("link_digest"):
        LinkToken.objects.filter(digest=document["link_digest"]).delete()
    store.collection(OutboxMessage).delete_one(_held(document))
    security_event(
        "email_failed",
        level=logging.ERROR,
        kind=document["kind"],
        user=document["user"] or "-",
        attempts=document["attempts"],
        error=error,
    )


def deliver_due(should_stop=lambda: False) -> int:
    """Claim and send due messages one at a time until none is due; return how many."""
    handled = 0
    while not should_stop():
        document = claim()
        if document is None:
            break
        deliver(document)
        handled += 1
    return handled


def stats() -> dict:
    """Return the queue's depth, its oldest message's age and whether either is past its limit."""
    collection = store.collection(OutboxMessage)
    depth = collection.count_documents({})
    oldest = collection.find_one({}, {"created_at": 1}, sort=[("created_at", 1)])
    age = 0.0
    if oldest is not None:
        created = oldest["created_at"]
        if created.tzinfo is None:  # pymongo hands back naive UTC unless told otherwise
            created = created.replace(tzinfo=UTC)
        age = max(0.0, (clock.now() - created).total_seconds())
    backlogged = depth > conf.get("AUTH_OUTBOX_HEALTH_MAX_DEPTH") or age > conf.get(
        "AUTH_OUTBOX_HEALTH_MAX_AGE"
    )
    return {
        "status": "backlogged" if backlogged else "ok",
        "depth": depth,
        "oldest_age_seconds": round(age, 1),
    }
