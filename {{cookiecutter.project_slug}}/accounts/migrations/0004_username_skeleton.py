"""Add each username's look-alike key (``username_skeleton``) under a unique index (SEC-29).

The key is filled in for every existing account before the index is made. Two
existing accounts whose names look alike cannot both keep theirs: then nothing
is indexed and the migration stops, naming them. Rename one (``make shell``) and
migrate again; renaming silently would hand one of them the other's name.

The index is made with pymongo, like the TTL indexes of 0002, because the ORM
would make it when the column is added, before any row has a value.
"""

from collections import defaultdict

from django.db import migrations, models

from accounts import store
from accounts.core.identifiers import username_skeleton

INDEX = "accounts_user_username_skeleton_unique"


def fill_and_index(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    rows = list(User.objects.values_list("pk", "username"))
    by_key = defaultdict(list)
    for pk, username in rows:
        by_key[username_skeleton(username)].append((pk, username))
    clashes = [group for group in by_key.values() if len(group) > 1]
    if clashes:
        listed = "; ".join(", ".join(repr(name) for _, name in group) for group in clashes)
        raise RuntimeError(
            f"These usernames look alike: {listed}. Rename all but one of each group, "
            "then run migrate again."
        )
    for key, ((pk, _),) in by_key.items():
        User.objects.filter(pk=pk).update(username_skeleton=key)
    collection = store.collection(User, using=schema_editor.connection.alias)
    collection.create_index("username_skeleton", unique=True, name=INDEX)


def drop_index(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    store.collection(User, using=schema_editor.connection.alias).drop_index(INDEX)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_mfa")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="username_skeleton",
            field=models.CharField(editable=False, max_length=2700, null=True),
        ),
        migrations.RunPython(fill_and_index, drop_index),
    ]
