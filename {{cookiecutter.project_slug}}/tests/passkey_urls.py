"""The project's URLs and the DEBUG-only passkeys page, for the browser test (DEBUG is off)."""

from config.urls import PASSKEY_PAGES, handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as project

urlpatterns = [*project, *PASSKEY_PAGES]
