"""Every endpoint under ``/api/``: one ``operation()`` per method. Add yours here.

``tests/test_openapi.py`` fails while a URL under ``/api/`` is missing, and
``tests/test_contract.py`` runs schemathesis against a live server to check every answer
against its declaration.
"""

from django.contrib.auth.password_validation import (
    MinimumLengthValidator,
    get_default_password_validators,
)

from accounts import conf
from accounts.openapi.builders import (
    LINK_CODES,
    NO_TOKEN,
    OPTIONAL_TOKEN,
    TOKEN,
    answer,
    json_object,
    link_query,
    operation,
    ref,
    string,
)
from accounts.openapi.lifecycle_paths import lifecycle_paths
from accounts.openapi.mfa_paths import mfa_paths


def password_limits() -> dict:
    """``minLength``/``maxLength`` of a new password, from the settings in force."""
    lengths = [
        validator.min_length
        for validator in get_default_password_validators()
        if isinstance(validator, MinimumLengthValidator)
    ]
    limits = {"maxLength": conf.get("AUTH_PASSWORD_MAX_LENGTH")}
    if lengths:
        limits["minLength"] = max(lengths)
    return limits


def paths() -> dict:
    """Every endpoint under ``/api/``: one ``operation()`` per method."""
    new_password = string(
        "Any Unicode; not common, not built from the username, address or site name.",
        **password_limits(),
    )
    password_cap = conf.get("AUTH_PASSWORD_MAX_LENGTH")
    link_token = string("The link token from the email.", minLength=1, maxLength=256)
    return {
        "/api/auth/register": {
            "post": operation(
                "Create an account",
                operation_id="register",
                tag="account",
                description="Says when the username or address is taken; throttled per IP.",
                body=json_object(
                    {
                        "username": string(
                            "Letters, digits and . _ - (1 to 150 characters after NFKC).",
                            minLength=1,
                            maxLength=1024,
                            examples=["alice"],
                        ),
                        "email": string(
                            minLength=1, maxLength=1024, examples=["alice@example.org"]
                        ),
                        "password": {**new_password, "examples": ["velvet-orbit-harbor-lantern"]},
                    }
                ),
                answers={201: answer("The new account.", ref("User"))},
                bad_request=(
                    "missing_field",
                    "invalid_username",
                    "invalid_email",
                    "weak_password",
                    "password_too_long",
                    "username_taken",
                    "email_taken",
                    "already_taken",
                ),
                throttled=True,
            )
        },
        "/api/auth/login": {
            "post": operation(
                "Log in: a new token",
                operation_id="login",
                tag="session",
                description="Every failure is the same 400 `invalid_credentials`.",
                body=json_object(
                    {
                        "username": string(
                            "The username or, as `AUTH_LOGIN_METHODS` allows, the address.",
                            minLength=1,
                            maxLength=1024,
                            examples=["alice"],
                        ),
                        "password": string(
                            minLength=1,
                            maxLength=password_cap,
                            examples=["velvet-orbit-harbor-lantern"],
                        ),
                    }
                ),
                answers={
                    200: answer(
                        "A new login token or, for an account with MFA on, the second "
                        "step's `mfa_token` (finish at `login/mfa`).",
                        {"oneOf": [ref("Token"), ref("MfaChallenge")]},
                    )
                },
                bad_request=("missing_field", "invalid_credentials"),
                throttled=True,
                mfa=True,
            )
        },
        **mfa_paths(),
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
        "/api/auth/me": {
            "get": operation(
                "The logged-in account",
                operation_id="me",
                tag="account",
                security=TOKEN,
                answers={200: answer("The account.", ref("User"))},
            ),
            "patch": operation(
                "Rename the account",
                operation_id="update_me",
                tag="account",
                description=(
                    "Registration's rules apply to the new name. Any other field is a 400 "
                    "naming it: `email` changes through `POST email`, the password through "
                    "`POST password`."
                ),
                security=TOKEN,
                body=json_object(
                    {"username": string(minLength=1, maxLength=1024, examples=["alicia"])},
                    additionalProperties=False,
                ),
                answers={200: answer("The renamed account.", ref("User"))},
                bad_request=(
                    "missing_field",
                    "invalid_username",
                    "username_taken",
                    "read_only_field",
                    "unknown_field",
                ),
            ),
            "delete": operation(
                "Delete the account",
                operation_id="delete_me",
                tag="account",
                description=(
                    "Needs the current password (each try counts as a login try). The "
                    "account, its sessions and its links are deleted and its address is told."
                ),
                security=TOKEN,
                body=json_object({"current_password": string(minLength=1)}),
                answers={204: answer("The account is gone.")},
                bad_request=("missing_field", "invalid_credentials"),
                throttled=True,
            ),
        },
        **lifecycle_paths(link_token),
        "/api/auth/verify": {
            "post": operation(
                "Mail a verification link to the account's address",
                operation_id="verify_request",
                tag="email links",
                security=TOKEN,
                answers={201: answer("The email is sent.", ref("Detail"))},
                bad_request=("already_verified",),
                throttled=True,
            ),
            "put": operation(
                "Verify the address with the link token",
                operation_id="verify_confirm",
                tag="email links",
                description="The token comes in the body's `a` or in `?a=`.",
                query=link_query(),
                body=json_object(optional={"a": link_token}),
                body_required=False,
                answers={200: answer("The address is verified.", ref("Verified"))},
                bad_request=LINK_CODES,
                throttled=True,
            ),
        },
        "/api/auth/reset": {
            "post": operation(
                "Mail a password reset link",
                operation_id="reset_request",
                tag="email links",
                description=(
                    "With a token: to the account's address, and a body is optional. "
                    "Without one: to the account with `email`, answering the same whether "
                    "or not it exists."
                ),
                security=OPTIONAL_TOKEN,
                body=json_object(optional={"email": string(minLength=1, maxLength=254)}),
                body_required=False,
                answers={200: answer("Sent if the account exists.", ref("Detail"))},
                bad_request=("missing_field",),
                throttled=True,
            ),
            "put": operation(
                "Set a new password with the link token",
                operation_id="reset_confirm",
                tag="email links",
                description="Ends every session; the user logs in with the new password.",
                query=link_query(),
                body=json_object({"new_password": new_password}, {"a": link_token}),
                answers={200: answer("The password is changed.", ref("Detail"))},
                bad_request=(*LINK_CODES, "weak_password", "password_too_long"),
                throttled=True,
            ),
        },
        "/api/auth/password": {
            "post": operation(
                "Change the password",
                operation_id="change_password",
                tag="account",
                description="Needs the current password; ends every session.",
                security=TOKEN,
                body=json_object(
                    {
                        "current_password": string(minLength=1),
                        "new_password": new_password,
                    }
                ),
                answers={200: answer("The password is changed.", ref("Detail"))},
                bad_request=(
                    "missing_field",
                    "invalid_credentials",
                    "weak_password",
                    "password_too_long",
                ),
                throttled=True,
            )
        },
        "/api/health": {
            "get": {
                "operationId": "health",
                "summary": "Whether the database and the mail server can be reached",
                "tags": ["health"],
                "security": NO_TOKEN,
                "responses": {
                    "200": answer("The database answers.", ref("Health")),
                    "503": answer("The database does not answer.", ref("Health")),
                },
            }
        },
    }
