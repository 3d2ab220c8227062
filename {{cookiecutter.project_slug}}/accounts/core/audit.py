"""Security events as one structured line each, and the filter that keeps secrets out of logs.

Every event is ``event=<name> key=value ...`` on the ``accounts.security``
logger. Values are escaped so a username with a newline or quote cannot forge
a second line (SEC-39). Tokens, passwords and ``Authorization`` values are never
passed in; ``RedactSecrets`` also scrubs ``a=`` link tokens, social login's ``code=``,
``state=`` and ``ticket=`` and authorization values from Django's and gunicorn's request
logs (SEC-38).
"""

import logging
import re

from accounts.core.client import client_ip

log = logging.getLogger("accounts.security")

SAFE_VALUE = re.compile(r"^[\w.:@/+-]{1,200}\Z")
SECRET_PATTERNS = [
    (re.compile(r"([?&;]a=)[^&\s\"']+"), r"\1[redacted]"),
    # Social login's redirect flow: the provider's code and the state (and a start ticket).
    (re.compile(r"([?&;](?:code|state|ticket)=)[^&\s\"']+"), r"\1[redacted]"),
    (
        re.compile(r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?)(bearer\s+)?[^\s,\"'}]+"),
        r"\1[redacted]",
    ),
    (
        re.compile(
            r"(?i)(\"(?:password|new_password|current_password|token|mfa_token|recovery_code|a|id_token)\"\s*:\s*)\"[^\"]*\""
        ),
        r'\1"[redacted]"',
    ),
]


def escape(value) -> str:
    """Render ``value`` for a log line: plain when safe, else quoted with controls escaped."""
    text = str(value)
    if SAFE_VALUE.match(text):
        return text
    escaped = text.encode("unicode_escape").decode("ascii").replace('"', '\\"')
    return f'"{escaped[:300]}"'


def security_event(event: str, *, level: int = logging.INFO, **fields) -> None:
    """Log one security event with the client IP of the current request."""
    parts = [f"event={event}", f"ip={client_ip()}"]
    parts += [f"{key}={escape(value)}" for key, value in fields.items()]
    log.log(
        level, " ".join(parts), extra={"event": event, **{f"sec_{k}": v for k, v in fields.items()}}
    )


def redact(text: str) -> str:
    """Remove link tokens and authorization values from ``text``."""
    for pattern, replacement in SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecrets(logging.Filter):
    """A logging filter that scrubs secrets from every record's message and arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True
