"""One window of one throttle, shared by every worker (``accounts.security.throttling``)."""

from django.db import models


class ThrottleCounter(models.Model):
    """One fixed window of one throttle, shared by every worker through the database (SEC-27).

    Written only by one atomic upsert per hit (``accounts.security.throttling``); a TTL index
    on ``expires_at`` deletes windows that have ended. ``key`` is a digest, so
    usernames and addresses typed by strangers are not stored in clear.
    """

    key = models.CharField(max_length=64, unique=True, editable=False)
    scope = models.CharField(max_length=32, editable=False)
    hits = models.PositiveIntegerField(default=0, editable=False)
    expires_at = models.DateTimeField(editable=False)

    def __str__(self):
        return f"{self.scope}: {self.hits} until {self.expires_at:%H:%M:%S}"
