"""The OpenAPI declarations of two-factor authentication (``accounts.mfa``)."""

from accounts.openapi.builders import (
    TOKEN,
    answer,
    browser_client,
    current_password,
    json_object,
    new_session,
    operation,
    ref,
    string,
)

MFA_CODE = {"type": "string", "minLength": 1, "maxLength": 64}  # 6 digits, or a recovery code


def paths() -> dict:
    """The second login step, MFA set-up, turning it off and renewing recovery codes."""
    return {
        "/api/auth/login/mfa": {
            "post": operation(
                "Log in, second step: the code for the `mfa_token`",
                operation_id="login_mfa",
                tag="two-factor",
                description=(
                    "Send one of `code` (from the authenticator app), `recovery_code`, or "
                    "`passkey`: `credential.toJSON()` of the answer to `login/mfa/passkey`'s "
                    "options."
                ),
                body=json_object(
                    {"mfa_token": string(minLength=1, maxLength=256)},
                    {
                        "code": MFA_CODE,
                        "recovery_code": MFA_CODE,
                        "passkey": ref("PasskeyCredential"),
                    },
                ),
                query=[browser_client()],
                answers={
                    200: new_session(
                        "A new login token (a cookie for `X-Auth-Client: browser`).",
                        challenge=False,
                    )
                },
                bad_request=(
                    "missing_field",
                    "invalid_mfa_token",
                    "invalid_code",
                    "invalid_credential",
                ),
                throttled=True,
                mfa=True,
            )
        },
        "/api/auth/login/mfa/passkey": {
            "post": operation(
                "Log in, second step with a passkey: request options",
                operation_id="login_mfa_passkey_options",
                tag="two-factor",
                description=(
                    "Options for `navigator.credentials.get()` naming the passkeys of the "
                    "account the `mfa_token` is for; then send the answer to `login/mfa` as "
                    "`passkey`."
                ),
                body=json_object({"mfa_token": string(minLength=1, maxLength=256)}),
                answers={200: answer("The request options.", ref("PasskeyOptions"))},
                bad_request=("missing_field", "invalid_mfa_token", "no_passkey"),
                throttled=True,
            )
        },
        "/api/auth/mfa/totp": {
            "post": operation(
                "Start turning MFA on: a new secret to scan",
                operation_id="mfa_setup",
                tag="two-factor",
                description=(
                    "Nothing changes until the set-up is confirmed with a code (PUT). Needs a "
                    "re-authenticated session, or `current_password`."
                ),
                security=TOKEN,
                body=json_object(optional={"current_password": current_password()}),
                body_required=False,
                answers={200: answer("The pending secret.", ref("MfaSetup"))},
                bad_request=("mfa_already_enabled", "invalid_credentials"),
                throttled=True,
                mfa=True,
                reauth=True,
            ),
            "put": operation(
                "Confirm the set-up with a code: MFA is on",
                operation_id="mfa_confirm",
                tag="two-factor",
                description="Needs a re-authenticated session, or `current_password`.",
                security=TOKEN,
                body=json_object({"code": MFA_CODE}, {"current_password": current_password()}),
                answers={200: answer("MFA is on; keep these codes.", ref("RecoveryCodes"))},
                bad_request=(
                    "missing_field",
                    "mfa_already_enabled",
                    "mfa_setup_not_started",
                    "invalid_code",
                    "invalid_credentials",
                ),
                throttled=True,
                mfa=True,
                reauth=True,
            ),
            "delete": operation(
                "Turn MFA off",
                operation_id="mfa_disable",
                tag="two-factor",
                description=(
                    "Needs a `code` or a `recovery_code`, on a re-authenticated session or "
                    "with `current_password`."
                ),
                security=TOKEN,
                body=json_object(
                    optional={
                        "current_password": current_password(),
                        "code": MFA_CODE,
                        "recovery_code": MFA_CODE,
                    },
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
                reauth=True,
            ),
        },
        "/api/auth/mfa/recovery-codes": {
            "post": operation(
                "Replace the recovery codes",
                operation_id="mfa_recovery_codes",
                tag="two-factor",
                description=(
                    "The old codes stop working. Needs a re-authenticated session, or "
                    "`current_password`."
                ),
                security=TOKEN,
                body=json_object(optional={"current_password": current_password()}),
                body_required=False,
                answers={200: answer("The new codes.", ref("RecoveryCodes"))},
                bad_request=("mfa_not_enabled", "invalid_credentials"),
                throttled=True,
                mfa=True,
                reauth=True,
            )
        },
    }
