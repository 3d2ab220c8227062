"""``manage.py send_mail_worker``: deliver the outbox from a process of its own."""

import signal

from django.core.management.base import BaseCommand

from accounts.mail import outbox
from accounts.mail.sender import Sender


class Command(BaseCommand):
    help = (
        "Send queued mail until SIGTERM or SIGINT (for AUTH_MAIL_DELIVERY=worker, which turns "
        "the server processes' sender threads off). Several may run at once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="send what is due now, then exit (e.g. from cron)"
        )

    def handle(self, *args, once=False, **options):
        if once:
            handled = outbox.deliver_due()
            self.stdout.write(f"{handled} queued message(s) handled")
            return
        sender = Sender()
        for signum in (signal.SIGTERM, signal.SIGINT):
            # Finish the message in hand, then stop: nothing is cut off half-sent.
            signal.signal(signum, lambda *_: sender.stop())
        sender.run()
