"""Social login on an account: linking a provider, re-authenticating with one, the list of
linked providers and unlinking."""

from accounts.openapi.builders import (
    TOKEN,
    answer,
    current_password,
    json_object,
    operation,
    path_parameter,
    ref,
)
from accounts.social.openapi.schemas import (
    AUTHORIZATION_URL,
    ID_TOKEN_FIELDS,
    IDENTITY,
    NONCE,
    PROVIDER,
    TAG,
    UNKNOWN,
)


def paths() -> dict:
    """Link, re-authenticate, the identity list and unlink."""
    return {
        "/api/auth/social/{provider}/link": {
            "post": operation(
                "Link a provider account to this account",
                operation_id="social_link",
                tag=TAG,
                description=(
                    "With `id_token`, links it at once. Without, answers the URL a browser "
                    "opens to sign in at the provider; the round trip's code is then posted "
                    "to `social/exchange` by this same session. Mailed to the account."
                ),
                security=TOKEN,
                query=[PROVIDER],
                body=json_object(
                    optional={**ID_TOKEN_FIELDS, **NONCE, "current_password": current_password()}
                ),
                body_required=False,
                answers={
                    200: answer(
                        "Where to send the browser, or the identity when already linked.",
                        {"oneOf": [AUTHORIZATION_URL, IDENTITY]},
                    ),
                    201: answer("Linked.", IDENTITY),
                },
                bad_request=(
                    "missing_field",
                    "invalid_id_token",
                    "unsupported_flow",
                    "too_many_identities",
                    "invalid_credentials",
                ),
                errors={**UNKNOWN, 409: ("account_exists",)},
                throttled=True,
                reauth=True,
                unavailable=("provider_unavailable",),
            )
        },
        "/api/auth/social/{provider}/reauthenticate": {
            "post": operation(
                "Re-authenticate this session by signing in at a linked provider",
                operation_id="social_reauthenticate",
                tag=TAG,
                description=(
                    "For accounts that have no password (`methods` lists `social`). With an "
                    "`id_token` issued within `AUTH_REAUTH_SECONDS`, at once; without, the URL "
                    "a browser opens (the provider is asked for a recent sign-in, `max_age`), "
                    "and the round trip's code is posted to `social/exchange` by this session."
                ),
                security=TOKEN,
                query=[PROVIDER],
                body=json_object(optional={**ID_TOKEN_FIELDS, **NONCE}),
                body_required=False,
                answers={
                    200: answer(
                        "Re-authenticated, or where to send the browser.",
                        {"oneOf": [ref("Reauthenticated"), AUTHORIZATION_URL]},
                    )
                },
                bad_request=(
                    "missing_field",
                    "invalid_id_token",
                    "unsupported_flow",
                    "invalid_credentials",
                ),
                errors=UNKNOWN,
                throttled=True,
                unavailable=("provider_unavailable",),
            )
        },
        "/api/auth/social/identities": {
            "get": operation(
                "The provider accounts linked to this account",
                operation_id="social_identities",
                tag=TAG,
                security=TOKEN,
                answers={
                    200: answer(
                        "Oldest first.",
                        json_object({"identities": {"type": "array", "items": IDENTITY}}),
                    )
                },
            )
        },
        "/api/auth/social/identities/{identity_id}": {
            "delete": operation(
                "Unlink a provider account",
                operation_id="social_unlink",
                tag=TAG,
                description=(
                    "Refused when it is the last way into the account: no usable password, no "
                    "passkey and no other linked provider. Mailed to the account."
                ),
                security=TOKEN,
                query=[path_parameter("identity_id", "The `id` from `GET social/identities`.", 64)],
                body=json_object(optional={"current_password": current_password()}),
                body_required=False,
                answers={204: answer("Unlinked.")},
                bad_request=("last_login_method",),
                errors={404: ("not_found",)},
                reauth=True,
            )
        },
    }
