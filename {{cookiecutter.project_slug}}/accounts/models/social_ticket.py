"""The one-time secrets of social login's redirect flow, stored as digests (``accounts.social``)."""

from django.conf import settings
from django.db import models

from accounts import clock
from accounts.core.identifiers import EMAIL_MAX


class SocialTicket(models.Model):
    """One step of a redirect to a provider and back: a digest, one use, a short life (SEC-62).

    The secret itself is never stored, only its SHA-256 ``digest``. A row is taken with one
    ``find_one_and_delete`` whose filter holds its purpose and expiry, so of racing requests
    exactly one gets it, and a used one is gone. A TTL index on ``expires_at`` tidies up.

    ``purpose`` says which step it is:

    - ``state``: the ``state`` sent to the provider (10 minutes). ``binding`` is the digest of
      the cookie that binds it to the browser that started; the ``nonce`` and the PKCE
      verifier are not stored at all but derived from the state with ``SECRET_KEY``.
    - ``ticket``: a start for an account already logged in (``intent`` ``link`` or
      ``reauth``), handed to it by an authenticated request (2 minutes).
    - ``code``: what the callback puts in the front end's URL fragment (60 seconds): for a
      login, the account it logs in; for a link or a re-authentication, the account and
      session that asked and the provider account that answered (``subject``, ``email``...),
      to be applied only when that same session posts it.
    - ``claim``: held while one request makes the account of a provider account that is new
      here, so racing first sign-ins make one (``accounts.social.identities.first_sign_in``).
    """

    STATE, TICKET, CODE = "state", "ticket", "code"
    LOGIN, LINK, REAUTH = "login", "link", "reauth"

    digest = models.CharField(max_length=64, unique=True, editable=False)
    purpose = models.CharField(max_length=8, editable=False)
    intent = models.CharField(max_length=8, default=LOGIN, editable=False)
    provider = models.CharField(max_length=32, editable=False)
    binding = models.CharField(max_length=64, blank=True, default="", editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.CASCADE,
        related_name="social_tickets",
        editable=False,
    )
    session_id = models.CharField(max_length=64, blank=True, default="", editable=False)
    next_path = models.CharField(max_length=200, blank=True, default="", editable=False)
    client_state = models.CharField(max_length=64, blank=True, default="", editable=False)
    subject = models.CharField(max_length=255, blank=True, default="", editable=False)
    email = models.EmailField(max_length=EMAIL_MAX, blank=True, default="", editable=False)
    email_verified = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    expires_at = models.DateTimeField(editable=False)

    def __str__(self):
        return f"social {self.purpose} ({self.provider})"
