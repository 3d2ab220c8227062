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
    NO_TOKEN,
    OPTIONAL_TOKEN,
    TOKEN,
    answer,
    json_object,
    operation,
    ref,
    string,
)

LINK_CODES = ("missing_field", "invalid_link", "link_expired", "link_used")
MFA_CODE = {"type": "string", "minLength": 1, "maxLength": 64}  # 6 digits, or a recovery code


def link_query() -> list:
    return [
        {
            "name": "a",
            "in": "query",
            "required": False,
            "description": "The link token from the email; the body's `a` is preferred (SEC-20).",
            "schema": string(maxLength=256),
        }
    ]


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
        "/api/auth/login/mfa": {
            "post": operation(
                "Log in, second step: the code for the `mfa_token`",
                operation_id="login_mfa",
                tag="two-factor",
                description="Send `code` (from the authenticator app) or `recovery_code`.",
                body=json_object(
                    {"mfa_token": string(minLength=1, maxLength=256)},
                    {"code": MFA_CODE, "recovery_code": MFA_CODE},
                ),
                answers={200: answer("A new login token.", ref("Token"))},
                bad_request=("missing_field", "invalid_mfa_token", "invalid_code"),
                throttled=True,
                mfa=True,
            )
        },
        "/api/auth/mfa/totp": {
            "post": operation(
                "Start turning MFA on: a new secret to scan",
                operation_id="mfa_setup",
                tag="two-factor",
                description="Nothing changes until the set-up is confirmed with a code (PUT).",
                security=TOKEN,
                body=json_object(),
                body_required=False,
                answers={200: answer("The pending secret.", ref("MfaSetup"))},
                bad_request=("mfa_already_enabled",),
                mfa=True,
            ),
            "put": operation(
                "Confirm the set-up with a code: MFA is on",
                operation_id="mfa_confirm",
                tag="two-factor",
                security=TOKEN,
                body=json_object({"code": MFA_CODE}),
                answers={200: answer("MFA is on; keep these codes.", ref("RecoveryCodes"))},
                bad_request=(
                    "missing_field",
                    "mfa_already_enabled",
                    "mfa_setup_not_started",
                    "invalid_code",
                ),
                throttled=True,
                mfa=True,
            ),
            "delete": operation(
                "Turn MFA off",
                operation_id="mfa_disable",
                tag="two-factor",
                description="Needs the password and a `code` or a `recovery_code`.",
                security=TOKEN,
                body=json_object(
                    {"current_password": string(minLength=1)},
                    {"code": MFA_CODE, "recovery_code": MFA_CODE},
                ),
                answers={204: answer("MFA is off.")},
                bad_request=(
                    "missing_field",
                    "mfa_not_enabled",
                    "invalid_credentials",
                    "invalid_code",
                ),
                throttled=True,
                mfa=True,
            ),
        },
        "/api/auth/mfa/recovery-codes": {
            "post": operation(
                "Replace the recovery codes",
                operation_id="mfa_recovery_codes",
                tag="two-factor",
                description="Needs the password; the old codes stop working.",
                security=TOKEN,
                body=json_object({"current_password": string(minLength=1)}),
                answers={200: answer("The new codes.", ref("RecoveryCodes"))},
                bad_request=("missing_field", "mfa_not_enabled", "invalid_credentials"),
                throttled=True,
                mfa=True,
            )
        },
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
