"""The small functions every declaration in ``paths.py`` is written with.

``operation()`` adds the answers operations share: 401 when it takes a token, 413/415 when
it reads a body, 429 when it is throttled, 503 always; each error answer lists its ``code``s.
"""

from http import HTTPStatus

from django.core import validators
from django.utils.text import capfirst

from accounts.core.passwords import length_limits
from accounts.models import profile

TOKEN = [{"token": []}]  # a login token is required
OPTIONAL_TOKEN = [{}, {"token": []}]  # works with or without one
NO_TOKEN: list = []

# What each error code means, shown beside the codes each operation can answer.
CODES = {
    "invalid_json": "the body is not a JSON object",
    "invalid_input": "a malformed request (e.g. Content-Length)",
    "csrf_failed": "a request relying on cookies without the CSRF cookie and X-CSRFToken header",
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
    "invalid_code": "a wrong, reused or expired code (TOTP, recovery, login code or social "
    "sign-in's)",
    "invalid_mfa_token": "the login's second step is over: log in again",
    "mfa_already_enabled": "two-factor authentication is already on",
    "mfa_not_enabled": "two-factor authentication is not on",
    "mfa_setup_not_started": "start the set-up (POST mfa/totp) first",
    "email_unchanged": "that is already the account's address",
    "reauthentication_required": "re-authenticate first (POST reauthenticate)",
    "read_only_field": "a field PATCH me cannot set (the message names it)",
    "unknown_field": "a field PATCH me does not know (the message names it)",
    "no_fields": "PATCH me without any field to change",
    "not_found": "not one of the caller's own sessions, passkeys or linked providers (another "
    "account's answers the same), or login by code where `AUTH_LOGIN_METHODS` leaves it out",
    "invalid_credential": "a passkey answer that does not verify: wrong origin or RP id, a used or "
    "expired challenge, an unknown or another account's passkey, a sign count that went back, "
    "malformed",
    "no_passkey": "the account has no passkey",
    "too_many_passkeys": "the account has as many passkeys as it may (20)",
    "database_unavailable": "the database cannot be reached",
    "mfa_unavailable": "`AUTH_MFA_KEY` is not configured on this server",
    "unknown_provider": "no sign-in provider has that id here (GET social/providers)",
    "unsupported_flow": "the provider does not offer that flow (its `flows`)",
    "invalid_id_token": "forged, expired, for another client or nonce, or not the provider's",
    "provider_error": "the provider turned the sign-in down",
    "email_required": "the provider shares no usable address, which a new account needs",
    "account_exists": "another account has this address or provider account: log in, then link",
    "too_many_identities": "the account has as many linked providers as it may",
    "last_login_method": "the only way into the account: set a password or link another first",
    "provider_unavailable": "the provider cannot be reached, or answered nothing usable",
    "not_authenticated": "no token was sent (`WWW-Authenticate: Bearer`)",
    "invalid_token": "the token is not one this server issued, or it was revoked",
    "token_expired": "the token's session has expired: log in again",
    "method_not_allowed": "a method the path does not answer (`Allow` lists those it does)",
    "payload_too_large": "the body is over `AUTH_MAX_BODY_BYTES`",
    "unsupported_media_type": "the body is not `application/json`",
    "throttled": "too many attempts from this client or on this account (`Retry-After`)",
}
BODY_CODES = ("invalid_json", "invalid_input", "invalid_field")


def ref(name: str, kind: str = "schemas") -> dict:
    return {"$ref": f"#/components/{kind}/{name}"}


