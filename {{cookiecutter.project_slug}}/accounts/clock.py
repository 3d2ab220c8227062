"""The app's one source of the current time, so tests can move the clock instead of sleeping.

MongoDB stores dates as milliseconds since the epoch. Time is cut to milliseconds
here, where it is made, so what a request answers (``PUT verify``, ``login``) is
what a later read of the database answers (``GET me``): one precision everywhere.
"""

from datetime import UTC, datetime

from django.utils import timezone


def to_millis(moment: datetime) -> datetime:
    """Return ``moment`` cut to whole milliseconds, as MongoDB will store it."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def now() -> datetime:
    """Return the current time (timezone-aware UTC), in whole milliseconds."""
    return to_millis(timezone.now())


def iso(moment: datetime | None) -> str | None:
    """Render ``moment`` as the API does: ISO 8601 in UTC, always with three decimals."""
    if moment is None:
        return None
    return to_millis(moment).astimezone(UTC).isoformat(timespec="milliseconds")


def aware(moment: datetime) -> datetime:
    """Return ``moment`` as an aware UTC datetime (pymongo hands back naive UTC ones)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
