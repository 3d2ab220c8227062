"""The OpenAPI declarations of login by code (``accounts.codes``)."""

from accounts.codes.flows import CODE_MAX, EMAIL_MAX
from accounts.openapi.builders import (
    answer,
    browser_client,
    json_object,
    new_session,
    operation,
    ref,
    string,
)


def paths() -> dict:
    """Ask for a login code, then log in with it."""
    email = string(minLength=1, maxLength=EMAIL_MAX, examples=["alice@example.org"])
    return {
        "/api/auth/login/code": {
            "post": operation(
                "Mail a one-time login code",
                operation_id="login_code_request",
                tag="session",
                description=(
                    "Answers the same, in the same time, whether or not an account has the "
                    "address; a known one gets an 8-character code that works once, for 10 "
                    "minutes and 3 tries. Throttled per IP and per address. 404 while "
                    "`AUTH_LOGIN_METHODS` leaves `code` out."
                ),
                body=json_object({"email": email}),
                answers={202: answer("Sent if the account exists.", ref("Detail"))},
                bad_request=("missing_field",),
                errors={404: ("not_found",)},
                throttled=True,
            ),
            "put": operation(
                "Log in with the mailed code",
                operation_id="login_code",
                tag="session",
                description=(
                    "A wrong, used, expired or dead code, and an unknown address, are all "
                    "`invalid_code`. An account with a second factor gets the second step "
                    "(`mfa_required`) unless `AUTH_LOGIN_CODE_SKIPS_MFA`. The address counts "
                    "as verified once a code sent to it has logged in."
                ),
                query=[browser_client()],
                body=json_object(
                    {
                        "email": email,
                        "code": string(
                            "As mailed (`ABCD-EFGH`); case, spaces and the dash do not matter.",
                            minLength=1,
                            maxLength=CODE_MAX,
                        ),
                    }
                ),
                answers={
                    200: new_session(
                        "A new login token (a cookie for `X-Auth-Client: browser`) or the "
                        "second step's `mfa_token`."
                    )
                },
                bad_request=("missing_field", "invalid_code"),
                errors={404: ("not_found",)},
                throttled=True,
                mfa=True,
            ),
        }
    }
