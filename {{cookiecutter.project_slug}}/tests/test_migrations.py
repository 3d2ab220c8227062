"""Committed migrations match the models, for accounts and the ObjectId contrib apps."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_makemigrations_check_is_clean():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_djongo_keeps_its_harmless_schema_notes_out_of_migrates_output(capsys):
    """``migrate`` printed five "does not support ... fully" notes on djongo; others still print."""
    from django.db import connection

    if connection.vendor != "djongo":
        pytest.skip("django-mongodb-backend prints no such notes")
    from djongo.sql2mongo import query

    from config.database import HARMLESS_NOTES

    for feature in [*HARMLESS_NOTES, "schema validation using REFERENCES", "COLUMN DROP DEFAULT "]:
        query.print_warn(feature)
    assert capsys.readouterr().out == ""
    query.print_warn("partial indexes")
    assert "partial indexes" in capsys.readouterr().out
