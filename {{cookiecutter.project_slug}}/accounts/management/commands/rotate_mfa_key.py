"""``manage.py rotate_mfa_key``: re-seal every TOTP secret under the current ``AUTH_MFA_KEY``.

Rotation, without logging anyone out or turning MFA off:

1. set ``AUTH_MFA_KEY_PREVIOUS`` to the old key and ``AUTH_MFA_KEY`` to a new one,
   and restart (secrets under either key keep working meanwhile);
2. run this command (it is safe to run again, and while the app serves);
3. remove ``AUTH_MFA_KEY_PREVIOUS`` and restart.
"""

from django.core.management.base import BaseCommand, CommandError

from accounts import documents, store
from accounts.errors import MfaUnavailable
from accounts.mfa import totp
from accounts.models import User

SEALED_FIELDS = ("mfa_secret", "mfa_pending_secret")


class Command(BaseCommand):
    help = (
        "Re-seal every TOTP secret under AUTH_MFA_KEY (old ones open with AUTH_MFA_KEY_PREVIOUS)."
    )

    def handle(self, *args, **options):
        if not totp.key_configured():
            raise CommandError("AUTH_MFA_KEY is not set: there is no key to rotate to.")
        pk = User._meta.pk.column
        wanted = {"$or": [{field: {"$nin": ["", None]}} for field in SEALED_FIELDS]}
        projection = dict.fromkeys((pk, *SEALED_FIELDS), 1)  # djongo's pk is "id", not "_id"
        resealed = current = 0
        unreadable = []
        for document in store.collection(User).find(wanted, projection):
            user = User(pk=document[pk])  # the secret's context is the user id, nothing else
            for field in SEALED_FIELDS:
                sealed = document.get(field)
                if not sealed:
                    continue
                try:
                    fresh = totp.reseal_secret(user, sealed)
                except MfaUnavailable:
                    unreadable.append(f"{user.pk}.{field}")
                    continue
                if fresh is None:
                    current += 1
                # Only if unchanged since read: a set-up or turn-off meanwhile wins.
                elif documents.update_where(
                    User, user.pk, {field: sealed}, {"$set": {field: fresh}}
                ):
                    resealed += 1
        self.stdout.write(f"re-sealed {resealed}; already under the current key {current}")
        if unreadable:
            raise CommandError(
                f"{len(unreadable)} secret(s) open with neither AUTH_MFA_KEY nor "
                f"AUTH_MFA_KEY_PREVIOUS: {', '.join(unreadable[:20])}"
            )
