"""Database settings for django-mongodb-backend: the one backend-specific settings file."""

from config.mongo import read_uri

# Django's contrib apps with ObjectId primary keys, and their migrations to match.
CONTRIB_APPS = [
    "config.apps.MongoAdminConfig",
    "config.apps.MongoAuthConfig",
    "config.apps.MongoContentTypesConfig",
]
DEFAULT_AUTO_FIELD = "django_mongodb_backend.fields.ObjectIdAutoField"
MIGRATION_MODULES = {
    "admin": "mongo_migrations.admin",
    "auth": "mongo_migrations.auth",
    "contenttypes": "mongo_migrations.contenttypes",
}


def database_settings(uri: str, default_name: str) -> dict:
    """Build ``DATABASES["default"]`` from a MongoDB connection string."""
    name, options = read_uri(uri, default_name)
    return {"ENGINE": "django_mongodb_backend", "HOST": uri, "NAME": name, "OPTIONS": options}
