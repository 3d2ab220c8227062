"""The OpenAPI 3.1 description of the HTTP API, served at ``GET /api/openapi.json``.

Every operation is one ``operation(...)`` call in ``paths()`` below: its summary, whether
it needs a token, its body and query, its success answers and the error ``code`` values
each failing status can carry. What every operation shares is declared once in
``components()``: the error body, the 401/413/415/429/503 answers with their
``WWW-Authenticate`` and ``Retry-After`` headers, the 405 answer with ``Allow``, and the
token security scheme. ``operation()`` adds the shared answers an operation can get (401
when it takes a token, 413/415 when it reads a body, 429 when it is throttled, 503 always).

To describe a new endpoint, add its path to ``paths()``; ``tests/test_openapi.py`` fails
while a URL under ``/api/`` is missing here, and ``tests/test_contract.py`` runs
schemathesis against a live server to check every answer against its declaration.
The document is built per request, so settings (the password length limits) apply at once.
"""

from django.contrib.auth.password_validation import (
    MinimumLengthValidator,
    get_default_password_validators,
)

from accounts import conf

OPENAPI_VERSION = "3.1.0"
API_VERSION = "1.0.0"  # raise it when a client would see a change

TOKEN = [{"token": []}]  # a login token is required
OPTIONAL_TOKEN = [{}, {"token": []}]  # works with or without one
NO_TOKEN: list = []

# What each error code means, shown beside the codes each operation can answer.
CODES = {
    "invalid_json": "the body is not a JSON object",
    "invalid_input": "a malformed request (e.g. Content-Length)",
    "missing_field": "a required field is missing or empty",
    "invalid_field": "a field has the wrong type or is too long",
    "invalid_username": "letters, digits and . _ - only, 1 to 150 characters",
    "invalid_email": "not a valid email address",
    "weak_password": "too short, too common, or built from the name, address or site name",
    "password_too_long": "over the password length cap, refused before hashing",
    "username_taken": "another account has this username",
    "email_taken": "another account has this address",
    "already_taken": "lost a race for the username or address",
    "invalid_credentials": "wrong username or password (every login failure looks the same)",
    "already_verified": "the address is already verified",
    "invalid_link": "the link token is not valid",
    "link_expired": "the link has expired",
    "link_used": "the link has already been used",
    "invalid_code": "a wrong, reused or expired TOTP or recovery code",
    "invalid_mfa_token": "the login's second step is over: log in again",
    "mfa_already_enabled": "two-factor authentication is already on",
    "mfa_not_enabled": "two-factor authentication is not on",
    "mfa_setup_not_started": "start the set-up (POST mfa/totp) first",
    "database_unavailable": "the database cannot be reached",
    "mfa_unavailable": "AUTH_MFA_KEY is not configured on this server",
}
BODY_CODES = ("invalid_json", "invalid_input", "invalid_field")
LINK_CODES = ("missing_field", "invalid_link", "link_expired", "link_used")
MFA_CODE = {"type": "string", "minLength": 1, "maxLength": 64}  # 6 digits, or a recovery code


def ref(name: str, kind: str = "schemas") -> dict:
    return {"$ref": f"#/components/{kind}/{name}"}


def string(description: str = "", **constraints) -> dict:
    """A string schema (``minLength``, ``maxLength``, ``format`` as keyword arguments)."""
    schema = {"type": "string", **constraints}
    if description:
        schema["description"] = description
    return schema


def json_object(required: dict | None = None, optional: dict | None = None, **extra) -> dict:
    """An object schema: ``required`` and ``optional`` map property names to schemas."""
    schema = {"type": "object", "properties": {**(required or {}), **(optional or {})}, **extra}
    if required:
        schema["required"] = list(required)
    return schema


def answer(description: str, schema: dict | None = None) -> dict:
    """A success answer: JSON ``schema``, or no body at all."""
    response = {"description": description}
    if schema is not None:
        response["content"] = {"application/json": {"schema": schema}}
    return response


def error(description: str, codes) -> dict:
    """An error answer whose ``code`` is one of ``codes``, each explained in the description."""
    codes = list(dict.fromkeys(codes))
    listed = "; ".join(f"`{code}`: {CODES.get(code, code)}" for code in codes)
    return {
        "description": f"{description} ({listed})",
        "content": {
            "application/json": {
                "schema": {
                    "allOf": [ref("Error"), {"properties": {"code": {"enum": codes}}}],
                }
            }
        },
    }


def operation(
    summary: str,
    *,
    operation_id: str,
    tag: str,
    answers: dict[int, dict],
    description: str = "",
    security: list = NO_TOKEN,
    body: dict | None = None,
    body_required: bool = True,
    query: list | None = None,
    bad_request: tuple[str, ...] = (),
    throttled: bool = False,
    mfa: bool = False,
) -> dict:
    """Declare one operation; the shared error answers it can get are added here.

    ``mfa``: the operation opens two-factor secrets, so a server without ``AUTH_MFA_KEY``
    answers it 503 ``mfa_unavailable``.
    """
    responses = {str(status): response for status, response in answers.items()}
    codes = list(bad_request)
    if body is not None:
        codes = [*BODY_CODES, *codes]
    if codes:
        responses["400"] = error("Bad input", codes)
    if security:
        responses["401"] = ref("Unauthorized", "responses")
    if body is not None:
        responses["413"] = ref("PayloadTooLarge", "responses")
        responses["415"] = ref("UnsupportedMediaType", "responses")
    if throttled:
        responses["429"] = ref("Throttled", "responses")
    if mfa:
        responses["503"] = error("Unavailable", ["database_unavailable", "mfa_unavailable"])
    else:
        responses["503"] = ref("DatabaseUnavailable", "responses")
    declared = {
        "operationId": operation_id,
        "summary": summary,
        "tags": [tag],
        "security": security,
        "responses": dict(sorted(responses.items())),
    }
    if description:
        declared["description"] = description
    if query:
        declared["parameters"] = query
    if body is not None:
        declared["requestBody"] = {
            "required": body_required,
            "content": {"application/json": {"schema": body}},
        }
    return declared


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
                        "username": string(minLength=1, maxLength=1024, examples=["alice"]),
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