def path_parameter(name: str, description: str, max_length: int) -> dict:
    """A required string in the path (an id the API handed out, or a provider's)."""
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": string(minLength=1, maxLength=max_length),
    }


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
    reauth: bool = False,
    errors: dict[int, tuple[str, ...]] | None = None,
    unavailable: tuple[str, ...] = (),
) -> dict:
    """Declare one operation; the shared error answers it can get are added here.

    ``mfa``: the operation opens two-factor secrets, so a server without ``AUTH_MFA_KEY``
    answers it 503 ``mfa_unavailable``. ``reauth``: it needs a re-authenticated session, else
    a 403 ``reauthentication_required`` (SEC-55). ``errors``: other failing statuses and their
    codes, e.g. ``{404: ("not_found",)}``. ``unavailable``: 503 codes besides the database's,
    e.g. ``("provider_unavailable",)``.
    """
    responses = {str(status): response for status, response in answers.items()}
    codes = list(bad_request)
    if body is not None:
        codes = [*BODY_CODES, *codes]
    if reauth:  # a `current_password` in the body re-authenticates the request, or is refused
        codes = [*codes, "missing_field", "invalid_credentials"]
    if codes:
        responses["400"] = error("Bad input", codes)
    for status, status_codes in (errors or {}).items():
        responses[str(status)] = error(HTTPStatus(status).phrase, status_codes)
    if security:
        responses["401"] = ref("Unauthorized", "responses")
    if reauth:
        responses["403"] = ref("ReauthenticationRequired", "responses")
    if body is not None:
        responses["413"] = ref("PayloadTooLarge", "responses")
        responses["415"] = ref("UnsupportedMediaType", "responses")
    if throttled:
        responses["429"] = ref("Throttled", "responses")
    if mfa or unavailable:
        codes_503 = ["database_unavailable", *unavailable, *(["mfa_unavailable"] if mfa else [])]
        responses["503"] = error("Unavailable", codes_503)
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


def browser_client() -> dict:
    """The ``X-Auth-Client`` header of the operations that start a session (SEC-64)."""
    return {
        "name": "X-Auth-Client",
        "in": "header",
        "required": False,
        "description": "`browser`: the token comes back as an HttpOnly cookie, not in the body "
        "(docs/browser-sessions.md); any other value, or none, changes nothing.",
        "schema": string(maxLength=64, examples=["browser"]),
    }


def new_session(description: str, challenge: bool = True) -> dict:
    """Answer an operation that logs in: a token, a browser session, or the ``mfa_token``."""
    answers = [ref("Token"), ref("BrowserSession")]
    if challenge:
        answers.append(ref("MfaChallenge"))
    return answer(description, {"oneOf": answers})


LINK_CODES = ("missing_field", "invalid_link", "link_expired", "link_used")


def link_query() -> list:
    """The ``?a=`` query parameter of the link endpoints."""
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
    minimum, maximum = length_limits()
    return (
        {"maxLength": maximum} if minimum is None else {"maxLength": maximum, "minLength": minimum}
    )


def new_password() -> dict:
    """A new password's schema, its length limits read from the settings in force."""
    return string(
        "Any Unicode; not common, not built from the username, address or site name.",
        **password_limits(),
    )


def current_password() -> dict:
    """The body's ``current_password``: it re-authenticates this request (SEC-55)."""
    return string(
        "The account's password: re-authenticates this request, as POST reauthenticate would.",
        minLength=1,
    )


def link_token() -> dict:
    """The body's ``a``: the link token from an email."""
    return string("The link token from the email.", minLength=1, maxLength=256)


def profile_field(field) -> dict:
    """The schema of a profile field's value (``User.PROFILE_FIELDS``), from the model field.

    What the field's ``clean`` checks and a schema can say: the JSON type, ``null``, ``blank``,
    ``choices`` and the length and value bounds of its validators (``max_length`` is one).
    Other validators (a regex, say) are the field's alone: a value they refuse is a 400.
    """
    kind = profile.json_type(field)
    schema = string(format=kind) if kind in ("date-time", "date") else {"type": kind}
    if kind == "string" and not field.blank:
        schema["minLength"] = 1
    if kind == "integer":
        schema.update(minimum=-profile.INT64, maximum=profile.INT64 - 1)
    bounds = {
        validators.MinLengthValidator: ("minLength", max),
        validators.MaxLengthValidator: ("maxLength", min),
        validators.MinValueValidator: ("minimum", max),
        validators.MaxValueValidator: ("maximum", min),
    }
    for validator in field.validators:
        keyword, tighter = bounds.get(type(validator), (None, None))
        if keyword and not callable(validator.limit_value):
            limit = validator.limit_value
            schema[keyword] = tighter(schema[keyword], limit) if keyword in schema else limit
    if field.choices:
        schema["enum"] = [value for value, _ in field.flatchoices]
        if kind == "string" and field.blank and "" not in schema["enum"]:
            schema["enum"].append("")  # a blank field takes "" whatever its choices
    if field.null and field.blank:  # null is an empty value: a field that is not blank refuses it
        schema["type"] = [schema["type"], "null"]
        if "enum" in schema:
            schema["enum"].append(None)
    schema["description"] = str(field.help_text or capfirst(field.verbose_name))
    return schema
