"""Social login: the redirect flow's one-time secrets, and one provider account per account.

``SocialTicket`` holds the digests of states, tickets and one-time codes; a TTL index on
``expires_at`` lets the server delete spent ones (expiry is still checked on every use).

The users collection gets a unique index on ``social_identities.key``: a provider account
(``"<provider>\\x00<subject>"``) can be linked to one account only, and a social login is
one indexed read. One string per identity rather than a compound index on the provider and
the subject, which over an array of subdocuments indexes every pairing of the two fields'
values (see ``accounts.social.identities``). Partial, over string keys only: without it every
account with no identity would index a null key, and the second such account would collide.
Both indexes are made with pymongo, since the ORM can express neither.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import accounts.clock
import accounts.store

IDENTITY_INDEX = "accounts_user_social_identity_unique"


def create_indexes(apps, schema_editor):
    using = schema_editor.connection.alias
    ticket = apps.get_model("accounts", "SocialTicket")
    accounts.store.collection(ticket, using=using).create_index(
        "expires_at", expireAfterSeconds=0, name=f"{ticket._meta.db_table}_expires_at_ttl"
    )
    user = apps.get_model("accounts", "User")
    accounts.store.collection(user, using=using).create_index(
        "social_identities.key",
        unique=True,
        name=IDENTITY_INDEX,
        partialFilterExpression={"social_identities.key": {"$type": "string"}},
    )


def drop_indexes(apps, schema_editor):
    using = schema_editor.connection.alias
    user = apps.get_model("accounts", "User")
    accounts.store.collection(user, using=using).drop_index(IDENTITY_INDEX)
    ticket = apps.get_model("accounts", "SocialTicket")
    collection = accounts.store.collection(ticket, using=using)
    collection.drop_index(f"{ticket._meta.db_table}_expires_at_ttl")


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0009_passkeys"),
    ]

    operations = [
        migrations.CreateModel(
            name="SocialTicket",
            fields=[
                ("id", accounts.store.PRIMARY_KEY_FIELD(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("digest", models.CharField(editable=False, max_length=64, unique=True)),
                ("purpose", models.CharField(editable=False, max_length=8)),
                ("intent", models.CharField(default="login", editable=False, max_length=8)),
                ("provider", models.CharField(editable=False, max_length=32)),
                ("binding", models.CharField(blank=True, default="", editable=False, max_length=64)),
                ("session_id", models.CharField(blank=True, default="", editable=False, max_length=64)),
                ("next_path", models.CharField(blank=True, default="", editable=False, max_length=200)),
                ("client_state", models.CharField(blank=True, default="", editable=False, max_length=64)),
                ("subject", models.CharField(blank=True, default="", editable=False, max_length=255)),
                ("email", models.EmailField(blank=True, default="", editable=False, max_length=254)),
                ("email_verified", models.BooleanField(default=False, editable=False)),
                ("created_at", models.DateTimeField(default=accounts.clock.now, editable=False)),
                ("expires_at", models.DateTimeField(editable=False)),
                ("user", models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="social_tickets", to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
