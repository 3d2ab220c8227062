"""The account after sign-up: its profile, email change and deletion.

Plain functions of a user and plain values, so views, the admin and project code call the
same thing; ``accounts.auth.flows`` keeps the seed's flows. Each raises an ``AuthError``
subclass with a human message on failure.

Transactions are no-ops on MongoDB without a replica set, so every change that
must happen once or not at all is one conditional single-document update or a
unique index (SEC-42, SEC-45).
"""

from django.db import DatabaseError

from accounts import clock, store
from accounts.auth import links
from accounts.core.audit import security_event
from accounts.core.client import client_bucket
from accounts.core.identifiers import canonical_key, clean_email
from accounts.documents import is_duplicate_key
from accounts.errors import AlreadyTaken, InvalidInput, InvalidLink
from accounts.mail import outbox
from accounts.mail.emails import (
    AccountDeletedEmail,
    EmailChangedEmail,
    EmailChangeEmail,
    EmailChangeRequestedEmail,
    EmailChangeTakenEmail,
    UsernameChangedEmail,
)
from accounts.models import LinkToken, MfaChallenge, PasskeyChallenge, User, profile
from accounts.security import throttling


def username_taken() -> AlreadyTaken:
    return AlreadyTaken("That username is already taken.", code="username_taken")


def email_taken() -> AlreadyTaken:
    return AlreadyTaken("An account with that email address already exists.", code="email_taken")


# --- Profile ----------------------------------------------------------------------
def update_profile(user: User, changes: dict) -> User:
    """Set the profile fields ``changes`` names (``User.PROFILE_FIELDS``) on ``user``.

    Each value is checked and cleaned by its model field (``accounts.models.profile``); a new
    username follows registration's rules: allowlist, length, and no other account's name in
    another spelling (``ALICE``) or a look-alike (``аlice``, SEC-29). Nothing is written
    unless every value passes, and then one update writes them all.

    Throttled per account and per IP before anything is looked up; a rename is mailed to the
    account's address (SEC-57). The caller has re-authenticated (SEC-55).
    """
    values = profile.clean(user, changes)
    throttling.hit("profile_ip", client_bucket())
    throttling.hit("profile_account", throttling.account_key(user))
    changed = {name: value for name, value in values.items() if getattr(user, name) != value}
    if not changed:
        return user
    old_username = user.username
    if "username" in changed and User.objects.username_taken(changed["username"], user.pk):
        raise username_taken()
    before = {name: getattr(user, name) for name in changed}
    for name, value in changed.items():
        setattr(user, name, value)
    try:
        user.save(update_fields=list(changed))
    except DatabaseError as exc:
        for name, value in before.items():
            setattr(user, name, value)
        user.set_keys()
        if not is_duplicate_key(exc):
            raise
        raise username_taken() from None  # another account took the name meanwhile
    if "username" in changed:
        security_event("username_changed", user=user.pk)
        UsernameChangedEmail(user, old_username=old_username).send()
    return user


def change_username(user: User, new_username: str) -> User:
    """Rename ``user`` (``update_profile`` with the username alone)."""
    return update_profile(user, {"username": new_username})


# --- Email change (SEC-48) -----------------------------------------------------------
def request_email_change(user: User, new_email: str) -> None:
    """Ask to move ``user`` to ``new_email``: the same answer whether or not it is taken.

    The throttles count first. The rest is an outbox task (``mail_email_change``), so the
    request does the same work either way (SEC-58): a free address gets a one-time link
    and a taken one a notice that someone tried, never a link; the current address is told
    in both cases. Nothing changes on the account until the link is opened. The caller has
    re-authenticated (SEC-55, SEC-47).
    """
    new_email = clean_email(new_email, "new_email")
    new_key = canonical_key(new_email)
    # Mail goes to the account's address and to one typed in: both are throttled, per /64.
    throttling.hit("email_ip", client_bucket())
    throttling.hit("email_account", user.email_key)
    throttling.hit("email_account", new_key)
    if new_key == user.email_key:
        raise InvalidInput("That is already your email address.", code="email_unchanged")
    outbox.enqueue_task("email_change", user=str(user.pk), new_email=new_email)
    security_event("email_change_requested", user=user.pk)


