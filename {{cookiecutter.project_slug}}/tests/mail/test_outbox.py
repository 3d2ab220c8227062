"""The outbox in one process: queued by one insert, sealed at rest, leased, retried, given up.

Requests only queue here (the ``queued_mail`` fixture) and each test runs the sender by
hand, moving the clock instead of sleeping. Real SMTP servers and real server processes
are in ``test_mail_delivery.py``.
"""

import io
import json
import logging
import threading
import time

import pytest
from django.core.management import call_command

from accounts import store
from accounts.core import sealing
from accounts.mail import envelope, outbox, sender
from accounts.models import LinkToken, OutboxMessage
from devdb.server import free_port
from tests.conftest import kinds, link_token_from

pytestmark = pytest.mark.usefixtures("queued_mail")


def queued() -> list[dict]:
    return list(store.collection(OutboxMessage).find())


def dump_database() -> str:
    """Every document of every collection, as one string: what a stolen dump would show."""
    database = store.database()
    return json.dumps(
        {name: list(database[name].find()) for name in database.list_collection_names()},
        default=str,
    )


def smtp_nowhere(settings):
    """Point mail at a local port nothing listens on: every send fails at once."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2


def test_sec53_a_reset_request_only_queues_one_task_and_sends_nothing(api, user, mailoutbox):
    response = api.post("reset", {"email": "alice@example.org"})
    assert response.status_code == 200
    assert mailoutbox == [] and not LinkToken.objects.exists()
    (document,) = queued()
    assert (document["task"], document["kind"], document["user"]) == ("reset", "reset_task", "")

    assert outbox.deliver_due() == 2  # the task, then the email it became
    assert len(mailoutbox) == 1 and queued() == []
    token = link_token_from(mailoutbox[0])
    response = api.put(f"reset?a={token}", {"new_password": "tidal-ember-quartz-willow"})
    assert response.status_code == 200


def test_sec24_sec53_the_request_does_the_same_for_an_unknown_address(
    api, user, mailoutbox, caplog
):
    caplog.set_level(logging.INFO, logger="accounts.security")
    api.post("reset", {"email": "alice@example.org"})
    api.post("reset", {"email": "nobody@example.org"})
    known, unknown = queued()
    assert known.keys() == unknown.keys()
    assert [known[k] for k in ("task", "kind", "user", "link_digest", "attempts")] == [
        unknown[k] for k in ("task", "kind", "user", "link_digest", "attempts")
    ]

    outbox.deliver_due()
    assert [m.to for m in mailoutbox] == [["alice@example.org"]] and queued() == []
    asked = [r.getMessage() for r in caplog.records if "event=reset_requested" in r.getMessage()]
    assert len(asked) == 2 and all("ip=127.0.0.1" in line for line in asked)
    assert "user=unknown" in asked[1]


def queue_verify(api, token) -> dict:
    assert api.post("verify", token=token).status_code == 201
    (document,) = queued()
    return document


def test_sec54_a_database_dump_while_mail_waits_holds_no_link_token(
    api, token, settings, mailoutbox, clock
):
    smtp_nowhere(settings)
    api.post("verify", token=token)
    api.post("reset", {"email": "alice@example.org"})
    outbox.deliver_due()  # the reset task becomes its email; both sends fail: they wait
    assert len(queued()) == 2 and LinkToken.objects.count() == 2
    dump = dump_database()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    clock.advance(seconds=settings.AUTH_OUTBOX_RETRY_SECONDS)
    outbox.deliver_due()
    links = [link_token_from(message) for message in mailoutbox]
    assert len(links) == 2
    for link in links:
        assert link not in dump


def opens_as_the_verify_email(document) -> bool:
    message = envelope.open_message(document)
    return kinds([message]) == ["verify"] and bool(link_token_from(message))


def test_sec54_a_sealed_message_opens_only_under_its_own_id_and_key(api, token, settings):
    document = queue_verify(api, token)
    assert opens_as_the_verify_email(document)

    with pytest.raises(sealing.SealError):  # moved into another document
        envelope.open_message({**document, "_id": "another"})
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-rotated-secret-key-" + "x" * 40
    with pytest.raises(sealing.SealError):
        envelope.open_message(document)
    settings.SECRET_KEY_FALLBACKS = [old_key]  # a rotation keeps the old key as a fallback
    assert opens_as_the_verify_email(document)


def test_a_message_no_key_opens_is_given_up_with_its_link(api, token, settings, caplog):
    queue_verify(api, token)
    assert LinkToken.objects.count() == 1
    settings.SECRET_KEY = "a-rotated-secret-key-" + "x" * 40

    outbox.deliver_due()
    assert queued() == [] and not LinkToken.objects.exists()
    assert any(
        "event=email_failed" in r.getMessage() and "error=unreadable" in r.getMessage()
        for r in caplog.records
    )


def test_a_claimed_message_is_claimed_again_only_after_its_lease(api, token, settings, clock):
    settings.AUTH_OUTBOX_LEASE_SECONDS = 60
    queue_verify(api, token)
    first = outbox.claim()
    assert first is not None and first["attempts"] == 1
    assert outbox.claim() is None  # held: no second sender gets it

    clock.advance(seconds=59)
    assert outbox.claim() is None
    clock.advance(seconds=2)  # the first sender died holding it
    again = outbox.claim()
    assert again["_id"] == first["_id"] and again["attempts"] == 2
    assert again["lease"] != first["lease"]


def test_a_sender_that_lost_its_lease_leaves_the_new_holders_message_alone(api, token, clock):
    queue_verify(api, token)
    stale = outbox.claim()
    clock.advance(seconds=outbox.conf.get("AUTH_OUTBOX_LEASE_SECONDS") + 1)
    current = outbox.claim()
    outbox.retry_later(stale, "TimeoutError")  # the stale holder may no longer reschedule it
    (document,) = queued()
    assert document["lease"] == current["lease"]


def test_a_task_becomes_its_email_in_place_so_a_sender_killed_after_cannot_send_twice(
    api, user, mailoutbox, clock
):
    api.post("reset", {"email": "alice@example.org"})
    (task,) = queued()
    assert outbox.deliver(outbox.claim()) is True  # ran the task; "killed" before sending
    (email,) = queued()
    assert email["_id"] == task["_id"] and "task" not in email and email["kind"] == "reset"
    assert email["created_at"] == task["created_at"]  # the health check counts from the request

    clock.advance(seconds=outbox.conf.get("AUTH_OUTBOX_LEASE_SECONDS") + 1)
    outbox.deliver_due()
    assert len(mailoutbox) == 1 and queued() == [] and LinkToken.objects.count() == 1


def test_a_retry_keeps_the_message_id(api, token, settings, mailoutbox, clock):
    smtp_nowhere(settings)
    document = queue_verify(api, token)
    message_id = envelope.open_message(document).extra_headers["Message-ID"]
    assert outbox.deliver_due() == 1 and len(queued()) == 1  # failed, kept for a retry

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    clock.advance(seconds=settings.AUTH_OUTBOX_RETRY_SECONDS)
    outbox.deliver_due()
    assert mailoutbox[-1].extra_headers["Message-ID"] == message_id
    assert queued() == []


def test_send_mail_worker_once_sends_what_is_due(api, user, mailoutbox):
    api.post("reset", {"email": "alice@example.org"})
    output = io.StringIO()
    call_command("send_mail_worker", "--once", stdout=output)
    assert len(mailoutbox) == 1 and queued() == []
    assert output.getvalue().startswith("2 queued")


def test_any_email_class_goes_through_the_outbox(user, mailoutbox):
    from accounts.mail.emails import PasswordChangedEmail

    assert PasswordChangedEmail(user).send() is True
    assert mailoutbox == [] and queued()[0]["kind"] == "password_changed"
    assert queued()[0]["link_digest"] == ""  # no link to withdraw
    outbox.deliver_due()
    assert mailoutbox[0].to == ["alice@example.org"]


def test_sync_delivery_sends_inside_the_request(api, user, settings, mailoutbox):
    settings.AUTH_MAIL_DELIVERY = "sync"
    api.post("reset", {"email": "alice@example.org"})
    assert len(mailoutbox) == 1 and queued() == []


@pytest.mark.django_db(transaction=True)
def test_the_sender_thread_runs_once_per_process_and_stops_cleanly(
    api, user, settings, mailoutbox, caplog
):
    caplog.set_level(logging.INFO, logger="accounts.outbox")
    settings.AUTH_MAIL_DELIVERY = "thread"
    started = sender.start_in_background()
    try:
        assert sender.start_in_background() is started  # once per process
        threads = [t for t in threading.enumerate() if t.name == "outbox-sender"]
        assert len(threads) == 1 and threads[0].daemon

        api.post("reset", {"email": "alice@example.org"})  # wakes the thread: no poll wait
        deadline = time.monotonic() + 10
        while (not mailoutbox or queued()) and time.monotonic() < deadline:
            time.sleep(0.02)  # sent, then deleted: wait for both
        assert len(mailoutbox) == 1 and queued() == []
    finally:
        sender.stop_background()
    assert not threads[0].is_alive()
    assert any("outbox sender stopped" in r.getMessage() for r in caplog.records)


def test_no_sender_thread_when_delivery_is_left_to_the_worker(settings):
    settings.AUTH_MAIL_DELIVERY = "worker"
    assert sender.start_in_background() is None
    assert not any(t.name == "outbox-sender" for t in threading.enumerate())
