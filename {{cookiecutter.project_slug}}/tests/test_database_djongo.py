"""The djongo variant's own database settings (config/database_djongo.py, baked as database.py).

Only the djongo bake has this file, as only it has that module.
"""

import pytest
from djongo.sql2mongo import query

from config.database import HARMLESS_NOTES


@pytest.mark.django_db
def test_djongo_keeps_its_harmless_schema_notes_out_of_migrates_output(capsys):
    """``migrate`` printed five "does not support ... fully" notes on djongo; others still print."""
    for feature in [*HARMLESS_NOTES, "schema validation using REFERENCES", "COLUMN DROP DEFAULT "]:
        query.print_warn(feature)
    assert capsys.readouterr().out == ""
    query.print_warn("partial indexes")
    assert "partial indexes" in capsys.readouterr().out
