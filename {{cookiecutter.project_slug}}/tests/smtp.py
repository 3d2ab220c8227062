"""A real SMTP server on a local port (aiosmtpd) that records what it accepts and can stall."""

import asyncio
import email
import threading
import time

from aiosmtpd.controller import Controller

from devdb.server import free_port


class RecordingHandler:
    """Accept every message and keep it; ``delay`` stalls each DATA, ``hold`` stalls each MAIL."""

    def __init__(self):
        self.messages = []
        self.delay = 0.0
        self.released = threading.Event()
        self.released.set()
        self.mail_commands = 0

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.mail_commands += 1
        while not self.released.is_set():  # nothing accepted yet: a killed client sent nothing
            await asyncio.sleep(0.05)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        self.messages.append(email.message_from_bytes(envelope.content))
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

    def env(self, timeout: int = 10) -> dict:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.port),
            "EMAIL_TIMEOUT": str(timeout),
        }

    def stall(self, *, delay: float = 0.0, hold: bool = False) -> None:
        """Answer each DATA ``delay`` seconds late; with ``hold``, answer no MAIL until ``go``."""
        self.handler.delay = delay
        if hold:
            self.handler.released.clear()

    def go(self) -> None:
        self.handler.delay = 0.0
        self.handler.released.set()

    def wait_for(self, count: int, timeout: float) -> list:
        """Wait until ``count`` messages have arrived (or ``timeout`` runs out); return them."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return list(self.messages)

    def start(self) -> "SmtpServer":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.go()
        self.controller.stop()
