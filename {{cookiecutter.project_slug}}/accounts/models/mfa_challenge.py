"""The second step of a login: the ``mfa_token``, stored as a digest (``accounts.mfa``)."""

from django.conf import settings
from django.db import models

from accounts import clock


class MfaChallenge(models.Model):
    """The second step of a login with MFA on: the ``mfa_token``, stored as a digest (SEC-50).

    Made when the password was right; good for one use (``used_at`` set atomically
    by the request that completes the login), for ``mfa.flows.MFA_TOKEN_TTL`` seconds and
    for ``mfa.flows.MAX_WRONG_CODES`` tries (``failures``, each counted before its code is
    checked, so a racing guess cannot slip past the count). ``binding`` is the
    password fingerprint, so a password reset or change kills it. A TTL index on
    ``expires_at`` tidies up; expiry is checked on every use.
    """

    digest = models.CharField(max_length=64, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mfa_challenges"
    )
    binding = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    expires_at = models.DateTimeField(editable=False)
    failures = models.PositiveIntegerField(default=0, editable=False)
    used_at = models.DateTimeField(null=True, editable=False)

    def __str__(self):
        return f"MFA challenge of {self.user_id}"
