"""What operations share: the error body, the shared error answers, headers and token scheme."""

from accounts.models import User, profile
from accounts.openapi.builders import error, json_object, profile_field, ref, string


def components() -> dict:
    """The schemas, answers, headers and token scheme that operations share."""
    error_schema = json_object(
        {
            "error": string("A message for people."),
            "code": string("A code for programs."),
        },
        {
            "errors": {
                "type": "object",
                "description": "Where form fields are at fault: each field's messages.",
                "additionalProperties": {"type": "array", "items": string()},
            }
        },
    )
    datetime = string(format="date-time")
    passkey = json_object(
        {
            "id": string("Opaque; names it in `passkeys/<id>`."),
            "name": string(maxLength=64),
            "created_at": datetime,
            "last_used_at": {"type": ["string", "null"], "format": "date-time"},
        }
    )
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
                    "mfa_methods": {
                        "type": "array",
                        "description": "The second factors the account has.",
                        "items": {"enum": ["totp", "passkey", "recovery_codes"]},
                    },
                    # The rest of User.PROFILE_FIELDS, which PATCH me sets.
                    **{
                        field.name: profile_field(field)
                        for field in profile.fields(User)
                        if field.name != User.USERNAME_FIELD
                    },
                }
            ),
            "Token": json_object(
                {
                    "token": string("Send it as `Authorization: Bearer <token>`."),
                    "expires_at": datetime,
                }
            ),
            "BrowserSession": json_object(
                {"expires_at": datetime},
                additionalProperties=False,
                description="A browser client's new session (`X-Auth-Client: browser`): the "
                "token is in the HttpOnly cookie `Set-Cookie` carries, never in the body; the "
                "`X-CSRFToken` header holds the new CSRF token.",
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
            "Sessions": json_object(
                {
                    "sessions": {
                        "type": "array",
                        "description": "The caller's live sessions, newest first.",
                        "items": json_object(
                            {
                                "id": string("Opaque; neither the token nor its digest."),
                                "created_at": datetime,
                                "expires_at": datetime,
                                "current": {
                                    "type": "boolean",
                                    "description": "The session of this request's token.",
                                },
                                "user_agent": string(
                                    "The client's User-Agent at login, printable ASCII, "
                                    "at most 200 characters.",
                                    maxLength=200,
                                ),
                            }
                        ),
                    }
                }
            ),
            "Passkey": passkey,
            "NewPasskey": json_object(
                passkey["properties"],
                {
                    "recovery_codes": {
                        "type": "array",
                        "items": string(),
                        "minItems": 1,
                        "description": "Only when this passkey turned MFA on: keep them.",
                    }
                },
            ),
            "Passkeys": json_object(
                {
                    "passkeys": {
                        "type": "array",
                        "items": ref("Passkey"),
                        "description": "Oldest first.",
                    }
                }
            ),
            "PasskeyOptions": json_object(
                {
                    "options": {
                        "type": "object",
                        "description": "WebAuthn Level 3 options in JSON (base64url): give them "
                        "to `PublicKeyCredential.parseCreationOptionsFromJSON` or "
                        "`parseRequestOptionsFromJSON`.",
                    }
                }
            ),
            "PasskeyCredential": json_object(
                {
                    "id": string(minLength=1, maxLength=1400),
                    "rawId": string(minLength=1, maxLength=1400),
                    "type": {"const": "public-key"},
                    "response": {"type": "object"},
                },
                {
                    "authenticatorAttachment": {"type": ["string", "null"]},
                    "clientExtensionResults": {"type": "object"},
                },
                description="What `credential.toJSON()` gives (WebAuthn Level 3, base64url).",
            ),
            "Reauthenticated": json_object(
                {
                    "reauthenticated_until": string(
                        "Sensitive operations work until then.", format="date-time"
                    )
                }
            ),
            "Verified": json_object(
                {"email_verified": {"const": True}, "email_verified_at": datetime}
            ),
            "Health": json_object(
                {"status": {"enum": ["ok", "degraded", "unavailable"]}},
                {
                    "database": {
                        "enum": ["ok", "unreachable"],
                        "description": "Only for the probe and staff, as `outbox`.",
                    },
                    "email": {
                        "enum": ["ok", "unreachable"],
                        "description": "Only for the probe and staff, as `outbox`.",
                    },
                    "outbox": {
                        "description": "The mail queue; `null` while the database is down. "
                        "Only for the container's probe (a loopback client no proxy forwarded) "
                        "and a staff account's token: its depth would tell anyone whether a "
                        "reset just queued a mail, that is, whether an address has an account.",
                        "oneOf": [
                            {"type": "null"},
                            json_object(
                                {
                                    "status": {"enum": ["ok", "backlogged"]},
                                    "depth": {"type": "integer", "minimum": 0},
                                    "oldest_age_seconds": {"type": "number", "minimum": 0},
                                }
                            ),
                        ],
                    },
                },
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
            "ReauthenticationRequired": {
                "description": "The session has not re-authenticated lately (`reauthentication_"
                "required`): POST reauthenticate with one of `methods` (`social`: POST "
                "social/<provider>/reauthenticate), or send the right `current_password` with "
                "this request.",
                "content": {
                    "application/json": {
                        "schema": {
                            "allOf": [
                                ref("Error"),
                                json_object(
                                    {
                                        "code": {"enum": ["reauthentication_required"]},
                                        "methods": {
                                            "type": "array",
                                            "items": {
                                                "enum": [
                                                    "password",
                                                    "totp",
                                                    "recovery_code",
                                                    "passkey",
                                                    "social",
                                                ]
                                            },
                                        },
                                    }
                                ),
                            ]
                        }
                    }
                },
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
                "`Authorization: Bearer <token>` (the bare token works too). A browser client "
                "(`X-Auth-Client: browser` at login) sends its session cookie instead, and "
                "`X-CSRFToken` with each POST, PUT, PATCH and DELETE (`GET /api/auth/csrf`); "
                "when both come, the header wins.",
            }
        },
    }
