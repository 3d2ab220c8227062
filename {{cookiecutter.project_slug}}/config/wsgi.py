"""WSGI entry point: ``gunicorn config.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# Each server process sends the mail requests queue (AUTH_MAIL_DELIVERY=thread, the default).
from accounts.mail import sender  # noqa: E402 - needs the app registry get_wsgi_application set up

sender.serve_from_this_process()
