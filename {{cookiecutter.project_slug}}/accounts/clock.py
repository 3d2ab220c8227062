"""The app's one source of the current time, so tests can move the clock instead of sleeping."""

from django.utils import timezone


def now():
    """Return the current time (timezone-aware UTC)."""
    return timezone.now()
