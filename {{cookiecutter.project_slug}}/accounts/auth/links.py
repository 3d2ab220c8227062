"""One-time email links (verify, reset, change email): a 256-bit token each, stored as a digest.

A link is issued for one purpose and one account, bound to what it protects (the address it
was sent to, the password, or the address change asked for), used at most once by one
conditional update, and dead after its lifetime (SEC-16, SEC-17, SEC-42, SEC-48). Why
digests and not signed tokens: ``accounts.core.digests``.
"""

import hmac
from datetime import timedelta

from django.utils.crypto import salted_hmac

from accounts import clock, conf, documents
from accounts.core.digests import (
    MAX_TOKEN_LENGTH,
    IssuedToken,
    digest,
    new_secret,
    password_fingerprint,
)
from accounts.core.identifiers import canonical_key
from accounts.errors import ExpiredLink, InvalidLink, UsedLink
from accounts.models import LinkToken, User

LINK_KEPT_AFTER_EXPIRY = timedelta(days=7)


def email_change_fingerprint(user: User, new_email: str) -> str:
    """Return a keyed fingerprint of the account, its address now and the address asked for.

    An email-change link is bound to all three (SEC-48): if the account's address
    changes any other way first, the fingerprint no longer matches and the link dies.
    The password hash goes in too, so an owner who resets a stolen password also
    cancels the change the thief asked for. The result is hex: comparing it is a
    comparison of ASCII, whatever the addresses hold.
    """
    parts = [str(user.pk), user.email_key, canonical_key(new_email), user.password]
    value = "\x00".join(parts)
    return salted_hmac("accounts.email-change-link", value, algorithm="sha256").hexdigest()


def link_binding(user: User, purpose: str, new_email: str = "") -> str:
    """Return what a link of ``purpose`` is bound to for ``user`` right now."""
    if purpose == LinkToken.VERIFY:
        return user.email_key
    if purpose == LinkToken.EMAIL_CHANGE:
        return email_change_fingerprint(user, new_email)
    return password_fingerprint(user)


LINK_TTL_SETTING = {
    LinkToken.VERIFY: "AUTH_VERIFY_LINK_TTL",
    LinkToken.RESET: "AUTH_RESET_LINK_TTL",
    # Confirming a new address is verifying it: the same lifetime.
    LinkToken.EMAIL_CHANGE: "AUTH_VERIFY_LINK_TTL",
}


def issue_link(user: User, purpose: str, new_email: str = "") -> IssuedToken:
    """Create a one-time link token of ``purpose`` for ``user`` (to ``new_email`` for a change)."""
    token = new_secret()
    now = clock.now()
    expires_at = now + timedelta(seconds=conf.get(LINK_TTL_SETTING[purpose]))
    LinkToken.objects.create(
        digest=digest(token),
        purpose=purpose,
        user=user,
        binding=link_binding(user, purpose, new_email),
        new_email=new_email,
        created_at=now,
        expires_at=expires_at,
        purge_at=expires_at + LINK_KEPT_AFTER_EXPIRY,
    )
    return IssuedToken(token, expires_at)


def find_link(token: str, purpose: str) -> LinkToken:
    """Return the live link ``token`` of ``purpose``, or say why it cannot be used (SEC-16, 17)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise InvalidLink()
    wanted = digest(token)
    link = documents.find_with_user(LinkToken, User, {"digest": wanted, "purpose": purpose})
    if link is None or not hmac.compare_digest(link.digest, wanted):
        raise InvalidLink()
    if link.used_at is not None:
        raise UsedLink()
    if link.expires_at <= clock.now():
        raise ExpiredLink()
    # As bytes: compare_digest refuses a str that is not ASCII, and a verify link's binding
    # is the address key, which an internationalised address makes non-ASCII.
    bound_to = link_binding(link.user, purpose, link.new_email or "").encode()
    if not link.user.is_active or not hmac.compare_digest(link.binding.encode(), bound_to):
        raise InvalidLink()
    return link


def consume_link(link: LinkToken) -> None:
    """Mark ``link`` used; of racing requests exactly one gets past this line (SEC-42)."""
    if not documents.claim_link(LinkToken, link.pk, clock.now()):
        raise UsedLink()


def withdraw_link(token: str) -> None:
    """Delete the link ``token`` that was never delivered."""
    LinkToken.objects.filter(digest=digest(token)).delete()


def revoke_links(user: User, purpose: str) -> None:
    """Delete every outstanding link of ``purpose`` for ``user``."""
    LinkToken.objects.filter(user=user, purpose=purpose).delete()
