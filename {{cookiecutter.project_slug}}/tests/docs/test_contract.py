"""Contract tests: schemathesis checks the running server against ``accounts/openapi/``.

gunicorn serves the project on the test database; for every operation of the document
schemathesis sends generated requests (schema-valid ones, invalid ones, boundary cases and
methods the path does not answer) and runs every check it has: no 5xx, each status,
content type, header and body as declared, invalid data refused, valid data accepted,
a declared token enforced, a 405 with ``Allow`` for other methods. Operations that need a
token get a fresh one per request (logout revokes the one it is sent), and each operation
starts on an empty database.

The seed is fixed. The default profile generates ten requests per operation (45 of them
now), past the boundary and wrong-method cases, which always run in full: it keeps ``make
test`` quick beside ``make run``. ``HYPOTHESIS_PROFILE=thorough`` (the template's CI)
generates ten times as many. Ten instead of twenty took 4 of the file's 21 seconds; the
rest is the coverage phase.
"""

import json
import os
from itertools import count
from urllib.parse import urlsplit

import pytest
import schemathesis
from django.db import connection
from schemathesis.config import SchemathesisConfig

from accounts import conf, documents
from accounts.docs import document as openapi
from accounts.models import User
from accounts.sessions import tokens as sessions
from tests import db_reset
from tests.conftest import (
    STRONG_PASSWORD,
    AppProcess,
    database_uri_for_subprocesses,
    http_request,
)

# Marked so that pytest-django sets up the test database even when only this file runs; the
# database is emptied after each operation's test (the account is made again when missing).
pytestmark = pytest.mark.django_db(transaction=True)


