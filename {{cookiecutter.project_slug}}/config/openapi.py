"""The OpenAPI declarations of the project's own endpoints (``config``), beside the auth API's.

``/api/openapi.json`` takes the paths of every module ``API_DESCRIPTIONS`` names (this one by
default): describe your app's endpoints here, or in a module of its own listed there, with
the builders of ``accounts.openapi.builders`` (docs/writing-endpoints.md).
``tests/docs/test_openapi.py`` fails while a URL under ``/api/`` is not described.
"""

from accounts.openapi.builders import OPTIONAL_TOKEN, answer, ref

# Tags the operations below use, each with its description, after the auth API's own.
TAGS = [
    {"name": "health", "description": "Probes for load balancers"},
]


def paths() -> dict:
    """The project's operations, one entry per path."""
    return {
        "/api/health": {
            "get": {
                "operationId": "health",
                "summary": "Whether the database and the mail server can be reached",
                "description": "Anyone gets the `status`. The container's probe (`python -m "
                "config.healthcheck`, a loopback client no proxy forwarded) and a staff "
                "account's token also get `database`, `email` and `outbox`, the mail queue's "
                "depth and age. Any other token is ignored, not refused.",
                "tags": ["health"],
                "security": OPTIONAL_TOKEN,
                "responses": {
                    "200": answer("The database answers.", ref("Health")),
                    "503": answer("The database does not answer.", ref("Health")),
                },
            }
        },
    }
