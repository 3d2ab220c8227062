"""The OpenAPI declarations of social login (``accounts.social``)."""

from accounts.openapi.builders import (
    OPTIONAL_TOKEN,
    TOKEN,
    answer,
    current_password,
    json_object,
    operation,
    ref,
    string,
)

TAG = "social login"
UNKNOWN = {404: ("unknown_provider", "not_found")}
PROVIDER = {
    "name": "provider",
    "in": "path",
    "required": True,
    "description": "The provider's id, from `GET social/providers`.",
    "schema": string(minLength=1, maxLength=64),
}
ID_TOKEN_FIELDS = {
    "id_token": string("The ID token the platform's SDK returned.", minLength=1, maxLength=16384),
}
NONCE = {"nonce": string("The nonce the sign-in used, when it used one.", maxLength=256)}
IDENTITY = json_object(
    {
        "id": string("Opaque: `DELETE social/identities/<id>` unlinks it."),
        "provider": string(),
        "email": string("The address the provider gave when it was linked (may be empty)."),
        "linked_at": string(format="date-time"),
    }
)
AUTHORIZATION_URL = json_object(
    {
        "authorization_url": string(
            "Send the browser there (`GET social/<provider>/start?ticket=...`); the round trip "
            "ends at the front end's `/social#code=...`, which this session then posts to "
            "`social/exchange`."
        )
    }
)
REDIRECT = {
    "description": "To the provider, or on to the front end's `/social#code=...` "
    "(`#error=<code>` when it failed).",
    "headers": {"Location": {"required": True, "schema": string()}},
}
LOGIN = {"oneOf": [ref("Token"), ref("MfaChallenge")]}


def query(name: str, description: str, **constraints) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": string(**constraints),
    }


CALLBACK_FIELDS = {
    "code": "The provider's authorization code.",
    "state": "The state the start sent.",
    "error": "The provider's refusal (`access_denied` when the user said no).",
    "iss": "The provider's issuer (RFC 9207).",
}


def paths() -> dict:
    """The providers, the redirect and token flows, linking and the identity list."""
    start = operation(
        "Start a sign-in at a provider (a browser navigates here)",
        operation_id="social_start",
        tag=TAG,
        description=(
            "Answers a redirect to the provider with `state`, `nonce` and a PKCE S256 challenge; "
            "the state is bound to this browser by an HttpOnly cookie. `next` and "
            "`client_state` come back in the front end's fragment. `ticket` (from "
            "`social/<provider>/link` or `.../reauthenticate`) continues a link or a "
            "re-authentication. A failure past the request's own mistakes sends the browser "
            "to `/social#error=<code>`."
        ),
        query=[
            PROVIDER,
            query("next", "A path of the front end to go on to, e.g. `/account`.", maxLength=200),
            query("client_state", "The front end's own value, echoed back.", maxLength=64),
            query("ticket", "A link's or re-authentication's ticket."),
        ],
        answers={302: REDIRECT},
        bad_request=("invalid_input", "invalid_field", "unsupported_flow"),
        errors=UNKNOWN,
    )
    callback = {
        "summary": "The provider's answer (the provider sends the browser here)",
        "description": (
            "Checks the state against this browser's cookie, exchanges the code, then sends "
            "the browser to the front end's `/social#code=<one-time code>` (60 s, once), or "
            "`#error=<code>`. Never a session token in a URL."
        ),
    }
    callback_get = operation(
        callback["summary"],
        operation_id="social_callback",
        tag=TAG,
        description=callback["description"],
        query=[PROVIDER, *(query(name, text) for name, text in CALLBACK_FIELDS.items())],
        answers={302: REDIRECT},
        errors=UNKNOWN,
    )
    callback_post = operation(
        callback["summary"] + ", as a form (Apple)",
        operation_id="social_callback_form",
        tag=TAG,
        description=callback["description"],
        query=[PROVIDER],
        answers={302: REDIRECT},
        errors=UNKNOWN,
    )
    callback_post["requestBody"] = {
        "required": False,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": json_object(optional={n: string() for n in CALLBACK_FIELDS})
            }
        },
    }
    return {
        "/api/auth/social/providers": {
            "get": operation(
                "The providers one may sign in with",
                operation_id="social_providers",
                tag=TAG,
                answers={
                    200: answer(
                        "Each with the flows it offers: `redirect` (browsers), `token` "
                        "(native apps' ID tokens).",
                        json_object(
                            {
                                "providers": {
                                    "type": "array",
                                    "items": json_object(
                                        {
                                            "id": string(),
                                            "name": string(),
                                            "flows": {
                                                "type": "array",
                                                "items": {"enum": ["redirect", "token"]},
                                            },
                                        }
                                    ),
                                }
                            }
                        ),
                    )
                },
            )
        },
        "/api/auth/social/{provider}/start": {"get": start},
        "/api/auth/social/{provider}/callback": {"get": callback_get, "post": callback_post},
        "/api/auth/social/exchange": {
            "post": operation(
                "Trade the front end's one-time code",
                operation_id="social_exchange",
                tag=TAG,
                description=(
                    "A sign-in's code answers the session, or the second factor's challenge. A "
                    "link's or re-authentication's code works only for the session that asked "
                    "for it: its token, or its browser session cookie (with `X-CSRFToken`)."
                ),
                security=OPTIONAL_TOKEN,
                body=json_object({"code": string(minLength=1, maxLength=256)}),
                answers={
                    200: answer(
                        "Signed in (or the second step), re-authenticated, or already linked.",
                        {"oneOf": [ref("Token"), ref("MfaChallenge"), ref("Reauthenticated")]},
                    ),
                    201: answer("The provider account is now linked.", IDENTITY),
                },
                bad_request=(
                    "missing_field",
                    "invalid_code",
                    "invalid_credentials",
                    "too_many_identities",
                ),
                errors={409: ("account_exists",)},
                mfa=True,
            )
        },
        "/api/auth/social/{provider}/token": {
            "post": operation(
                "Sign in with an ID token (native apps)",
                operation_id="social_token",
                tag=TAG,
                description=(
                    "The ID token an app got from the platform (Android Credential Manager, "
                    "Sign in with Apple) is checked: signature against the provider's keys, "
                    "issuer, audience (any configured client id), expiry and `nonce`. A new "
                    "provider account makes a new account; an address another account has "
                    "answers 409."
                ),
                query=[PROVIDER],
                body=json_object(ID_TOKEN_FIELDS, NONCE),
                answers={200: answer("Signed in, or the second step.", LOGIN)},
                bad_request=(
                    "missing_field",
                    "invalid_id_token",
                    "unsupported_flow",
                    "email_required",
                    "invalid_credentials",
                ),
                errors={**UNKNOWN, 409: ("account_exists",)},
                throttled=True,
                mfa=True,
                unavailable=("provider_unavailable",),
            )
        },
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
                query=[
                    {
                        "name": "identity_id",
                        "in": "path",
                        "required": True,
                        "description": "The `id` from `GET social/identities`.",
                        "schema": string(minLength=1, maxLength=64),
                    }
                ],
                body=json_object(optional={"current_password": current_password()}),
                body_required=False,
                answers={204: answer("Unlinked.")},
                bad_request=("last_login_method",),
                errors={404: ("not_found",)},
                reauth=True,
            )
        },
    }