def examples() -> int:
    """Generated requests per operation, past the fixed boundary and wrong-method cases.

    djongo opens a new database connection for every request (about half a second against
    the embedded server, where django-mongodb-backend keeps one), so there a tenth as many.
    """
    count = 100 if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else 10
    return max(2, count // 10) if connection.vendor == "djongo" else count


# Valid input these operations still refuse with a 400, by rules a schema cannot state: the
# credentials and link tokens are checked against the database, the password against the
# common-password list and the account's name, and one field or another must be sent.
REFUSES_SOME_VALID_INPUT = {
    "register": "taken names, common passwords and names outside letters/digits/._- after NFKC",
    "login": "wrong credentials are a 400 (the seed's contract)",
    "verify_confirm": "the link token may come in ?a= or the body, and must exist",
    "reset_request": "without a token the body must carry `email`",
    "reset_confirm": "the link token must exist",
    "change_password": "the current password must be right",
    "login_mfa": "the mfa_token must be live and the code right",
    "login_code": "the code must be the one mailed to the address, and live",
    "mfa_confirm": "the code must match the pending secret",
    "mfa_disable": "MFA must be on, the code right, and a password sent must be right",
    "mfa_recovery_codes": "MFA must be on, and a password sent must be right",
    "mfa_setup": "a password sent must be right",
    "update_me": "taken names, names outside letters/digits/._- after NFKC, a wrong password, "
    "a value a profile field's own validators refuse (a regex, say)",
    "delete_me": "a password sent must be right",
    "email_change_request": "a password sent must be right, the address valid and new",
    "reauthenticate": "exactly one proof, and it must be right",
    "email_change_confirm": "the link token may come in ?a= or the body, and must exist",
    "passkey_register_options": "a password sent must be right",
    "passkey_register": "the credential must be a passkey's signed answer to a live challenge",
    "login_passkey": "the credential must be a passkey's signed answer to a live challenge",
    "login_mfa_passkey_options": "the mfa_token must be live and its account have a passkey",
    "reauthenticate_passkey_options": "the account must have a passkey",
    "social_exchange": "the code must be one a callback made, live and unused",
}
# Valid ids that are not the caller's live sessions or passkeys: 404, as for any unknown id.
NOT_FOUND_FOR_SOME_VALID_INPUT = {
    "revoke_session": "only the caller's own live sessions",
    "passkey_rename": "only the caller's own passkeys",
}
# Both: a wrong password is a 400, an id that is not one of the caller's own a 404.
REFUSES_OR_NOT_FOUND = {
    "passkey_remove": "only the caller's own passkeys; a password sent",
    "social_unlink": "a password sent must be right; only the caller's own",
}
# The server runs with no social login provider, so every request under social/<provider>/
# meets the same unknown-provider 404 first: a few generated ones cover it (the coverage phase,
# methods and tokens included, still runs in full). tests/social/ runs these flows against a
# real provider.
UNKNOWN_PROVIDER_ONLY = [
    f"social_{name}"
    for name in ("start", "callback", "callback_form", "token", "link", "reauthenticate")
]

CONFIG = {
    "seed": 20261130,
    "generation": {"max-examples": examples()},
    "checks": {"enabled": True},
    "phases": {"coverage": {"unexpected-methods": ["get", "put", "post", "delete", "patch"]}},
    # One entry per rule, naming its operations: schemathesis looks up an operation's entries
    # for every check of every case, so one entry per operation multiplied that work.
    "operations": [
        {
            "include-operation-id": list(REFUSES_SOME_VALID_INPUT),
            "checks": {
                "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "429"]}
            },
        },
        {
            "include-operation-id": list(NOT_FOUND_FOR_SOME_VALID_INPUT),
            "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "401", "404"]}},
        },
        {"include-operation-id": UNKNOWN_PROVIDER_ONLY, "generation": {"max-examples": 3}},
        {
            "include-operation-id": list(REFUSES_OR_NOT_FOUND),
            "checks": {
                "positive_data_acceptance": {
                    "expected-statuses": ["2xx", "400", "401", "404", "429"]
                }
            },
        },
    ],
}

schema = schemathesis.openapi.from_dict(
    openapi.document(), config=SchemathesisConfig.from_dict(CONFIG)
)
LIVE = {}  # the server's URL and the account of the running test, set by the fixtures below
_alternate = count()


def token_requirement(operation) -> str:
    """Say whether ``operation`` needs a token ("required"), may take one ("optional") or not."""
    security = operation.definition.raw.get("security", [])
    if not security:
        return "none"
    return "optional" if {} in security else "required"


ACCOUNT = {"username": "contract", "email": "contract@example.org", "password": STRONG_PASSWORD}


def fresh_token_header(case) -> dict:
    """A new token for each case that takes one: a token kept across cases would die at logout.

    Sent as an explicit header, so the ``ignored_auth`` check also retries each such
    operation without a token and with a wrong one, and expects a 401. Its session has
    just re-authenticated, so the generated requests reach past the 403 of the sensitive
    operations (tests/reauth/ proves that 403).
    """
    needs = token_requirement(case.operation)
    if needs == "none" or (needs == "optional" and next(_alternate) % 2):
        return {}
    return {"Authorization": "Bearer " + new_token()}


def new_token() -> str:
    """Start a session on the account, as a login ends, making the account when missing.

    Written here, in the test process, where POST login would write it in the server: login
    is an operation under test of its own, and sent before every case it was a third of the
    server's work. One write, ``sessions.issue`` without its sweep of expired sessions (none
    expire during a test). The write is conditional on the password the account had when it
    was read: after a case that deleted the account or changed its password (the document's
    examples carry the password), it matches nothing and the account is read again.
    """
    for _ in range(2):
        user = LIVE.get("user")
        if user is None:
            # By address: PATCH me may have renamed the account, which keeps its address.
            user = User.objects.filter(email=ACCOUNT["email"]).first()
        if user is None:
            user = User.objects.create_user(**ACCOUNT)
        token, session = sessions.new_session(user, user.password)
        session["reauth_at"] = session["created_at"]
        if documents.push_session(
            User, user.pk, user.password, session, conf.get("AUTH_MAX_SESSIONS")
        ):
            LIVE["user"] = user
            return token
        LIVE["user"] = None
    raise AssertionError("no session could be started on the contract account")


@pytest.fixture(scope="module")
def live(django_db_setup, django_db_blocker):
    """gunicorn on the test database (never another: it is emptied after each test).

    Hashing is fast and throttles are off, so the generated requests reach the deeper paths.
    """
    with django_db_blocker.unblock():
        uri = database_uri_for_subprocesses()
    assert urlsplit(uri).path.startswith("/test_"), f"not a test database: {uri}"
    app = AppProcess(
        uri,
        DJANGO_SETTINGS_MODULE="tests.settings",
        AUTH_THROTTLE_ENABLED="0",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        API_DOCS_ENABLED="1",
    ).start()
    LIVE["url"] = app.url
    yield app
    app.stop()


@pytest.fixture(autouse=True)
def _empty_database_after_each_test():
    """Have the flush after this test empty every collection, so each operation starts clean.

    That flush empties only what this process wrote; the server's writes (throttle counts,
    outbox, links, the account's sessions) are out of its sight, and once piled up across
    operations (a hundred sessions on the account by the last ones).
    Autouse, as Hypothesis asks of a function-scoped fixture that is not reset per example.
    """
    db_reset.flush_everything()
    LIVE["user"] = None


@schema.parametrize()
def test_every_operation_keeps_the_contract(case, live):
    case.call_and_validate(base_url=live.url, headers=fresh_token_header(case))


def test_the_server_serves_this_document(live):
    status, body, headers = http_request("GET", live.url + "/api/openapi.json")
    assert status == 200 and headers["Content-Type"] == "application/json"
    assert json.loads(body) == json.loads(json.dumps(openapi.document()))


def test_every_operation_is_exercised():
    """One generated test per operation of the document: none is filtered out."""
    declared = {
        (method.upper(), path)
        for path, methods in openapi.document()["paths"].items()
        for method in methods
    }
    tested = {
        (operation.method.upper(), operation.path)
        for operation in (result.ok() for result in schema.get_all_operations())
    }
    assert tested == declared
