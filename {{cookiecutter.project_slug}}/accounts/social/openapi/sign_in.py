"""Social login's sign-in operations: the providers, the browser's round trip, native apps'
ID tokens, and the front end's one-time code."""

from accounts.openapi.builders import OPTIONAL_TOKEN, answer, json_object, operation, ref, string
from accounts.social.openapi.schemas import (
    CALLBACK_FIELDS,
    ID_TOKEN_FIELDS,
    IDENTITY,
    LOGIN,
    NONCE,
    PROVIDER,
    REDIRECT,
    TAG,
    UNKNOWN,
    query,
)


def paths() -> dict:
    """The providers, the redirect flow, the token flow and the code exchange."""
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
    }
