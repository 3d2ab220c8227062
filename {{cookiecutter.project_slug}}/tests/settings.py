"""Test settings: the real settings with plain HTTP and a cheaper bcrypt work factor."""

from config.settings import *  # noqa: F403

SECURE_SSL_REDIRECT = False
# Same algorithm (bcrypt over SHA-256) with fewer rounds, so hashes stay compatible.
PASSWORD_HASHERS = ["tests.hashers.FastBCryptSHA256PasswordHasher", *PASSWORD_HASHERS]  # noqa: F405
# A fixed MFA key, whatever the developer's .env holds (tests that need none override it).
AUTH_MFA_KEY = "test-mfa-key-0123456789abcdefghijklmnopqrstuvwxyz"
AUTH_MFA_KEY_PREVIOUS = ""
