"""The profile: the user's fields that ``GET me`` shows and ``PATCH me`` sets.

``User.PROFILE_FIELDS`` names them, as Django's ``REQUIRED_FIELDS`` names the fields
``createsuperuser`` asks for; each is a field of the model, and the model field decides what
its value may be. A JSON value is first checked to be of the field's JSON type (a string for a
``CharField``: ``{"$ne": null}`` never reaches a query, SEC-30), then cleaned by the field itself
(``field.clean``: ``max_length``, ``null`` and ``blank``, ``choices``, ``validators``), so
``null`` sets a nullable field to null and ``""`` sets a ``blank`` text field to "", and
anything else is a 400 naming the field. The API's answer, the admin's form and list and the
OpenAPI schema read the same list (docs/add-a-field.md).

``USERNAME_FIELD`` is one of them with rules of its own: registration's, applied by
``accounts.lifecycle.flows.update_profile``, so here it is only type-checked.
"""

from datetime import UTC, date, datetime

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, ValidationError
from django.db import models
from django.utils import timezone

from accounts import clock
from accounts.core.identifiers import clean_username
from accounts.errors import InvalidInput

# The JSON type of each kind of model field a profile may hold; the first class that matches
# wins (a DateTimeField is a DateField, an EmailField a CharField).
JSON_TYPES = (
    (models.BooleanField, "boolean"),
    (models.DateTimeField, "date-time"),
    (models.DateField, "date"),
    (models.CharField, "string"),
    (models.TextField, "string"),
    (models.IntegerField, "integer"),
    (models.FloatField, "number"),
)
# What a JSON value of each type is once parsed, and how a refusal names it.
PYTHON_TYPES = {
    "boolean": ((bool,), "true or false"),
    "string": ((str,), "a string"),
    "date-time": ((str,), "a date and time as a string (ISO 8601, with its UTC offset)"),
    "date": ((str,), "a date as a string (YYYY-MM-DD)"),
    "integer": ((int,), "an integer"),
    "number": ((int, float), "a number"),
}
INT64 = 2**63  # what a MongoDB document's integers hold
# Changed only by their own flows (email change, reset, verification) or by the admin: never
# a profile field, whatever PROFILE_FIELDS says (accounts.E301).
GUARDED_FIELDS = (
    "password",
    "email",
    "email_verified",
    "email_verified_at",
    "is_active",
    "is_staff",
    "is_superuser",
    "last_login",
    "date_joined",
)


def json_type(field) -> str | None:
    """Return the JSON type of ``field``'s values (``"string"``, ``"date-time"``...), or None."""
    for field_class, name in JSON_TYPES:
        if isinstance(field, field_class):
            return name
    return None


def fields(model) -> list:
    """Return the model fields ``model.PROFILE_FIELDS`` names, in its order."""
    return [model._meta.get_field(name) for name in model.PROFILE_FIELDS]


def problems(model) -> list[str]:
    """Say what is wrong with ``model.PROFILE_FIELDS`` (the system check ``accounts.E301``)."""
    found = []
    for name in model.PROFILE_FIELDS:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            found.append(f"'{name}' is not a field of {model.__name__}")
            continue
        if name == model.USERNAME_FIELD:
            continue
        if name in GUARDED_FIELDS or field.primary_key or not field.editable:
            found.append(f"'{name}' changes only through its own flow or the admin")
        elif not field.concrete or field.is_relation or json_type(field) is None:
            found.append(
                f"'{name}' is a {type(field).__name__}; a profile field is a text, boolean, "
                "integer, float, date or date-time field"
            )
        elif field.unique:
            found.append(
                f"'{name}' is unique; a unique field needs a flow of its own, as the username "
                "has (accounts.lifecycle.flows)"
            )
    return found


def to_json(user, field):
    """Return ``user``'s value of ``field`` as ``GET me`` shows it."""
    value = getattr(user, field.attname)
    if isinstance(value, datetime):
        return clock.iso(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _refuse(name: str, message: str, messages: list[str] | None = None) -> InvalidInput:
    return InvalidInput(
        f"'{name}' {message}", code="invalid_field", errors={name: messages or [message]}
    )


def clean_value(user, field, value):
    """Return ``value`` for ``field`` of ``user``, type-checked then cleaned by the field.

    Raise ``InvalidInput`` (400 ``invalid_field``, or ``missing_field`` for an empty username)
    naming the field otherwise.
    """
    name, kind = field.name, json_type(field)
    if name == user.USERNAME_FIELD:
        if value is None or value == "":
            raise InvalidInput(f"'{name}' is required.", code="missing_field")
        if not isinstance(value, str):
            raise _refuse(name, "must be a string.")
        if len(value) > 1024:  # bounds what registration's rules read
            raise _refuse(name, "is too long.")
        return clean_username(value, name)  # registration's rules: allowlist, length, NFKC
    if kind == "integer" and isinstance(value, float) and value.is_integer():
        value = int(value)  # JSON has one number type: 3.0 is 3, as JSON Schema says
    if value is not None:
        types, described = PYTHON_TYPES[kind]
        if not isinstance(value, types) or (isinstance(value, bool) and kind != "boolean"):
            raise _refuse(name, f"must be {described}.")
        if isinstance(value, int) and not -INT64 <= value < INT64:
            raise _refuse(name, "is out of range.")
    try:
        cleaned = field.clean(value, user)
    except ValidationError as exc:
        raise _refuse(name, f"is not valid: {exc.messages[0]}", exc.messages) from None
    if kind == "date-time" and cleaned is not None:
        if timezone.is_naive(cleaned):
            raise _refuse(name, "needs a UTC offset (e.g. 2030-01-01T09:30:00Z).")
        try:
            cleaned = cleaned.astimezone(UTC)  # stored in UTC, as every date is
        except OverflowError:  # 0001-01-01T00:00:00+05:00 is before year 1 in UTC
            raise _refuse(name, "is out of range.") from None
    return cleaned


def clean(user, data: dict) -> dict:
    """Return the profile fields of ``data``, each cleaned by ``clean_value``, in list order.

    A list that names a field it must not (``problems``) fails here too, not only in the
    system check, which gunicorn never runs: ``is_staff`` is never one request away.
    """
    model = type(user)
    wrong = problems(model)
    if wrong:
        raise ImproperlyConfigured(f"{model.__name__}.PROFILE_FIELDS: {'; '.join(wrong)}.")
    unknown = sorted(set(data) - set(model.PROFILE_FIELDS))
    if unknown:
        raise InvalidInput(f"Not profile fields: {unknown}.", code="unknown_field")
    return {
        field.name: clean_value(user, field, data[field.name])
        for field in fields(model)
        if field.name in data
    }
