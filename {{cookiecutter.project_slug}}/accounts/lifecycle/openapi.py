"""The OpenAPI declarations of the account's life after sign-up (``accounts.lifecycle``)."""

from accounts.models import User, profile
from accounts.openapi.builders import (
    LINK_CODES,
    TOKEN,
    answer,
    current_password,
    json_object,
    link_query,
    link_token,
    operation,
    profile_field,
    ref,
    string,
)


def profile_changes() -> dict:
    """``PATCH me``'s body: any of ``User.PROFILE_FIELDS``, at least one, and the proof."""

    def schema(field) -> dict:
        if field.name == User.USERNAME_FIELD:  # registration's rules, which the flow applies
            return string(minLength=1, maxLength=1024, examples=["alicia"])
        return profile_field(field)

    fields = {field.name: schema(field) for field in profile.fields(User)}
    return json_object(
        optional={**fields, "current_password": current_password()},
        additionalProperties=False,
        anyOf=[{"required": [name]} for name in fields],
    )


def paths() -> dict:
    """The account itself (read, change, delete) and the change of its address."""
    token = link_token()
    return {
        "/api/auth/me": {
            "get": operation(
                "The logged-in account",
                operation_id="me",
                tag="account",
                security=TOKEN,
                answers={200: answer("The account.", ref("User"))},
            ),
            "patch": operation(
                "Change the profile",
                operation_id="update_me",
                tag="account",
                description=(
                    "Sets the fields sent, at least one of `User.PROFILE_FIELDS`, each checked "
                    "by its model field. `null` sets a field that may be null to null; "
                    '`""` sets a text field that may be blank to the empty string. '
                    "Registration's rules apply to a new username, and a rename is mailed to "
                    "the account's address. Any other field is a 400 naming it: `email` "
                    "changes through `POST email`, the password through `POST password`. "
                    "Needs a re-authenticated session, or "
                    "`current_password`; throttled."
                ),
                security=TOKEN,
                body=profile_changes(),
                answers={200: answer("The account, changed.", ref("User"))},
                bad_request=(
                    "no_fields",
                    "missing_field",
                    "invalid_username",
                    "username_taken",
                    "read_only_field",
                    "unknown_field",
                    "invalid_credentials",
                ),
                throttled=True,
                reauth=True,
            ),
            "delete": operation(
                "Delete the account",
                operation_id="delete_me",
                tag="account",
                description=(
                    "Needs a re-authenticated session, or `current_password` (each try counts "
                    "as a login try). The account, its sessions and its links are deleted and "
                    "its address is told."
                ),
                security=TOKEN,
                body=json_object(optional={"current_password": current_password()}),
                body_required=False,
                answers={204: answer("The account is gone.")},
                bad_request=("invalid_credentials",),
                throttled=True,
                reauth=True,
            ),
        },
        "/api/auth/email": {
            "post": operation(
                "Ask to change the address",
                operation_id="email_change_request",
                tag="email links",
                description=(
                    "Needs a re-authenticated session, or `current_password`. Mails a link to "
                    "the NEW address and a notice to the current one; nothing changes until "
                    "the link is opened. The answer is the same when the new address belongs "
                    "to another account: that account is told someone tried, and no link goes."
                ),
                security=TOKEN,
                body=json_object(
                    {
                        "new_email": string(
                            minLength=1, maxLength=1024, examples=["alice@example.net"]
                        )
                    },
                    {"current_password": current_password()},
                ),
                answers={202: answer("The link is on its way.", ref("Detail"))},
                bad_request=(
                    "missing_field",
                    "invalid_email",
                    "invalid_credentials",
                    "email_unchanged",
                ),
                throttled=True,
                reauth=True,
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
                body=json_object(optional={"a": token}),
                body_required=False,
                answers={200: answer("The account, at its new address.", ref("User"))},
                bad_request=(*LINK_CODES, "email_taken"),
                throttled=True,
            ),
        },
    }
