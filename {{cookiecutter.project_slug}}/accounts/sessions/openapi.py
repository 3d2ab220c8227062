"""The OpenAPI declarations of the session endpoints (``accounts.sessions``)."""

from accounts.openapi.builders import TOKEN, answer, operation, path_parameter, ref, string


def paths() -> dict:
    """Log out, log out everywhere, list and end sessions."""
    return {
        "/api/auth/logout": {
            "post": operation(
                "Log out: revoke this token",
                operation_id="logout",
                tag="session",
                security=TOKEN,
                answers={204: answer("The token is revoked.")},
            )
        },
        "/api/auth/logout-all": {
            "post": operation(
                "Revoke every token of the account",
                operation_id="logout_all",
                tag="session",
                security=TOKEN,
                answers={204: answer("Every token of the account is revoked.")},
            )
        },
        "/api/auth/sessions": {
            "get": operation(
                "The account's live sessions",
                operation_id="sessions",
                tag="session",
                security=TOKEN,
                answers={200: answer("Newest first; `current` marks this one.", ref("Sessions"))},
            )
        },
        "/api/auth/csrf": {
            "get": operation(
                "Set the CSRF cookie, for browser sessions",
                operation_id="csrf",
                tag="session",
                description="A browser client (`X-Auth-Client: browser` at login) sends the "
                "token back in `X-CSRFToken` with every POST, PUT, PATCH and DELETE its session "
                "cookie authenticates. A front end on another origin cannot read this host's "
                "cookies: it takes the token from this answer's header.",
                answers={
                    204: {
                        "description": "The CSRF cookie is set (`Set-Cookie`).",
                        "headers": {
                            "X-CSRFToken": {
                                "description": "The token to send back in `X-CSRFToken`.",
                                "required": True,
                                "schema": string(minLength=1),
                            }
                        },
                    }
                },
            )
        },
        "/api/auth/sessions/{session_id}": {
            "delete": operation(
                "End one of the account's sessions",
                operation_id="revoke_session",
                tag="session",
                description="Another account's session id answers exactly as an unknown one.",
                security=TOKEN,
                query=[path_parameter("session_id", "The `id` from `GET sessions`.", 200)],
                answers={204: answer("The session has ended.")},
                errors={404: ("not_found",)},
            )
        },
    }
