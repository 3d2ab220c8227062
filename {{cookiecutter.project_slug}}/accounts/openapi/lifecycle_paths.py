"""The account-lifecycle endpoints (``accounts.lifecycle``): sessions and email change."""

from accounts.openapi.builders import (
    LINK_CODES,
    TOKEN,
    answer,
    json_object,
    link_query,
    operation,
    ref,
    string,
)


def lifecycle_paths(link_token: dict) -> dict:
    """List and revoke sessions; ask for and confirm an email change."""
    return {
        "/api/auth/sessions": {
            "get": operation(
                "The account's live sessions",
                operation_id="sessions",
                tag="session",
                security=TOKEN,
                answers={200: answer("Newest first; `current` marks this one.", ref("Sessions"))},
            )
        },
        "/api/auth/sessions/{session_id}": {
            "delete": operation(
                "End one of the account's sessions",
                operation_id="revoke_session",
                tag="session",
                description="Another account's session id answers exactly as an unknown one.",
                security=TOKEN,
                query=[
                    {
                        "name": "session_id",
                        "in": "path",
                        "required": True,
                        "description": "The `id` from `GET sessions`.",
                        "schema": string(minLength=1, maxLength=200),
                    }
                ],
                answers={204: answer("The session has ended.")},
                errors={404: ("not_found",)},
            )
        },
        "/api/auth/email": {
            "post": operation(
                "Ask to change the address",
                operation_id="email_change_request",
                tag="email links",
                description=(
                    "Needs the current password. Mails a link to the NEW address and a "
                    "notice to the current one; nothing changes until the link is opened."
                ),
                security=TOKEN,
                body=json_object(
                    {
                        "new_email": string(
                            minLength=1, maxLength=1024, examples=["alice@example.net"]
                        ),
                        "current_password": string(minLength=1),
                    }
                ),
                answers={202: answer("The link is on its way.", ref("Detail"))},
                bad_request=(
                    "missing_field",
                    "invalid_email",
                    "invalid_credentials",
                    "email_unchanged",
                    "email_taken",
                ),
                throttled=True,
            ),
            "put": operation(
                "Confirm the new address with the link token",
                operation_id="email_change_confirm",
                tag="email links",
                description=(
                    "The token comes in the body's `a` or in `?a=`. The address is then "
                    "verified, every other link revoked and the old address told."
                ),
                query=link_query(),
                body=json_object(optional={"a": link_token}),
                body_required=False,
                answers={200: answer("The account, at its new address.", ref("User"))},
                bad_request=(*LINK_CODES, "email_taken"),
                throttled=True,
            ),
        },
    }