def components() -> dict:
    """The schemas, answers, headers and token scheme that operations share."""
    error_schema = json_object(
        {
            "error": string("A message for people."),
            "code": string("A code for programs."),
        }
    )
    datetime = string(format="date-time")
    return {
        "schemas": {
            "Error": error_schema,
            "User": json_object(
                {
                    "id": string(),
                    "username": string(),
                    "email": string(),
                    "email_verified": {"type": "boolean"},
                    "email_verified_at": {"type": ["string", "null"], "format": "date-time"},
                    "mfa_enabled": {"type": "boolean"},
                }
            ),
            "Token": json_object(
                {
                    "token": string("Send it as `Authorization: Bearer <token>`."),
                    "expires_at": datetime,
                }
            ),
            "MfaChallenge": json_object(
                {
                    "mfa_required": {"const": True},
                    "mfa_token": string("Send it to `login/mfa` with a code."),
                    "expires_at": datetime,
                }
            ),
            "MfaSetup": json_object(
                {
                    "secret": string("Base32, for typing into an authenticator app."),
                    "otpauth_url": string("The same as an `otpauth://` URL."),
                    "qr_svg": string("The URL as a QR code, an SVG document."),
                }
            ),
            "RecoveryCodes": json_object(
                {"recovery_codes": {"type": "array", "items": string(), "minItems": 1}}
            ),
            "Detail": json_object({"detail": string()}),
            "Verified": json_object(
                {"email_verified": {"const": True}, "email_verified_at": datetime}
            ),
            "Health": json_object(
                {
                    "status": {"enum": ["ok", "degraded", "unavailable"]},
                    "database": {"enum": ["ok", "unreachable"]},
                    "email": {"enum": ["ok", "unreachable"]},
                }
            ),
        },
        "headers": {
            "WWW-Authenticate": {
                "description": 'The token scheme: `Bearer realm="api"`, with '
                '`error="invalid_token"` when a token was sent.',
                "required": True,
                "schema": string(),
            },
            "Allow": {
                "description": "The methods the path answers, comma-separated.",
                "required": True,
                "schema": string(),
            },
            "Retry-After": {
                "description": "Seconds until the limit resets.",
                "required": True,
                "schema": {"type": "integer", "minimum": 1},
            },
        },
        "responses": {
            "Unauthorized": {
                **error(
                    "No token, or a token that is invalid, revoked or expired",
                    ["not_authenticated", "invalid_token", "token_expired"],
                ),
                "headers": {"WWW-Authenticate": ref("WWW-Authenticate", "headers")},
            },
            "MethodNotAllowed": {
                **error("A method the path does not answer", ["method_not_allowed"]),
                "headers": {"Allow": ref("Allow", "headers")},
            },
            "PayloadTooLarge": error("The body is over the size limit", ["payload_too_large"]),
            "UnsupportedMediaType": error(
                "The body is not `application/json`", ["unsupported_media_type"]
            ),
            "Throttled": {
                **error("Too many attempts", ["throttled"]),
                "headers": {"Retry-After": ref("Retry-After", "headers")},
            },
            "DatabaseUnavailable": error(
                "The database cannot be reached", ["database_unavailable"]
            ),
        },
        "securitySchemes": {
            "token": {
                "type": "http",
                "scheme": "bearer",
                "description": "A token from `POST /api/auth/login`, sent as "
                "`Authorization: Bearer <token>` (the bare token works too).",
            }
        },
    }


DESCRIPTION = """\
JSON in and out. Every path also answers with a trailing slash.

Every failure is `{"error": "<message>", "code": "<code>"}`; each answer below lists the
codes it can carry. A method a path does not answer gets a 405 with `Allow` (see
`MethodNotAllowed`); an API answer is never cached (`Cache-Control: no-store`).
"""


def title() -> str:
    site = conf.get("SITE_NAME") or "Auth"
    return site if site.endswith("API") else f"{site} API"


def document() -> dict:
    """Return the whole OpenAPI document."""
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": title(),
            "version": API_VERSION,
            "description": DESCRIPTION,
        },
        "servers": [{"url": "/"}],
        "tags": [
            {"name": "account", "description": "Registration and the account itself"},
            {"name": "session", "description": "Login tokens"},
            {"name": "email links", "description": "Verification and password reset"},
            {"name": "two-factor", "description": "TOTP and recovery codes"},
            {"name": "health", "description": "Probes for load balancers"},
        ],
        "paths": paths(),
        "components": components(),
    }
