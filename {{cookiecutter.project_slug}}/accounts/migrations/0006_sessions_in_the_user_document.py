"""Sessions move into the user's document (``accounts.sessions``); the token collection goes.

Tokens issued before this migration are not carried over: they have no account id in them,
so the one-read look-up cannot find them. Dropping the collection ends them, and users log
in again once (see docs/sessions.md).

No new index is needed: a session is read through its account's primary key, which the
token carries, and the primary key is always indexed.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_outbox")]

    operations = [migrations.DeleteModel(name="AuthToken")]
