"""A bcrypt-SHA256 hasher with the minimum work factor, for fast tests."""

from django.contrib.auth.hashers import BCryptSHA256PasswordHasher


class FastBCryptSHA256PasswordHasher(BCryptSHA256PasswordHasher):
    rounds = 4
