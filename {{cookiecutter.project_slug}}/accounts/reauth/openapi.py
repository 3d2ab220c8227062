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
                    "Send one of `current_password`, `code` (TOTP) or `recovery_code`. For "
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
                    }
                ),
                answers={200: answer("Re-authenticated.", ref("Reauthenticated"))},
                bad_request=(
                    "missing_field",
                    "invalid_credentials",
                    "invalid_code",
                    "mfa_not_enabled",
                ),
                throttled=True,
                mfa=True,
            )
        }
    }
