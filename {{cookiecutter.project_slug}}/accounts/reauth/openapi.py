"""The OpenAPI declaration of re-authentication (``accounts.reauth``)."""

from accounts.openapi.builders import (
    TOKEN,
    answer,
    current_password,
    json_object,
    operation,
    ref,
    string,
)

PROOF = string(minLength=1, maxLength=64)


def paths() -> dict:
    """Re-authenticate the calling session."""
    return {
        "/api/auth/reauthenticate": {
            "post": operation(
                "Re-authenticate this session for sensitive operations",
                operation_id="reauthenticate",
                tag="session",
                description=(
                    "Send one of `current_password`, `code` (TOTP), `recovery_code` or "
                    "`passkey` (`credential.toJSON()` of the answer to the options of "
                    "`reauthenticate/passkey`). For "
                    "`AUTH_REAUTH_SECONDS` this session may then turn MFA on or off, renew "
                    "recovery codes, change the address, rename or delete the account. "
                    "Logging in does not count; each try counts as a login try."
                ),
                security=TOKEN,
                body=json_object(
                    optional={
                        "current_password": current_password(),
                        "code": PROOF,
                        "recovery_code": PROOF,
                        "passkey": ref("PasskeyCredential"),
                    }
                ),
                answers={200: answer("Re-authenticated.", ref("Reauthenticated"))},
                bad_request=(
                    "missing_field",
                    "invalid_credentials",
                    "invalid_code",
                    "invalid_credential",
                    "mfa_not_enabled",
                    "no_passkey",
                ),
                throttled=True,
                mfa=True,
            )
        },
        "/api/auth/reauthenticate/passkey": {
            "post": operation(
                "Re-authenticate with a passkey: request options",
                operation_id="reauthenticate_passkey_options",
                tag="session",
                description=(
                    "Options for `navigator.credentials.get()` naming this account's passkeys; "
                    "then send the answer to `reauthenticate` as `passkey`."
                ),
                security=TOKEN,
                answers={200: answer("The request options.", ref("PasskeyOptions"))},
                bad_request=("no_passkey",),
            )
        },
    }