@outbox.register_task("email_change")
def mail_email_change(user: str, new_email: str) -> None:
    """Mail the link (or, for a taken address, the notice) and tell the current address.

    Run by the sender. The link is bound to the account, its current address, its password
    and the new address, so any of them changing first kills it; asking again replaces an
    earlier link.
    """
    account = User.objects.filter(pk=store.pk_from_text(user)).first()
    if account is None or not account.is_active:
        return
    owner = User.objects.filter(email_key=canonical_key(new_email)).exclude(pk=account.pk).first()
    if owner is not None:
        EmailChangeTakenEmail(owner).send()
        security_event("email_change_to_taken_address", user=account.pk, owner=owner.pk)
    else:
        links.revoke_links(account, LinkToken.EMAIL_CHANGE)
        issued = links.issue_link(account, LinkToken.EMAIL_CHANGE, new_email)
        if not EmailChangeEmail(account, issued, new_email).send():
            links.withdraw_link(issued.token)  # undelivered: no usable half-state (SEC-44)
            return
    EmailChangeRequestedEmail(account, new_email).send()


def confirm_email_change(token: str) -> User:
    """Move the account to the address its link was sent to; mark it verified.

    Of racing confirmations exactly one succeeds (the link is consumed by one
    conditional update), and the address moves only if it is still the one the
    link was bound to. Outstanding verify, email-change and reset links are revoked,
    and the old address is told.
    """
    throttling.hit("link_ip", client_bucket())
    link = links.find_link(token, LinkToken.EMAIL_CHANGE)
    user = link.user
    old_email, old_key, new_email = user.email, user.email_key, link.new_email
    new_key = canonical_key(new_email)
    if User.objects.filter(email_key=new_key).exclude(pk=user.pk).exists():
        raise email_taken()
    links.consume_link(link)
    now = clock.now()
    try:
        moved = User.objects.filter(pk=user.pk, email_key=old_key, password=user.password).update(
            email=new_email, email_key=new_key, email_verified=True, email_verified_at=now
        )
    except DatabaseError as exc:
        if not is_duplicate_key(exc):
            raise
        raise email_taken() from None
    if moved != 1:
        raise InvalidLink()  # the address or password changed after the link was read
    user.email, user.email_key = new_email, new_key
    user.email_verified, user.email_verified_at = True, now
    # Every other link goes: verify and change links, and reset links too, since they
    # were mailed to the old address, which no longer speaks for the account. This
    # one stays, used, so a second click says "already used" rather than "not valid".
    LinkToken.objects.filter(user=user).exclude(pk=link.pk).delete()
    EmailChangedEmail(user, old_email).send()
    security_event("email_changed", user=user.pk)
    return user


# --- Deletion --------------------------------------------------------------------------
def delete_account(user: User, *, by: str = "user") -> None:
    """Delete the account with its sessions and links, mail its address and log it.

    The sessions and passkeys live in the user's document, so they go with it in the same
    single-document delete; a login racing the deletion writes its session only into
    a document that still exists, so it either ends here too or fails (SEC-14).
    Django's cascade deletes the links, pending MFA logins and passkey challenges; they are
    swept once more afterwards for any that a racing request wrote meanwhile (an orphan finds no
    account and opens nothing, so an interruption leaves nothing usable either).
    """
    pk = user.pk
    User.objects.filter(pk=pk).delete()
    LinkToken.objects.filter(user_id=pk).delete()
    MfaChallenge.objects.filter(user_id=pk).delete()
    PasskeyChallenge.objects.filter(user_id=pk).delete()
    AccountDeletedEmail(user).send()
    security_event("account_deleted", user=pk, by=by)
