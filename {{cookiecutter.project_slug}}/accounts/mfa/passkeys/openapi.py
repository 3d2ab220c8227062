"""The OpenAPI declarations of passkeys (``accounts.mfa.passkeys``)."""

from accounts.openapi.builders import (
    TOKEN,
    answer,
    current_password,
    json_object,
    operation,
    path_parameter,
    ref,
    string,
)

NAME = string("What the user calls it; NFKC, printable.", minLength=1, maxLength=64)
PASSKEY_ID = path_parameter("passkey_id", "The `id` from `GET passkeys`.", 200)


def paths() -> dict:
    """Register, list, rename and remove passkeys; log in with one."""
    return {
        "/api/auth/passkeys/register": {
            "post": operation(
                "Start adding a passkey: creation options",
                operation_id="passkey_register_options",
                tag="passkeys",
                description=(
                    "Options for `navigator.credentials.create()`: a discoverable credential, "
                    "user verification preferred, the account's passkeys excluded. Needs a "
                    "re-authenticated session, or `current_password`."
                ),
                security=TOKEN,
                body=json_object(optional={"current_password": current_password()}),
                body_required=False,
                answers={200: answer("The creation options.", ref("PasskeyOptions"))},
                bad_request=("too_many_passkeys",),
                throttled=True,
                reauth=True,
            ),
            "put": operation(
                "Add the passkey the browser made",
                operation_id="passkey_register",
                tag="passkeys",
                description=(
                    "`credential` is `credential.toJSON()`; attestation `none` or `packed` "
                    "(none is required). The account's first second factor turns MFA on: "
                    "the answer then carries its `recovery_codes`, once. Mailed. Needs a "
                    "re-authenticated session, or `current_password`."
                ),
                security=TOKEN,
                body=json_object(
                    {"credential": ref("PasskeyCredential")},
                    {"name": NAME, "current_password": current_password()},
                ),
                answers={201: answer("The new passkey.", ref("NewPasskey"))},
                bad_request=("missing_field", "invalid_credential", "too_many_passkeys"),
                throttled=True,
                reauth=True,
            ),
        },
        "/api/auth/passkeys": {
            "get": operation(
                "The account's passkeys",
                operation_id="passkeys",
                tag="passkeys",
                security=TOKEN,
                answers={200: answer("Oldest first.", ref("Passkeys"))},
            )
        },
        "/api/auth/passkeys/{passkey_id}": {
            "patch": operation(
                "Rename a passkey",
                operation_id="passkey_rename",
                tag="passkeys",
                description="Another account's passkey id answers exactly as an unknown one.",
                security=TOKEN,
                query=[PASSKEY_ID],
                body=json_object({"name": NAME}),
                answers={200: answer("The renamed passkey.", ref("Passkey"))},
                bad_request=("missing_field",),
                errors={404: ("not_found",)},
            ),
            "delete": operation(
                "Remove a passkey",
                operation_id="passkey_remove",
                tag="passkeys",
                description=(
                    "The account's last second factor turns MFA off (its recovery codes go "
                    "too). Mailed. Another account's passkey id answers exactly as an unknown "
                    "one. Needs a re-authenticated session, or `current_password`."
                ),
                security=TOKEN,
                query=[PASSKEY_ID],
                body=json_object(optional={"current_password": current_password()}),
                body_required=False,
                answers={204: answer("The passkey is gone.")},
                errors={404: ("not_found",)},
                throttled=True,
                reauth=True,
            ),
        },
        "/api/auth/login/passkey": {
            "post": operation(
                "Log in with a passkey: request options",
                operation_id="login_passkey_options",
                tag="passkeys",
                description=(
                    "Options for `navigator.credentials.get()`: no `allowCredentials` (the "
                    "browser offers the passkeys it holds for this site), user verification "
                    "required."
                ),
                answers={200: answer("The request options.", ref("PasskeyOptions"))},
                throttled=True,
            ),
            "put": operation(
                "Log in with a passkey: the browser's answer",
                operation_id="login_passkey",
                tag="passkeys",
                description=(
                    "`credential` is `credential.toJSON()`. A passkey login needs no other "
                    "factor; the session is the one a password login gives."
                ),
                body=json_object({"credential": ref("PasskeyCredential")}),
                answers={200: answer("A new login token.", ref("Token"))},
                bad_request=("missing_field", "invalid_credential"),
                throttled=True,
            ),
        },
    }
