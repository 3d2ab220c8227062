"""What social login's OpenAPI declarations share: its tag, the provider parameter, schemas."""

from accounts.openapi.builders import json_object, path_parameter, ref, string

TAG = "social login"
UNKNOWN = {404: ("unknown_provider", "not_found")}
PROVIDER = path_parameter("provider", "The provider's id, from `GET social/providers`.", 64)
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
    """An optional string query parameter."""
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
