"""The relying party: what an authenticator is told, and what its answer must prove (SEC-61).

Why ``webauthn`` (py_webauthn) does the checking: one function per step of a ceremony
(``generate_registration_options``, ``verify_registration_response``,
``generate_authentication_options``, ``verify_authentication_response``), each taking every
expectation explicitly (the challenge, the origin or origins, the relying party id, whether
the user must have been verified) and raising when one fails; and WebAuthn Level 3's JSON
forms in and out, the ones ``PublicKeyCredential.parseCreationOptionsFromJSON`` and
``credential.toJSON()`` speak, so no conversion code of ours stands between the browser and
the check. Nothing here is mocked in the tests: a software authenticator signs for real.

Before the library sees an answer, ``parse`` checks its shape strictly: every binary field
is base64url of the alphabet and nothing else (Python's decoder would skip stray
characters), ``clientDataJSON`` is a JSON object of the right ``type`` and not cross-origin,
and the challenge inside it is what finds the stored challenge. Anything the library then
raises on hostile bytes (CBOR, keys, certificates) is an ``InvalidCredential``, never a 500.

Settings, read when used: the relying party id is ``AUTH_WEBAUTHN_RP_ID`` (else
``DOMAIN_NAME``); the origins are ``FRONTEND_URL``'s plus ``AUTH_WEBAUTHN_ORIGINS``.
"""

