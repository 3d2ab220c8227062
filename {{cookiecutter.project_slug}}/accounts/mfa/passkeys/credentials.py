"""Passkeys stored in the user's own document: the ``passkeys`` array, and its writes.

Why in the user document: a passkey login must find the account and the passkey together,
and every request that shows ``mfa_methods`` reads that document anyway. Each element::

    id              opaque, random: how the API names it (rename, remove); not the credential id
    credential_id   base64url of the authenticator's credential id: unique across all accounts
                    (a unique multikey index, migration 0009), so a login finds its account in
                    one indexed ``find_one`` and no credential is ever registered twice
    public_key      the COSE public key (bytes) the signatures are checked with
    sign_count      the authenticator's counter at its last use (0: it keeps none)
    transports      how the browser may reach it (``internal``, ``hybrid``, ``usb``...)
    backup_eligible, backed_up  the authenticator's backup flags (a synced passkey, or not)
    aaguid          the authenticator model's id (zeros when it does not say)
    name            what the user calls it (at most ``NAME_MAX`` characters)
    created_at, last_used_at

What bounds it: at most ``MAX_PASSKEYS`` (20) per account, refused past that; an element is
under 2 KB (a credential id is at most 1,023 bytes), so the array stays under 40 KB.

Every write is one ``update_one`` whose filter carries its condition, so races are the
database's to decide: the unique index refuses a credential id another account holds, a
count update applies only over a smaller count, and the last factor is removed (with MFA
turned off) only while it is the last.
"""

import secrets
import unicodedata

from accounts import clock, documents
from accounts.errors import InvalidInput
from accounts.models import User

MAX_PASSKEYS = 20
NAME_MAX = 64
DEFAULT_NAME = "Passkey"
ID_BYTES = 12
NO_TOTP = {"mfa_secret": {"$in": ["", None]}}
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _unprintable(char: str) -> bool:
    # Controls, surrogates, private and unassigned code points, and the bidi overrides that
    # would make a name in a notice read backwards; a joiner (emoji sequences) is fine.
    return unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn") or char in BIDI_CONTROLS


def clean_name(value: str) -> str:
    """Return a passkey's name: NFKC, blanks collapsed, printable, 1 to ``NAME_MAX`` long."""
    name = " ".join(unicodedata.normalize("NFKC", value).split())
    if not name or len(name) > NAME_MAX or any(_unprintable(c) for c in name):
        message = f"'name' must be 1 to {NAME_MAX} printable characters."
        raise InvalidInput(message, code="invalid_field")
    return name


def new_element(verified, answer, name: str) -> dict:
    """Return the element that stores a just-verified registration."""
    now = clock.now()
    return {
        "id": secrets.token_urlsafe(ID_BYTES),
        "credential_id": answer.credential_id,
        "public_key": verified.credential_public_key,
        "sign_count": verified.sign_count,
        "transports": list(answer.transports),
        "backup_eligible": verified.credential_device_type == "multi_device",
        "backed_up": bool(verified.credential_backed_up),
        "aaguid": verified.aaguid,
        "name": name,
        "created_at": now,
        "last_used_at": None,
    }


def as_json(element: dict) -> dict:
    """Return a passkey as the API shows it (never its key or credential id)."""
    last = element.get("last_used_at")
    return {
        "id": element["id"],
        "name": element["name"],
        "created_at": clock.iso(clock.aware(element["created_at"])),
        "last_used_at": clock.iso(clock.aware(last)) if last is not None else None,
    }


def find(user: User, *, id: str | None = None, credential_id: str | None = None):  # noqa: A002
    """Return ``user``'s element with that ``id`` or ``credential_id``, or ``None``."""
    for element in user.passkeys:
        if (id is not None and element.get("id") == id) or (
            credential_id is not None and element.get("credential_id") == credential_id
        ):
            return element
    return None


def owner_of(credential_id: str) -> User | None:
    """Return the account holding ``credential_id``: one ``find_one`` on the unique index."""
    return documents.find_one(User, {"passkeys.credential_id": credential_id})


def _forget(user: User) -> None:
    user.__dict__.pop("passkeys", None)  # read again when next asked


def add(user: User, element: dict, recovery_digests: list[str] | None) -> bool:
    """Store ``element`` on ``user``; with ``recovery_digests``, as the account's first factor.

    First factor: MFA goes on with those recovery codes, only while it is still off. Either
    way only while the account holds fewer than ``MAX_PASSKEYS`` and not this credential.
    The unique index refuses a credential id another account holds (``DuplicateKeyError``).
    """
    where = {
        "passkeys.credential_id": {"$ne": element["credential_id"]},
        f"passkeys.{MAX_PASSKEYS - 1}": {"$exists": False},
    }
    update = {"$push": {"passkeys": element}}
    if recovery_digests is None:
        where["mfa_enabled"] = True
    else:
        where["mfa_enabled"] = {"$ne": True}
        update["$set"] = {"mfa_enabled": True, "mfa_recovery_codes": recovery_digests}
    added = documents.update_where(User, user.pk, where, update)
    if added and recovery_digests is not None:
        user.mfa_enabled, user.mfa_recovery_codes = True, recovery_digests
    _forget(user)
    return added


def rename(user: User, passkey_id: str, name: str) -> bool:
    """Rename ``user``'s passkey ``passkey_id``; ``False`` if it has none by that id."""
    renamed = documents.update_where(
        User,
        user.pk,
        {"passkeys.id": passkey_id},
        {"$set": {"passkeys.$.name": name}},
    )
    _forget(user)
    return renamed


def remove(user: User, passkey_id: str) -> str | None:
    """Remove ``user``'s passkey ``passkey_id``; return ``"removed"``, ``"mfa_off"`` (it was the
    last second factor: MFA is off and the recovery codes gone) or ``None`` (no such passkey).
    """
    pull = {"$pull": {"passkeys": {"id": passkey_id}}}
    others = {"$or": [{"mfa_secret": {"$nin": ["", None]}}, {"passkeys.1": {"$exists": True}}]}
    last = {**NO_TOTP, "passkeys.1": {"$exists": False}}
    off = {**pull, "$set": {"mfa_enabled": False, "mfa_recovery_codes": []}}
    outcome = None
    for _ in range(3):  # the two conditions cover every state; a race between them tries again
        if documents.update_where(User, user.pk, {"passkeys.id": passkey_id, **others}, pull):
            outcome = "removed"
            break
        if documents.update_where(User, user.pk, {"passkeys.id": passkey_id, **last}, off):
            user.mfa_enabled, user.mfa_recovery_codes = False, []
            outcome = "mfa_off"
            break
        if not any(
            e.get("id") == passkey_id for e in documents.read_array(User, user.pk, "passkeys")
        ):
            break
    _forget(user)
    return outcome


def record_use(user: User, element: dict, sign_count: int) -> bool:
    """Store a use of ``element`` at ``sign_count``: one update, only over a smaller count.

    The filter carries the comparison, so of two answers racing with one count only one
    applies; an authenticator that keeps no count (0, and 0 stored) may be used again.
    """
    counted = {"$lt": sign_count} if sign_count > 0 else 0
    where = {"passkeys": {"$elemMatch": {"id": element["id"], "sign_count": counted}}}
    changes = {"passkeys.$.sign_count": sign_count, "passkeys.$.last_used_at": clock.now()}
    return documents.update_where(User, user.pk, where, {"$set": changes})
