"""Database settings for django-mongodb-backend: the one backend-specific settings file."""

import sys
from importlib.abc import MetaPathFinder

from django.core.exceptions import ImproperlyConfigured

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


class SkipGdalUnlessGeoDjango(MetaPathFinder):
    """Say at once that GDAL is absent while ``django.contrib.gis`` is not an installed app.

    django-mongodb-backend imports its GeoDjango support on start and falls back when Django's
    GDAL loader raises ImproperlyConfigured. Before raising, that loader asks ctypes'
    ``find_library`` for twelve library names, each an ``ldconfig``, ``gcc`` and ``ld``
    process, and the backend imports it three times: 0.3 s of CPU, a third of the start of every
    process (each gunicorn worker, ``manage.py`` command and test worker). Add
    ``django.contrib.gis`` to INSTALLED_APPS and the loader runs as Django wrote it.
    """

    GDAL_LOADER = "django.contrib.gis.gdal.libgdal"

    def find_spec(self, name, path=None, target=None):
        if name == self.GDAL_LOADER:
            from django.conf import settings

            if settings.configured and "django.contrib.gis" not in settings.INSTALLED_APPS:
                raise ImproperlyConfigured("GDAL not loaded: django.contrib.gis is not installed")
        return None


if not any(isinstance(finder, SkipGdalUnlessGeoDjango) for finder in sys.meta_path):
    sys.meta_path.insert(0, SkipGdalUnlessGeoDjango())
