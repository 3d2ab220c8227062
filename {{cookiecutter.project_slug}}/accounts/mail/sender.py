"""The sender that empties the outbox: a thread in each server process, or a process of its own.

With ``AUTH_MAIL_DELIVERY = "thread"`` (the default) ``config/wsgi.py`` starts one
daemon thread per server process, so ``make run`` and gunicorn need nothing more:

- once per process: the thread is keyed by process id. Threads do not survive
  ``fork``, and one running across it could leave a lock held in the child, so when
  a process that sends forks (gunicorn ``--preload``) its thread is stopped first and
  parent and child each start their own after. runserver's autoreloader imports the
  WSGI application only in the child that serves, so only that one sends;
- stopped cleanly at exit: gunicorn turns SIGTERM into a normal exit, and an
  ``atexit`` hook lets the thread finish the message in hand and stop (a message it
  could not finish is claimed again after its lease).

``manage.py send_mail_worker`` runs the same loop in the foreground instead, stopping
on SIGTERM or SIGINT, for ``AUTH_MAIL_DELIVERY = "worker"``. Any number of senders may
run at once: leases keep them from sending one message twice.
"""

import atexit
import logging
import os
import threading

from django.core.signals import request_started
from django.db import connections

from accounts import conf
from accounts.mail import outbox

log = logging.getLogger("accounts.outbox")
MAX_IDLE_SECONDS = 60  # the longest wait between polls while the database is down


class Sender:
    """Deliver due mail until stopped; sleep ``AUTH_OUTBOX_POLL_SECONDS`` when none is due."""

    def __init__(self):
        self.stopping = threading.Event()
        self.woken = threading.Event()

    def run(self) -> None:
        log.info("outbox sender started (pid %s)", os.getpid())
        failures = 0
        try:
            while not self.stopping.is_set():
                try:
                    handled = outbox.deliver_due(should_stop=self.stopping.is_set)
                    failures = 0
                except Exception:  # the database is down, most likely: keep trying, quietly
                    if failures == 0:
                        log.warning("outbox sender cannot reach the queue", exc_info=True)
                    failures += 1
                    handled = 0
                if not handled:
                    poll = conf.get("AUTH_OUTBOX_POLL_SECONDS")
                    self.woken.wait(min(poll * (1 + failures), MAX_IDLE_SECONDS))
                    self.woken.clear()
        finally:
            connections.close_all()  # this thread's own connections
            log.info("outbox sender stopped (pid %s)", os.getpid())

    def wake(self) -> None:
        """Look for mail now rather than at the next poll."""
        self.woken.set()

    def stop(self) -> None:
        """Ask the loop to stop after the message in hand."""
        self.stopping.set()
        self.woken.set()


_lock = threading.Lock()
_running: dict = {"pid": None, "sender": None, "thread": None}


def start_in_background() -> Sender | None:
    """Start this process's sender thread, unless it runs already or delivery is not ``thread``."""
    if _running["pid"] == os.getpid():
        return _running["sender"]
    if conf.get("AUTH_MAIL_DELIVERY") != "thread":
        return None
    outbox.on_queued(wake)
    with _lock:
        if _running["pid"] != os.getpid():
            sender = Sender()
            thread = threading.Thread(target=sender.run, name="outbox-sender", daemon=True)
            thread.start()
            _running.update(pid=os.getpid(), sender=sender, thread=thread)
    return _running["sender"]


def stop_background(timeout: float | None = None) -> None:
    """Stop this process's sender thread and wait for it (at most ``EMAIL_TIMEOUT`` + 5 s)."""
    if _running["pid"] != os.getpid():
        return
    from django.conf import settings

    _running["sender"].stop()
    _running["thread"].join(timeout if timeout is not None else settings.EMAIL_TIMEOUT + 5)
    _running.update(pid=None, sender=None, thread=None)


def wake() -> None:
    """Tell this process's sender, if it has one, that mail was just queued."""
    if _running["pid"] == os.getpid():
        _running["sender"].wake()


def _start_on_request(**kwargs) -> None:
    start_in_background()


def _before_fork() -> None:
    # A thread running across fork() may hold a lock the child then waits on forever:
    # stop it first (after the message in hand), and start one again on each side.
    _resume["after_fork"] = _running["pid"] == os.getpid()
    if _resume["after_fork"]:
        stop_background()


def _after_fork() -> None:
    if _resume["after_fork"]:
        start_in_background()


_resume = {"after_fork": False}


def serve_from_this_process() -> None:
    """Run the sender thread in this server process and in the processes forked from it."""
    start_in_background()
    if not getattr(serve_from_this_process, "hooked", False):
        serve_from_this_process.hooked = True
        atexit.register(stop_background)
        os.register_at_fork(
            before=_before_fork, after_in_parent=_after_fork, after_in_child=_after_fork
        )
        # Should a fork escape the hooks above, the child starts its sender at its first request.
        request_started.connect(_start_on_request, dispatch_uid="accounts.mail.sender.start")