import base64
import binascii
import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers.structs import (
    AttestationConveyancePreference,
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from accounts import conf
from accounts.core.audit import security_event
from accounts.errors import InvalidCredential

TIMEOUT_MS = 300_000  # what the browser is told; the stored challenge lives as long
CREDENTIAL_ID_MAX = 1023  # bytes (WebAuthn Level 3, section 5.8.3)
USER_HANDLE_MAX = 64  # bytes (section 5.4.3)
B64URL = re.compile(r"^[A-Za-z0-9_-]*\Z")
TRANSPORTS = {transport.value for transport in AuthenticatorTransport}


# --- Who we are --------------------------------------------------------------------
def rp_id() -> str:
    """Return the relying party id: ``AUTH_WEBAUTHN_RP_ID``, else ``DOMAIN_NAME``."""
    return conf.get("AUTH_WEBAUTHN_RP_ID") or conf.get("DOMAIN_NAME")


def origin_of(url: str) -> str:
    """Return ``scheme://host[:port]`` of ``url`` (the browser's form of an origin), or ``""``."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def origins() -> list[str]:
    """Return the origins whose pages and apps may use passkeys."""
    found = [origin_of(conf.get("FRONTEND_URL")), *conf.get("AUTH_WEBAUTHN_ORIGINS")]
    return list(dict.fromkeys(origin.rstrip("/") for origin in found if origin))


def origin_problems() -> list[str]:
    """Return each web origin whose host the relying party id does not cover (``check``).

    A browser offers a passkey only where the RP id is the page's host or a parent domain of
    it. Loopback addresses are development's and never work (browsers refuse IP addresses);
    native apps' origins (``android:apk-key-hash:...``) are checked by their platform.
    """
    rp = rp_id().lower()
    problems = []
    for origin in origins():
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https"):
            continue
        host = (parts.hostname or "").lower()
        if host in ("127.0.0.1", "::1"):
            continue
        if not rp or not (host == rp or host.endswith("." + rp)):
            problems.append(f"{origin} is not on the relying party id {rp!r}")
    return problems


def user_handle(user) -> bytes:
    """Return the user handle passkeys of ``user`` carry: its primary key, no name or address."""
    return str(user.pk).encode("ascii")


# --- Options -----------------------------------------------------------------------
def _as_json(options) -> dict:
    return json.loads(options_to_json(options))


def _descriptors(stored: list[dict]) -> list[PublicKeyCredentialDescriptor]:
    return [
        PublicKeyCredentialDescriptor(
            id=decode(element["credential_id"]),
            transports=[AuthenticatorTransport(t) for t in element.get("transports", [])],
        )
        for element in stored
    ]


def creation_options(user, challenge: bytes, existing: list[dict]) -> dict:
    """Return the options that make a passkey: discoverable, user verification preferred.

    ``existing`` (the account's passkeys) are excluded, so an authenticator that holds one
    says so instead of making a second. No attestation is asked for (``none``).
    """
    options = generate_registration_options(
        rp_id=rp_id(),
        rp_name=conf.get("SITE_NAME") or rp_id(),
        user_id=user_handle(user),
        user_name=user.username,
        challenge=challenge,
        timeout=TIMEOUT_MS,
        attestation=AttestationConveyancePreference.NONE,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=_descriptors(existing),
    )
    return _as_json(options)


def request_options(challenge: bytes, allowed: list[dict], *, verify_user: bool) -> dict:
    """Return the options that ask for a passkey: any discoverable one when ``allowed`` is
    empty (a passwordless login), else one of those (a second factor)."""
    options = generate_authentication_options(
        rp_id=rp_id(),
        challenge=challenge,
        timeout=TIMEOUT_MS,
        allow_credentials=_descriptors(allowed),
        user_verification=(
            UserVerificationRequirement.REQUIRED
            if verify_user
            else UserVerificationRequirement.PREFERRED
        ),
    )
    return _as_json(options)


# --- Reading an answer -------------------------------------------------------------
def decode(text) -> bytes:
    """Return the bytes of strict base64url ``text`` (no padding, no stray characters)."""
    if not isinstance(text, str) or not B64URL.match(text) or len(text) % 4 == 1:
        raise InvalidCredential("The passkey's answer is not valid base64url.")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise InvalidCredential("The passkey's answer is not valid base64url.") from None


def encode(data: bytes) -> str:
    """Return ``data`` as base64url without padding: the form stored and shown."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class Answer:
    """A browser's answer (``credential.toJSON()``), its shape checked, not yet verified."""

    json: dict  # what the library verifies
    credential_id: str  # canonical base64url of rawId
    challenge: bytes
    user_handle: bytes | None
    transports: tuple[str, ...]


def parse(credential, ceremony: str) -> Answer:
    """Check the shape of ``credential`` for ``ceremony`` (``create`` or ``get``); raise
    ``InvalidCredential`` for anything malformed."""
    if not isinstance(credential, dict) or credential.get("type") != "public-key":
        raise InvalidCredential("The passkey's answer is not a public-key credential.")
    raw_id = decode(credential.get("rawId"))
    if not 0 < len(raw_id) <= CREDENTIAL_ID_MAX or credential.get("id") != encode(raw_id):
        raise InvalidCredential("The passkey's id is not valid.")
    response = credential.get("response")
    if not isinstance(response, dict):
        raise InvalidCredential("The passkey's answer has no response.")
    binary = ("attestationObject",) if ceremony == "create" else ("authenticatorData", "signature")
    for name in ("clientDataJSON", *binary):
        decode(response.get(name))
    client_data = _client_data(decode(response["clientDataJSON"]), ceremony)
    handle = response.get("userHandle")
    user_handle = decode(handle) if handle not in (None, "") else None
    if user_handle is not None and len(user_handle) > USER_HANDLE_MAX:
        raise InvalidCredential("The passkey's user handle is not valid.")
    transports = response.get("transports") if ceremony == "create" else None
    if not isinstance(transports, list):
        transports = []
    kept = tuple(t for t in transports if isinstance(t, str) and t in TRANSPORTS)  # [[]]: dropped
    return Answer(
        json=credential,
        credential_id=encode(raw_id),
        challenge=decode(client_data["challenge"]),
        user_handle=user_handle,
        transports=tuple(dict.fromkeys(kept)),
    )


def _client_data(raw: bytes, ceremony: str) -> dict:
    """Return ``clientDataJSON`` as a dict, refusing a wrong type or a cross-origin frame."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise InvalidCredential("The passkey's clientDataJSON is not JSON.") from None
    if not isinstance(data, dict) or data.get("type") != f"webauthn.{ceremony}":
        raise InvalidCredential("The passkey's clientDataJSON is not for this step.")
    if data.get("crossOrigin") is True:  # a page framed by another origin asked for it
        raise InvalidCredential("The passkey was used from a frame of another site.")
    if not isinstance(data.get("challenge"), str):
        raise InvalidCredential("The passkey's clientDataJSON carries no challenge.")
    return data


# --- Verifying it --------------------------------------------------------------------
def _refuse(exc: Exception, event: str, **fields):
    security_event(event, reason=f"{type(exc).__name__}: {exc}"[:200], **fields)
    return InvalidCredential()


def verify_attestation(answer: Answer, challenge: bytes):
    """Verify a new passkey's attestation (``none``, ``packed`` or another format the library
    checks); return the library's ``VerifiedRegistration``."""
    try:
        return verify_registration_response(
            credential=answer.json,
            expected_challenge=challenge,
            expected_rp_id=rp_id(),
            expected_origin=origins(),
            require_user_verification=False,  # preferred, not required: a second factor too
        )
    except Exception as exc:  # noqa: BLE001 - the library's many errors on hostile input
        raise _refuse(exc, "passkey_attestation_refused") from None


def verify_assertion(answer: Answer, challenge: bytes, public_key: bytes, *, verify_user: bool):
    """Verify a passkey's signature over this challenge and origin; return the library's
    ``VerifiedAuthentication`` (its ``new_sign_count`` is checked by the caller, atomically)."""
    try:
        return verify_authentication_response(
            credential=answer.json,
            expected_challenge=challenge,
            expected_rp_id=rp_id(),
            expected_origin=origins(),
            credential_public_key=public_key,
            credential_current_sign_count=0,  # compared by the caller, in the update's filter
            require_user_verification=verify_user,
        )
    except Exception as exc:  # noqa: BLE001 - the library's many errors on hostile input
        raise _refuse(exc, "passkey_assertion_refused") from None
