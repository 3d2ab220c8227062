"""docs/api.md's table of error codes against the codes the API and its description answer.

The contract test (test_contract.py) holds every answer a live server gives to the codes its
OpenAPI operation lists; this file holds those codes, and every ``AuthError``'s, to the table a
client developer reads: none missing, none stale, each with its status.
"""

import importlib
import re

from accounts.docs import document as openapi
from accounts.errors import AuthError
from tests.conftest import PROJECT_DIR

ROW = re.compile(r"^\| (\d{3}) \| `([a-z_]+)` \| (.+) \|$", re.MULTILINE)


def documented() -> dict[str, int]:
    """Return the Errors table of docs/api.md: each code with its status."""
    page = (PROJECT_DIR / "docs" / "api.md").read_text(encoding="utf-8")
    section = page.split("\n## Errors\n", 1)[1].split("\n## ", 1)[0]
    rows = ROW.findall(section)
    table = {code: int(status) for status, code, _ in rows}
    assert len(table) == len(rows), "a code is listed twice"
    return table


def described() -> dict[str, set[int]]:
    """Return every ``code`` an error answer of the OpenAPI description lists, with its statuses."""
    found: dict[str, set[int]] = {}

    def walk(node, status=None):
        if isinstance(node, dict):
            enum = node.get("code", {}).get("enum") if isinstance(node.get("code"), dict) else None
            for code in enum or []:
                found.setdefault(code, set()).update({status} if status else set())
            for key, value in node.items():
                walk(value, int(key) if str(key).isdigit() and int(key) >= 400 else status)
        elif isinstance(node, list):
            for value in node:
                walk(value, status)

    walk(openapi.document())
    return found


def raised() -> dict[str, int]:
    """Return the code and status of every ``AuthError`` class, a feature's own included."""
    for module in (PROJECT_DIR / "accounts").glob("*/errors.py"):  # e.g. accounts/social/errors.py
        importlib.import_module(f"accounts.{module.parent.name}.errors")
    pending, classes = [AuthError], {}
    while pending:
        for subclass in pending.pop().__subclasses__():
            classes[subclass.code] = subclass.status
            pending.append(subclass)
    return classes


def test_every_code_the_api_answers_is_in_the_table_with_its_status():
    table = documented()
    for code, statuses in described().items():
        assert code in table, f"{code} is in the OpenAPI description, not in docs/api.md"
        assert not statuses or table[code] in statuses, (code, table[code], statuses)
    for code, status in raised().items():
        assert table.get(code) == status, f"{code}: {status} in accounts/errors.py"


def test_every_code_in_the_table_is_one_the_code_sends():
    source = "\n".join(
        path.read_text(encoding="utf-8") for path in (PROJECT_DIR / "accounts").rglob("*.py")
    )
    stale = [code for code in documented() if f'"{code}"' not in source]
    assert not stale, f"docs/api.md lists codes nothing sends: {stale}"


def test_the_table_is_sorted_by_status_then_code():
    rows = list(documented().items())
    assert rows == sorted(rows, key=lambda row: (row[1], row[0]))
