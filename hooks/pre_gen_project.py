"""Refuse bad answers before cookiecutter writes any file of the project.

Cookiecutter renders this file with Jinja and runs it. Every answer arrives
through the single ``tojson`` expression at the bottom, inside a raw string
delimited by three single quotes: ``tojson`` writes every single quote as
``\\u0027`` (and control characters as escapes too), so no answer can end that
string or inject code. Nothing
else in this file may contain Jinja syntax, and without rendering it imports
cleanly, so the checks below are unit-tested directly.

Each check raises ``AnswerError`` with one line saying what is wrong and what
would do; ``main`` prints it to stderr and exits 1.
"""

import ipaddress
import json
import keyword
import re
import sys
import unicodedata
from urllib.parse import urlsplit

ORM_CHOICES = ("django-mongodb-backend", "djongo")

# Modules the generated project imports or ships: a slug equal to one would be a
# pip project of the same name as a dependency, or shadow it on sys.path.
# fmt: off
PROJECT_MODULES = frozenset({
    "accounts", "asgiref", "bcrypt", "bson", "config", "devdb", "dns", "django",
    "django_mongodb_backend", "djongo", "gridfs", "gunicorn", "manage", "mongo_migrations",
    "packaging", "pip", "pluggy", "pymongo", "pytest", "pytest_django", "ruff", "secantus",
    "secantusdb", "setuptools", "sqlparse", "test", "tests", "wheel",
})
# fmt: on
RESERVED_SLUGS = frozenset(name.lower() for name in PROJECT_MODULES | sys.stdlib_module_names)

# The slug is also the default database name, and the tests use "test_<slug>";
# MongoDB refuses database names of 64 bytes or more.
MAX_SLUG_LENGTH = 50
MAX_NAME_LENGTH = 100

# Upper bounds for the baked lifetimes; the AUTH_*_TTL variables still override
# them at run time. A login token lives at most a year; a verification link,
# which proves only that the mailbox is reachable, 30 days; a reset link, which
# is as good as the password to whoever reads the mail, a day.
TTL_LIMITS = {
    "auth_token_ttl_hours": (24 * 365, "hours (1 year)"),
    "verify_link_ttl_hours": (24 * 30, "hours (30 days)"),
    "reset_link_ttl_minutes": (60 * 24, "minutes (1 day)"),
}

SLUG_RE = re.compile(r"[A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?")
LABEL_RE = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", re.IGNORECASE)
EMAIL_LOCAL_RE = re.compile(r"[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*")
URL_CHARS_RE = re.compile(r"[A-Za-z0-9._~%:/\[\]-]+")
URL_PATH_RE = re.compile(r"(?:/(?:[A-Za-z0-9._~-]|%[0-9A-Fa-f]{2})*)*")
# Control, format (bidi overrides, zero-width), surrogate, private and unassigned
# characters, and line/paragraph separators: invisible or line-breaking in emails and code.
UNPRINTABLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


class AnswerError(ValueError):
    """An answer the project cannot be baked with; the message is one line."""


