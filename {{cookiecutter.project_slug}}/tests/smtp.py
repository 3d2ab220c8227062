"""A real SMTP server on a local port (aiosmtpd) that records what it accepts and can hold mail."""

import asyncio
import email
import threading

from aiosmtpd.controller import Controller

from devdb.server import free_port


class RecordingHandler:
    """Accept every message and keep it; while held, answer no MAIL command.

    Tests wait on ``changed`` for a MAIL command or a message rather than polling a list.
    """

    def __init__(self):
        self.messages = []
        self.mail_commands = 0
        self.released = threading.Event()
        self.released.set()
        self.changed = threading.Condition()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        with self.changed:
            self.mail_commands += 1
            self.changed.notify_all()
        while not self.released.is_set():  # nothing accepted yet: a killed client sent nothing
            await asyncio.sleep(0.05)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.changed:
            self.messages.append(email.message_from_bytes(envelope.content))
            self.changed.notify_all()
        return "250 Message accepted for delivery"


class SmtpServer:
    """aiosmtpd on ``127.0.0.1:<free port>``; ``env`` points a server process at it."""

    def __init__(self):
        self.handler = RecordingHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self) -> list:
        return self.handler.messages

    def env(self, timeout: float = 10) -> dict:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.port),
            "EMAIL_TIMEOUT": str(timeout),
        }

    def hold(self) -> None:
        """Accept connections but answer no MAIL command until ``go``: nothing gets through."""
        self.handler.released.clear()

    def go(self) -> None:
        self.handler.released.set()

    def _wait(self, condition, timeout: float) -> bool:
        with self.handler.changed:
            return self.handler.changed.wait_for(condition, timeout)

    def wait_for_mail_command(self, timeout: float) -> bool:
        """Wait until a client has begun sending (its MAIL command arrived)."""
        return self._wait(lambda: self.handler.mail_commands >= 1, timeout)

    def wait_for(self, count: int, timeout: float) -> list:
        """Wait until ``count`` messages have arrived (or ``timeout`` runs out); return them."""
        self._wait(lambda: len(self.messages) >= count, timeout)
        return list(self.messages)

    def start(self) -> "SmtpServer":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.go()
        self.controller.stop()
