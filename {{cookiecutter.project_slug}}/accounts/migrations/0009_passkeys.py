"""Passkeys (``accounts.mfa.passkeys``): their challenges, and the index a passkey login reads.

The credentials live in the user's document, in an array the ORM does not know
(``passkeys``), so no field is added. Two indexes the ORM cannot express, made with pymongo
as in 0003:

- a unique multikey index on ``passkeys.credential_id``: a passkey login finds its account
  with one ``find_one`` on it, and no credential id is registered to two accounts. It is
  partial on ``{$exists: true}``, so the many accounts without a passkey (no array, or an
  empty one, whose key would be null for all of them) are not in it and cannot collide.
- a TTL index on the challenges' ``expires_at`` (expiry is still checked on every use).
"""

import accounts.clock
import accounts.store
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

CREDENTIAL_INDEX = "accounts_user_passkeys_credential_id_unique"


def create_indexes(apps, schema_editor):
    using = schema_editor.connection.alias
    users = accounts.store.collection(apps.get_model("accounts", "User"), using=using)
    users.create_index(
        "passkeys.credential_id",
        unique=True,
        partialFilterExpression={"passkeys.credential_id": {"$exists": True}},
        name=CREDENTIAL_INDEX,
    )
    model = apps.get_model("accounts", "PasskeyChallenge")
    accounts.store.collection(model, using=using).create_index(
        "expires_at", expireAfterSeconds=0, name=f"{model._meta.db_table}_expires_at_ttl"
    )


def drop_indexes(apps, schema_editor):
    using = schema_editor.connection.alias
    users = accounts.store.collection(apps.get_model("accounts", "User"), using=using)
    users.drop_index(CREDENTIAL_INDEX)
    model = apps.get_model("accounts", "PasskeyChallenge")
    accounts.store.collection(model, using=using).drop_index(
        f"{model._meta.db_table}_expires_at_ttl"
    )


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0008_admin_sessions_by_digest'),
    ]

    operations = [
        migrations.CreateModel(
            name='PasskeyChallenge',
            fields=[
                ('id', accounts.store.PRIMARY_KEY_FIELD(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('digest', models.CharField(editable=False, max_length=64, unique=True)),
                ('purpose', models.CharField(editable=False, max_length=16)),
                ('created_at', models.DateTimeField(default=accounts.clock.now, editable=False)),
                ('expires_at', models.DateTimeField(editable=False)),
                ('user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='passkey_challenges', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
