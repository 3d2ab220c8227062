"""The start of every process: django-mongodb-backend's GeoDjango import stays cheap.

The backend imports its GeoDjango support on start; without ``django.contrib.gis`` in
INSTALLED_APPS, config/database.py refuses Django's GDAL loader at once instead of letting it
search the system for twelve library names (an ldconfig, gcc and ld process each).
"""

import ctypes.util
import importlib

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django_mongodb_backend",
    reason="the djongo variant's backend imports no GeoDjango",
)

GDAL_LOADER = "django.contrib.gis.gdal.libgdal"


@pytest.fixture
def searches(monkeypatch):
    """The library names ctypes is asked to find (none is found)."""
    names = []
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: names.append(name))
    return names


def test_without_geodjango_gdal_is_refused_without_a_search(searches):
    with pytest.raises(ImproperlyConfigured, match="django.contrib.gis is not installed"):
        importlib.import_module(GDAL_LOADER)
    assert searches == []


def test_with_geodjango_installed_django_searches_for_gdal_as_it_wrote_it(searches, monkeypatch):
    geodjango = [*settings.INSTALLED_APPS, "django.contrib.gis"]
    monkeypatch.setattr(settings, "INSTALLED_APPS", geodjango)
    with pytest.raises(ImproperlyConfigured, match="Could not find the GDAL library"):
        importlib.import_module(GDAL_LOADER)
    assert "gdal" in searches
