"""The project's settings, with the benchmark's URLs (and quiet logs) on top."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
