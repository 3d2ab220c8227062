"""Provider accounts linked to a user: an array in the user's document, found by one indexed read.

Why in the user's document: a social login needs the account and nothing else, and MongoDB's
rule is that data read together is stored together. ``users.social_identities`` is an array;
each element holds::

    id              opaque, random: GET social/identities, DELETE social/identities/<id>
    key             "<provider>\\x00<subject>", under a unique index: one account per
                    provider account
    provider        the provider's id in AUTH_SOCIAL_PROVIDERS (keep ids stable)
    subject         the provider's ``sub`` (GitHub: the numeric user id)
    email           the address the provider gave when it was linked ("" if none)
    email_verified  whether the provider said it had verified that address
    linked_at       when it was linked

What bounds it: ``MAX_IDENTITIES`` per account, checked by the update that adds one.

Why one ``key`` field rather than a unique index on ``provider`` and ``subject`` together:
over an array of subdocuments that is a compound multikey index, and SecantusDB indexes the
cartesian product of the two fields' values (an account holding (google, 1) and (github, 2)
also indexes (google, 2), so another account's real (google, 2) is refused); a single string
per element means exactly one provider account on any server. The index is partial (only
documents whose key is a string: migration 0010), since the accounts without any identity
would otherwise each index one null key, and collide. A unique index does not stop one
document repeating a value, so the update that adds an element also says the key is not there.
"""

import contextlib
import secrets
import time
from datetime import timedelta

from django.db import DatabaseError
from pymongo.errors import DuplicateKeyError

from accounts import clock, documents
from accounts.core.audit import security_event
from accounts.core.digests import digest
from accounts.core.identifiers import canonical_key, clean_email
from accounts.errors import InvalidInput
from accounts.models import SocialTicket, User
from accounts.social import usernames
from accounts.social.errors import AccountExists, EmailRequired

FIELD = "social_identities"
MAX_IDENTITIES = 10
CLAIM_TTL = 30  # seconds a first sign-in may take before another may try
RACE_WAITS, RACE_WAIT = 20, 0.05  # up to a second for a racing first sign-in's account
ID_BYTES = 12


def find_account(profile) -> User | None:
    """Return the account ``profile``'s provider account is linked to: one indexed read."""
    return documents.find_one(User, {f"{FIELD}.key": profile.key})


def new_identity(profile) -> dict:
    """Return the element that links ``profile``'s provider account to an account."""
    return {
        "id": secrets.token_urlsafe(ID_BYTES),
        "key": profile.key,
        "provider": profile.provider,
        "subject": profile.subject,
        "email": profile.email,
        "email_verified": profile.email_verified,
        "linked_at": clock.now(),
    }


def add(user: User, identity: dict) -> bool:
    """Link ``identity`` to ``user``; ``False`` if it already is or the account is full.

    Raises ``AccountExists`` when another account holds it: the unique index says so.
    """
    where = {
        f"{FIELD}.key": {"$ne": identity["key"]},
        f"{FIELD}.{MAX_IDENTITIES - 1}": {"$exists": False},
    }
    try:
        added = documents.update_where(User, user.pk, where, {"$push": {FIELD: identity}})
    except DuplicateKeyError:
        raise AccountExists() from None
    user.__dict__.pop(FIELD, None)  # User.social_identities reads the array again when asked
    return added


def remove(user: User, identity_id: str, seen: list[dict]) -> bool:
    """Unlink ``identity_id`` if the account still holds exactly the identities ``seen``.

    The caller decided from ``seen`` (and the password read with it) that another way in
    remains: the update applies only while both are unchanged, so two racing unlinks of an
    account's last two identities cannot both succeed.
    """
    where = {
        "password": user.password,
        FIELD: {"$size": len(seen)},
        f"{FIELD}.id": {"$all": [identity["id"] for identity in seen]},
    }
    removed = documents.update_where(User, user.pk, where, {"$pull": {FIELD: {"id": identity_id}}})
    user.__dict__.pop(FIELD, None)
    return removed


def public(identity: dict) -> dict:
    """Return what GET social/identities shows of an identity (no key, no subject)."""
    return {
        "id": identity["id"],
        "provider": identity["provider"],
        "email": identity.get("email", ""),
        "linked_at": clock.iso(identity["linked_at"]),
    }


@contextlib.contextmanager
def first_sign_in(profile):
    """Let one request at a time make the account of a provider account new here.

    Yields ``None`` to the request that may make it; to any request racing it (a double tap
    in an app), the account that one made, once it exists. The claim is a ``SocialTicket``
    whose digest names the provider account, under the unique digest index: racing inserts,
    one wins. It ends with the request, or expires if the request died holding it.
    """
    claim, now = digest(f"claim\x00{profile.key}"), clock.now()
    SocialTicket.objects.filter(digest=claim, expires_at__lte=now).delete()  # a dead holder's
    try:
        SocialTicket.objects.create(
            digest=claim,
            purpose="claim",
            provider=profile.provider,
            created_at=now,
            expires_at=now + timedelta(seconds=CLAIM_TTL),
        )
    except DatabaseError as exc:
        if not documents.is_duplicate_key(exc):
            raise
        yield _made_by_another(profile)
        return
    try:
        yield None
    finally:
        SocialTicket.objects.filter(digest=claim).delete()


def _made_by_another(profile) -> User:
    """Return the account a racing request is making for ``profile`` (within a second)."""
    for _ in range(RACE_WAITS):
        if (made := find_account(profile)) is not None:
            return made
        time.sleep(RACE_WAIT)
    raise AccountExists()


def create_account(profile) -> User:
    """Make a new account for ``profile``: a free username, its address, no usable password.

    Two writes: the account (the ORM's insert, under the unique name and address indexes),
    then its identity; the caller holds ``first_sign_in``, so no other sign-in of this
    provider account runs between them. If its identity is linked elsewhere meanwhile (a
    racing link), the account is deleted again (nothing knows it yet).
    """
    try:
        email = clean_email(profile.email) if profile.email else ""
    except InvalidInput:
        email = ""
    if not email:
        raise EmailRequired()
    for username in usernames.candidates(profile):
        if usernames.taken(username):
            continue
        user = User(username=username, email=email, email_verified=profile.email_verified)
        user.email_verified_at = clock.now() if profile.email_verified else None
        user.set_unusable_password()  # POST reset sets one, through the address
        try:
            user.save(force_insert=True)
        except DatabaseError as exc:
            if not documents.is_duplicate_key(exc):
                raise
            if User.objects.filter(email_key=canonical_key(email)).exists():
                raise AccountExists() from None  # registered meanwhile, with this address
            continue  # lost a race for this name: the next one
        try:
            add(user, new_identity(profile))
        except AccountExists:
            User.objects.filter(pk=user.pk).delete()
            raise
        security_event("social_account_created", user=user.pk, provider=profile.provider)
        return user
    raise AccountExists()  # every candidate taken, even the random ones: not in practice
