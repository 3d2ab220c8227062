"""A passkey ceremony's challenge, stored as a digest (``accounts.mfa.passkeys``)."""

from django.conf import settings
from django.db import models

from accounts import clock


class PasskeyChallenge(models.Model):
    """The random challenge one set of passkey options carries, until its answer comes (SEC-61).

    Only the SHA-256 of the challenge is stored: the browser sends the challenge back inside
    the signed ``clientDataJSON``, and its digest finds this row. A row is good for one answer
    (the request that takes it deletes it, and only the delete that removed it counts), for
    ``passkeys.challenges.TTL`` seconds, and only for its ``purpose`` and its ``user``: the
    options for a registration cannot complete a login, nor Bob's options Alice's
    re-authentication. A discoverable login has no user yet (``user`` is null, purpose
    ``login``). A TTL index on ``expires_at`` tidies up; expiry is checked on every use.
    """

    digest = models.CharField(max_length=64, unique=True, editable=False)
    purpose = models.CharField(max_length=16, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        related_name="passkey_challenges",
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)
    expires_at = models.DateTimeField(editable=False)

    def __str__(self):
        return f"passkey {self.purpose} challenge"
