"""How the project logs: one console handler, secrets scrubbed, one line per request."""


def logging_config(level: str) -> dict:
    """Return ``LOGGING`` for the root logger at ``level`` (``DJANGO_LOG_LEVEL``).

    Every handler scrubs link tokens and Authorization values (SEC-38), including the request
    lines of runserver (``django.server``) and gunicorn's access log.
    """
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"redact_secrets": {"()": "accounts.core.audit.RedactSecrets"}},
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["redact_secrets"],
                "formatter": "plain",
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # One line per request: Django's default config adds a second console handler to
            # "django" in DEBUG, and django.request repeats each 4xx that the request line
            # (runserver's django.server, gunicorn's access log) already records; 5xx still log.
            "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "django.request": {"level": "ERROR"},
            "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }
