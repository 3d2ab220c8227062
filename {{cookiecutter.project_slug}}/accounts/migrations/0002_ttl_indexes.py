"""MongoDB TTL indexes: the server deletes expired tokens about once a minute.

Expiry is still checked on every request (SEC-12); these only tidy up. Django's
``Index`` has no ``expireAfterSeconds``, so they are made with pymongo here.
"""

from django.db import migrations

from accounts import store

TTL_FIELDS = {"AuthToken": "expires_at", "LinkToken": "purge_at", "ThrottleCounter": "expires_at"}


def create_ttl_indexes(apps, schema_editor):
    for model_name, field in TTL_FIELDS.items():
        model = apps.get_model("accounts", model_name)
        store.collection(model, using=schema_editor.connection.alias).create_index(
            field, expireAfterSeconds=0, name=f"{model._meta.db_table}_{field}_ttl"
        )


def drop_ttl_indexes(apps, schema_editor):
    for model_name, field in TTL_FIELDS.items():
        model = apps.get_model("accounts", model_name)
        collection = store.collection(model, using=schema_editor.connection.alias)
        collection.drop_index(f"{model._meta.db_table}_{field}_ttl")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(create_ttl_indexes, drop_ttl_indexes)]
