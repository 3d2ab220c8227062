"""One-time email links, stored as digests (``accounts.auth.links``)."""

from django.conf import settings
from django.db import models

from accounts import clock
from accounts.core.identifiers import EMAIL_MAX


class LinkToken(models.Model):
    """A one-time email link (verify, reset, change email): a digest, bound to its purpose.

    ``binding`` ties the link to what it protects: for a verify link, the
    canonical address it was sent to; for a reset link, a keyed fingerprint of
    the password hash, so the link dies as soon as the password changes; for an
    email-change link, a keyed fingerprint of the account, its current address, its
    password and ``new_email`` (the address asked for, which the link moves the account to).
    ``used_at`` is set atomically by the one request that consumes it.
    """

    VERIFY = "verify"
    RESET = "reset"
    EMAIL_CHANGE = "email_change"
    PURPOSES = [(VERIFY, "verify email"), (RESET, "reset password"), (EMAIL_CHANGE, "change email")]

    digest = models.CharField(max_length=64, unique=True, editable=False)
    purpose = models.CharField(max_length=16, choices=PURPOSES)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="link_tokens"
    )
    binding = models.CharField(max_length=800, editable=False)
    new_email = models.EmailField(max_length=EMAIL_MAX, blank=True, default="", editable=False)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    expires_at = models.DateTimeField(editable=False)
    used_at = models.DateTimeField(null=True, editable=False)
    # The TTL index deletes on this, a week after expiry, so an expired link still says so.
    purge_at = models.DateTimeField(editable=False)

    class Meta:
        indexes = [models.Index(fields=["user", "purpose"], name="linktoken_user_purpose")]

    def __str__(self):
        return f"{self.purpose} link of {self.user_id}"
