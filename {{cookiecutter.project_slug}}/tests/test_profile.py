"""``User.PROFILE_FIELDS`` (accounts.models.profile): what each kind of model field takes.

The project's own ``User`` has only the username there, so the other kinds are checked on
fields built here and never saved; docs/add-a-field.md's walk (the template's
tests/test_add_a_field.py) adds one to the model and PATCHes it over HTTP.
"""

from datetime import UTC, date, datetime

import jsonschema
import pytest
from django.core.validators import MinValueValidator
from django.db import models

from accounts import clock
from accounts.checks import profile_fields_check
from accounts.errors import InvalidInput
from accounts.models import User, profile
from accounts.openapi.builders import profile_field


def field(model_field, name="extra"):
    model_field.set_attributes_from_name(name)
    return model_field


TEXT = field(models.CharField(max_length=5, blank=True))
REQUIRED_TEXT = field(models.CharField(max_length=5))
NULLABLE_TEXT = field(models.CharField(max_length=5, null=True, blank=True))  # noqa: DJ001
CHOICE = field(models.CharField(max_length=2, blank=True, choices=[("en", "English")]))
FLAG = field(models.BooleanField(default=False))
COUNT = field(models.IntegerField(null=True, blank=True, validators=[MinValueValidator(0)]))
NUMBER = field(models.IntegerField(null=True))  # null in storage, but not blank: never cleared
RATIO = field(models.FloatField(default=0))
BIRTHDAY = field(models.DateField(null=True, blank=True))
SEEN = field(models.DateTimeField(null=True, blank=True))
NOSQL = {"$ne": None}  # an operator where a value goes is refused whatever the field (SEC-30)
FIELDS = {id(value): name.lower() for name, value in dict(globals()).items() if name.isupper()}


def case_id(value):
    """Name a case by the field's name above, then pytest's own id of the value."""
    return FIELDS.get(id(value)) if isinstance(value, models.Field) else None


# (field, JSON value, what the field then holds)
ACCEPTED = [
    (TEXT, "Alice", "Alice"),
    (TEXT, "", ""),  # "" for a blank text field sets it to ""
    (NULLABLE_TEXT, None, None),  # null for a nullable field sets it to null
    (NULLABLE_TEXT, "", ""),  # and "" stays "", never turned into null
    (CHOICE, "en", "en"),
    (CHOICE, "", ""),
    (FLAG, True, True),
    (COUNT, 3, 3),
    (COUNT, None, None),
    (COUNT, 3.0, 3),  # JSON has one number type
    (RATIO, 1, 1.0),
    (RATIO, 0.5, 0.5),
    (BIRTHDAY, "2030-01-02", date(2030, 1, 2)),
    (SEEN, "2030-01-02T03:04:05Z", datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)),
    (SEEN, "2030-01-02T05:04:05+02:00", datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)),
]
# (field, JSON value it refuses with a 400)
REFUSED = [
    (TEXT, None),  # null is not "" for a text field that is not nullable
    (TEXT, "Alice!"),  # max_length
    (TEXT, 5),
    (TEXT, NOSQL),
    (TEXT, ["Alice"]),
    (REQUIRED_TEXT, ""),  # not blank
    (CHOICE, "fr"),
    (FLAG, 1),
    (FLAG, "true"),
    (FLAG, None),
    (COUNT, -1),  # its validator
    (COUNT, True),
    (COUNT, 3.5),
    (COUNT, 2**63),  # past what a MongoDB integer holds
    (COUNT, NOSQL),
    (NUMBER, None),
    (RATIO, "1"),
    (RATIO, False),
    (BIRTHDAY, "2030-13-01"),
    (BIRTHDAY, 20300102),
    (SEEN, "2030-01-02T03:04:05"),  # no offset: which 03:04?
    (SEEN, "tomorrow"),
]


@pytest.mark.parametrize(("model_field", "value", "stored"), ACCEPTED, ids=case_id)
def test_a_profile_value_is_cleaned_by_its_model_field(model_field, value, stored):
    cleaned = profile.clean_value(User(), model_field, value)
    assert cleaned == stored and type(cleaned) is type(stored)


# Refused too, though a date-time by the schema: before year 1 or past 9999 once in UTC.
OUT_OF_RANGE = [(SEEN, "0001-01-01T00:00:00+05:00"), (SEEN, "9999-12-31T23:59:59-05:00")]


@pytest.mark.parametrize(("model_field", "value"), REFUSED + OUT_OF_RANGE, ids=case_id)
def test_sec30_a_profile_value_of_another_type_or_out_of_bounds_is_a_400_naming_it(
    model_field, value
):
    with pytest.raises(InvalidInput) as refused:
        profile.clean_value(User(), model_field, value)
    assert refused.value.code == "invalid_field"
    assert refused.value.message.startswith("'extra' ") and list(refused.value.errors) == ["extra"]


@pytest.mark.parametrize(
    ("model_field", "value", "valid"),
    [(f, v, True) for f, v, _ in ACCEPTED] + [(f, v, False) for f, v in REFUSED],
    ids=case_id,
)
def test_the_openapi_schema_of_a_profile_field_says_what_the_field_takes(model_field, value, valid):
    """The document's schema and the field agree on every value above (PATCH me, GET me)."""
    schema = profile_field(model_field)
    checker = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    assert checker.is_valid(value) is valid


def test_get_me_shows_dates_as_the_api_does_everywhere(user):
    user.date_joined = datetime(2030, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
    shown = profile.to_json(user, User._meta.get_field("date_joined"))
    assert shown == "2030-01-02T03:04:05.678+00:00" == clock.iso(user.date_joined)
    user.birthday = date(2030, 1, 2)
    assert profile.to_json(user, field(models.DateField(), "birthday")) == "2030-01-02"


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("is_staff", "only through its own flow or the admin"),
        ("email", "only through its own flow or the admin"),
        ("password", "only through its own flow or the admin"),
        ("username_key", "only through its own flow or the admin"),  # not editable
        ("mfa_secret", "only through its own flow or the admin"),
        ("id", "only through its own flow or the admin"),
        ("groups", "a ManyToManyField"),
        ("mfa_recovery_codes", "only through its own flow or the admin"),
        ("nickname", "not a field of User"),
    ],
)
def test_the_check_refuses_a_profile_field_the_owner_must_not_set(monkeypatch, name, problem):
    monkeypatch.setattr(User, "PROFILE_FIELDS", ["username", name])
    (error,) = profile_fields_check()
    assert error.id == "accounts.E301" and f"'{name}'" in error.msg and problem in error.msg


def test_the_check_passes_the_projects_own_list():
    assert profile_fields_check() == []


def test_a_profile_list_naming_is_staff_never_lets_the_owner_set_it(
    api, user, reauthed, monkeypatch, caplog
):
    """The system check is not all: gunicorn runs none, so PATCH me checks the list too."""
    monkeypatch.setattr(User, "PROFILE_FIELDS", ["username", "is_staff"])
    response = api.patch("me", {"is_staff": True}, token=reauthed)
    assert response.status_code == 500 and response.json()["code"] == "server_error"
    assert "PROFILE_FIELDS: 'is_staff' changes only through its own flow" in caplog.text
    assert User.objects.get(pk=user.pk).is_staff is False
