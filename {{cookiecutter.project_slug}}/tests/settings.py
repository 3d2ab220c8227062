"""Test settings: the real settings with plain HTTP, a cheaper bcrypt, no collected static files."""

import os
import sys

from config.settings import *  # noqa: F403

# The djongo variant's Django 3.1 imports distutils as it starts. setuptools' shim, on in any
# virtualenv that holds setuptools, answers with its own copy and imports all of setuptools and
# pkg_resources for it: 0.13 s of CPU in each of the dozens of Django processes the tests start.
# Python 3.11's own copy does the same job; those processes inherit this and use it.
if "distutils" in sys.modules and sys.version_info < (3, 12):
    os.environ.setdefault("SETUPTOOLS_USE_DISTUTILS", "stdlib")

SECURE_SSL_REDIRECT = False
# Same algorithm (bcrypt over SHA-256) with fewer rounds, so hashes stay compatible.
PASSWORD_HASHERS = ["tests.hashers.FastBCryptSHA256PasswordHasher", *PASSWORD_HASHERS]  # noqa: F405
# The one switch that keeps the suite deterministic: a request still queues its mail in the
# outbox (sealed, one insert), then sends it at once, so `mailoutbox` holds it when the
# request returns. Tests of the real sender set "worker" (the `queued_mail` fixture) or start
# server processes, which read config.settings and so run the sender thread.
AUTH_MAIL_DELIVERY = "sync"
# A fixed MFA key, whatever the developer's .env holds (tests that need none override it).
AUTH_MFA_KEY = "test-mfa-key-0123456789abcdefghijklmnopqrstuvwxyz"
AUTH_MFA_KEY_PREVIOUS = ""
# The suite never runs collectstatic (tests/test_static.py does, for gunicorn): plain storage,
# and WhiteNoise looks files up per request instead of scanning a STATIC_ROOT that is not there.
STATIC_STORAGE = "django.contrib.staticfiles.storage.StaticFilesStorage"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": STATIC_STORAGE}}  # noqa: F405
STATICFILES_STORAGE = STATIC_STORAGE
WHITENOISE_AUTOREFRESH = True
