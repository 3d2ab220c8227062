"""One queued email (``accounts.mail.outbox``)."""

from django.db import models

from accounts import clock


class OutboxMessage(models.Model):
    """One email waiting to be sent: written and claimed with raw MongoDB operations.

    ``accounts.mail.outbox`` explains the fields; the model is here so that migrations make the
    collection and its indexes and a test flush empties it. ``message`` is sealed
    (AES-GCM, ``accounts.core.sealing``), so the link token it carries is not stored in clear
    (SEC-54); the document is deleted as soon as the mail is sent.
    """

    message = models.TextField(editable=False)
    kind = models.CharField(max_length=64, editable=False)
    user = models.CharField(max_length=64, blank=True, editable=False)  # an id, for logs only
    link_digest = models.CharField(max_length=64, blank=True, editable=False)
    attempts = models.PositiveIntegerField(default=0, editable=False)
    lease = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    available_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        # Senders claim by ``available_at``; the health check reads the oldest ``created_at``.
        indexes = [
            models.Index(fields=["available_at"], name="outbox_available_at"),
            models.Index(fields=["created_at"], name="outbox_created_at"),
        ]

    def __str__(self):
        return f"{self.kind} mail, {self.attempts} attempts"
