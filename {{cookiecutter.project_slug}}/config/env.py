"""Read typed settings from the environment (12-factor), with a ``.env`` file for development."""

import json
import math
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def load_dotenv(path: Path) -> None:
    """Copy ``KEY=value`` lines of ``path`` into the environment; real variables win.

    ``export KEY=value`` lines (a file also sourced by a shell) count the same.
    """
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        if line.startswith("export") and line[6:7].isspace():
            line = line[6:].lstrip()
        key, _, value = line.partition("=")
        os.environ.setdefault(key.strip(), value.strip().strip("'\""))


def env_str(name: str, default: str) -> str:
    """Return ``name`` from the environment, or ``default`` when unset or empty."""
    return os.environ.get(name) or default


def env_bool(name: str, default: bool) -> bool:
    """Return ``name`` as a boolean; refuse anything that is not clearly one."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0, not {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 1) -> int:
    """Return ``name`` as an integer of at least ``minimum``."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def env_seconds(name: str, default: float) -> float:
    """Return ``name`` as a positive number of seconds; a fraction such as ``0.2`` is allowed.

    A whole number comes back as an ``int``, so logs read ``retry_in=10``, not ``10.0``.
    """
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number of seconds, not {raw!r}") from None
    if not (value > 0 and math.isfinite(value)):  # nan and inf pass float() but no sleep
        raise ImproperlyConfigured(f"{name} must be a positive number of seconds, not {raw!r}")
    return int(value) if value.is_integer() else value


def env_list(name: str, default: list[str]) -> list[str]:
    """Return ``name`` split on commas, blanks dropped."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choices(name: str, default: list[str], allowed: set[str]) -> list[str]:
    """Return ``name`` as a non-empty list drawn from ``allowed``; refuse the rest at start-up."""
    values = env_list(name, default)
    unknown = [value for value in values if value not in allowed]
    if unknown or not values:
        choices = ", ".join(sorted(allowed))
        raise ImproperlyConfigured(f"{name} must be a comma-separated list of: {choices}")
    return values


def env_choice(name: str, default: str, allowed: set[str]) -> str:
    """Return ``name`` as one of ``allowed``, whatever its case; refuse the rest at start-up."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    for value in allowed:
        if raw.lower() == value.lower():
            return value
    raise ImproperlyConfigured(f"{name} must be one of {', '.join(sorted(allowed))}, not {raw!r}")


def origin(url: str, name: str = "FRONTEND_URL") -> str:
    """Return the origin (``scheme://host[:port]``) of ``url``; refuse one that has none."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImproperlyConfigured(f"{name}: {url!r} is not an http(s) URL")
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2].lower()}"


def env_origins(name: str) -> list[str]:
    """Return ``name`` as comma-separated origins (``https://app.example.com``), nothing more.

    A path, query or fragment is refused at start-up: an origin is compared whole, and
    ``https://app.example.com/`` would silently match nothing.
    """
    origins = []
    for item in env_list(name, []):
        parts = urlsplit(item)
        if parts.path or parts.query or parts.fragment or "@" in parts.netloc:
            raise ImproperlyConfigured(f"{name}: {item!r} is not an origin (scheme://host[:port])")
        origins.append(origin(item, name))
    return origins


def env_rates(name: str) -> dict[str, str]:
    """Return ``scope=limit/seconds,...`` as a dict; refuse at start-up what would fail later."""
    rates = {}
    for item in env_list(name, []):
        scope, _, rate = item.partition("=")
        limit, _, seconds = rate.partition("/")
        if not (scope.strip() and limit.isdigit() and seconds.isdigit() and int(seconds) > 0):
            raise ImproperlyConfigured(f"{name}: {item!r} is not scope=limit/seconds")
        rates[scope.strip()] = f"{int(limit)}/{int(seconds)}"
    return rates


def env_secret(name: str, default: str) -> str:
    """Return ``name``, or the contents of the file ``<name>_FILE`` names (a Docker secret).

    Docker and compose mount secrets as files under ``/run/secrets/``, where they stay out
    of ``docker inspect`` and of the process environment; the official images read
    ``*_FILE`` variables the same way.
    """
    path = os.environ.get(f"{name}_FILE")
    if not path:
        return env_str(name, default)
    if os.environ.get(name):
        raise ImproperlyConfigured(f"{name} and {name}_FILE are both set: keep one.")
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ImproperlyConfigured(f"{name}_FILE: cannot read {path} ({exc.strerror}).") from None


def social_providers(text: str) -> dict:
    """Return ``AUTH_SOCIAL_PROVIDERS`` from its JSON, each provider's secrets filled in.

    A provider's ``client_secret`` (and Apple's ``private_key``) may stay out of the JSON and
    come from ``AUTH_SOCIAL_<ID>_CLIENT_SECRET`` (``AUTH_SOCIAL_<ID>_PRIVATE_KEY``), or from
    the file their ``*_FILE`` names, like every other secret; ``<ID>`` is the provider's id in
    capitals, ``-`` as ``_``. ``accounts.social.providers`` checks the rest when it is used.
    """
    if not text.strip():
        return {}
    try:
        providers = json.loads(text)
    except ValueError:
        raise ImproperlyConfigured("AUTH_SOCIAL_PROVIDERS is not valid JSON") from None
    if not isinstance(providers, dict) or not all(isinstance(v, dict) for v in providers.values()):
        raise ImproperlyConfigured("AUTH_SOCIAL_PROVIDERS must be a JSON object of objects")
    for provider_id, settings in providers.items():
        prefix = "AUTH_SOCIAL_" + re.sub(r"[^A-Z0-9]", "_", str(provider_id).upper())
        for key in ("client_secret", "private_key"):
            secret = env_secret(f"{prefix}_{key.upper()}", "")
            if secret:
                settings[key] = secret
    return providers
