"""The OpenAPI declarations of the seed's flows (``accounts.auth``): one ``operation()`` each.

``docs/document.py`` puts every package's declarations into ``/api/openapi.json``;
``tests/docs/test_openapi.py`` fails while a URL under ``/api/`` is not declared, and
``tests/docs/test_contract.py`` runs schemathesis against a live server to check every
answer against its declaration.
"""

from accounts import conf
from accounts.openapi.builders import (
    LINK_CODES,
    OPTIONAL_TOKEN,
    TOKEN,
    answer,
    browser_client,
    json_object,
    link_query,
    link_token,
    new_password,
    new_session,
    operation,
    ref,
    string,
)


def paths() -> dict:
    """Register, log in, verify the address, reset and change the password."""
    password = new_password()
    password_cap = conf.get("AUTH_PASSWORD_MAX_LENGTH")
    token = link_token()
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
                        "password": {**password, "examples": ["velvet-orbit-harbor-lantern"]},
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
                query=[browser_client()],
                answers={
                    200: new_session(
                        "A new login token (a cookie for `X-Auth-Client: browser`) or, for an "
                        "account with MFA on, the second step's `mfa_token` (finish at "
                        "`login/mfa`)."
                    )
                },
                bad_request=("missing_field", "invalid_credentials"),
                throttled=True,
                mfa=True,
            )
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
                body=json_object(optional={"a": token}),
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
                body=json_object({"new_password": password}, {"a": token}),
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
                        "new_password": password,
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
    }