def show(value: object) -> str:
    """Quote ``value`` for a message on one line, shortened when long."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_slug(slug: str) -> None:
    """Refuse a slug that is not a plain Python identifier or shadows a module."""
    if not SLUG_RE.fullmatch(slug) or keyword.iskeyword(slug):
        raise AnswerError(
            f"project_slug {show(slug)} is not a usable Python package name: use ASCII letters, "
            "digits and underscores, starting with a letter and not ending with an underscore"
        )
    if len(slug) > MAX_SLUG_LENGTH:
        raise AnswerError(
            f"project_slug {show(slug)} is longer than {MAX_SLUG_LENGTH} characters "
            "(it is also the MongoDB database name)"
        )
    if slug.lower() in RESERVED_SLUGS:
        raise AnswerError(
            f"project_slug {show(slug)} clashes with a module the project imports: pick another "
            f"name, e.g. {slug}_api"
        )


def is_hostname(host: str, *, dotted: bool) -> bool:
    """Tell whether ``host`` is an ASCII DNS name (with a dot when ``dotted``)."""
    if not host or len(host) > 253 or not host.isascii():
        return False
    labels = host.split(".")
    if dotted and len(labels) < 2:
        return False
    # An all-digit last label would make an IPv4 address look like a domain.
    if labels[-1].isdigit():
        return False
    return all(LABEL_RE.fullmatch(label) for label in labels)


def check_domain(domain: str) -> None:
    """Refuse anything but a DNS name such as ``example.com`` or ``localhost``."""
    if domain != "localhost" and not is_hostname(domain, dotted=True):
        raise AnswerError(
            f"domain_name {show(domain)} is not a domain name like example.com "
            "(ASCII letters, digits and hyphens; punycode for international names)"
        )


def check_frontend_url(url: str) -> None:
    """Refuse a front-end URL that is not ``http(s)://host[:port][/path]``."""
    message = (
        f"frontend_url {show(url)} must be http(s)://host[:port][/path] "
        "without credentials, query or fragment"
    )
    # Whitelisting the characters also rules out whitespace, quotes, "@" (credentials),
    # "?" (query) and "#" (fragment): the link path and token are appended to this URL.
    if not URL_CHARS_RE.fullmatch(url):
        raise AnswerError(message)
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not 0-65535
    except ValueError:  # also unbalanced or non-IPv6 [brackets]
        raise AnswerError(message) from None
    host = parts.hostname or ""
    if (
        parts.scheme not in ("http", "https")
        or not (is_hostname(host, dotted=False) or is_ip_address(host))
        or parts.netloc.endswith(":")
        or not URL_PATH_RE.fullmatch(parts.path)
    ):
        raise AnswerError(message)


def is_ip_address(host: str) -> bool:
    """Tell whether ``host`` is an IPv4 or IPv6 address."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def check_email(email: str) -> None:
    """Refuse anything but a plain ``name@example.com`` address."""
    local, at, domain = email.rpartition("@")
    if (
        not at
        or len(local) > 64
        or not EMAIL_LOCAL_RE.fullmatch(local)
        or not (domain == "localhost" or is_hostname(domain, dotted=True))
    ):
        raise AnswerError(f"from_email {show(email)} is not an address like noreply@example.com")


def check_ttl(key: str, value: object) -> None:
    """Refuse a lifetime that is not a whole number between 1 and its cap."""
    limit, unit = TTL_LIMITS[key]
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(text, str) or not re.fullmatch(r"[0-9]+", text):
        raise AnswerError(f"{key} {show(value)} is not a whole number of {unit.split()[0]}")
    if not 1 <= int(text) <= limit:
        raise AnswerError(f"{key} {show(value)} must be between 1 and {limit} {unit}")


def check_name(key: str, value: str) -> None:
    """Refuse a blank, overlong or multi-line human-readable name."""
    if not value.strip():
        raise AnswerError(f"{key} must not be blank")
    if value != value.strip():
        raise AnswerError(f"{key} {show(value)} must not start or end with whitespace")
    if len(value) > MAX_NAME_LENGTH:
        raise AnswerError(f"{key} is longer than {MAX_NAME_LENGTH} characters")
    if any(unicodedata.category(char) in UNPRINTABLE_CATEGORIES for char in value):
        raise AnswerError(f"{key} {show(value)} contains control or invisible characters")


def check_orm(orm: str) -> None:
    """Refuse an unknown ORM."""
    if orm not in ORM_CHOICES:
        raise AnswerError(f"orm {show(orm)} is not one of: {', '.join(ORM_CHOICES)}")


def check_answers(answers: dict) -> None:
    """Run every check on the answers; the first failure raises ``AnswerError``."""
    for key in ("project_name", "site_name"):
        check_name(key, answers[key])
    check_slug(answers["project_slug"])
    check_domain(answers["domain_name"])
    check_frontend_url(answers["frontend_url"])
    check_email(answers["from_email"])
    for key in TTL_LIMITS:
        check_ttl(key, answers[key])
    check_orm(answers["orm"])


def main(rendered_answers: str) -> int:
    """Check the answers cookiecutter rendered as JSON; print one line and return 1 if bad."""
    try:
        check_answers(json.loads(rendered_answers))
    except AnswerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    # Three single quotes on purpose, see above: the formatter would make them double.
    sys.exit(main(r'''{{ cookiecutter | tojson }}'''))  # fmt: skip
