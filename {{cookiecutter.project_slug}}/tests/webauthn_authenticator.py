"""A passkey authenticator in software, for the tests: real ES256 keys, real signatures.

It answers the server's options (``{"options": ...}`` of the API, WebAuthn Level 3 JSON) as a
browser with a platform authenticator would: ``create()`` gives what ``credential.toJSON()``
gives after ``navigator.credentials.create()``, with a ``none`` or a ``packed``
self-attestation; ``get()`` what it gives after ``navigator.credentials.get()``. Nothing in
the server is mocked: py_webauthn checks these signatures as it would a phone's.

Each answer can be bent the ways an attacker or a broken client would bend it (another
origin or relying party id, another challenge, a counter that went back, no user
verification), which is what the hostile-input tests ask of it. Built on ``cryptography``
and ``cbor2``, the server's own dependencies.
"""

import base64
import hashlib
import json
import secrets
import struct
from dataclasses import dataclass, field

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

UP, UV, BE, BS, AT = 0x01, 0x04, 0x08, 0x10, 0x40  # authenticator data flags
ES256 = -7
AAGUID = bytes(16)  # "no model said", as most platform authenticators send without attestation


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Credential:
    """One passkey the authenticator holds: its key, its relying party, its account."""

    id: bytes
    key: ec.EllipticCurvePrivateKey
    rp_id: str
    user_handle: bytes
    sign_count: int = 0

    def cose_public_key(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps(
            {
                1: 2,  # kty: EC2
                3: ES256,  # alg
                -1: 1,  # crv: P-256
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )

    def sign(self, data: bytes) -> bytes:
        return self.key.sign(data, ec.ECDSA(hashes.SHA256()))


@dataclass
class SoftwareAuthenticator:
    """A platform authenticator that keeps discoverable credentials, for ``origin``.

    ``counter_step`` is how much each use raises a credential's sign count (0: it keeps
    none, as synced passkeys do). ``backed_up`` sets the backup flags (a synced passkey).
    """

    origin: str
    counter_step: int = 1
    backed_up: bool = False
    credentials: dict[bytes, Credential] = field(default_factory=dict)

    # --- navigator.credentials.create() ----------------------------------------------
    def create(
        self,
        options: dict,
        *,
        attestation: str = "none",
        origin: str | None = None,
        rp_id: str | None = None,
        challenge: bytes | None = None,
        user_verified: bool = True,
        credential_id: bytes | None = None,
    ) -> dict:
        """Make a credential for ``options`` (creation options) and answer as ``toJSON()``."""
        rp_id = rp_id or options["rp"]["id"]
        credential = Credential(
            id=credential_id or secrets.token_bytes(32),
            key=ec.generate_private_key(ec.SECP256R1()),
            rp_id=rp_id,
            user_handle=unb64url(options["user"]["id"]),
        )
        client_data = self._client_data("webauthn.create", options, origin, challenge)
        attested = AAGUID + struct.pack(">H", len(credential.id)) + credential.id
        auth_data = self._auth_data(
            rp_id, AT | self._flags(user_verified), credential.sign_count, attested
        )
        auth_data += credential.cose_public_key()
        statement = {}
        if attestation == "packed":  # self-attestation: signed by the new key itself
            signed = auth_data + hashlib.sha256(client_data).digest()
            statement = {"alg": ES256, "sig": credential.sign(signed)}
        attestation_object = cbor2.dumps(
            {"fmt": attestation, "attStmt": statement, "authData": auth_data}
        )
        self.credentials[credential.id] = credential
        return answer(
            credential,
            clientDataJSON=b64url(client_data),
            attestationObject=b64url(attestation_object),
            transports=["internal", "hybrid"],
        )

    # --- navigator.credentials.get() -------------------------------------------------
    def get(
        self,
        options: dict,
        *,
        credential: Credential | None = None,
        origin: str | None = None,
        rp_id: str | None = None,
        challenge: bytes | None = None,
        user_verified: bool = True,
        sign_count: int | None = None,
    ) -> dict:
        """Sign ``options``' challenge with ``credential`` (else one of ``allowCredentials``,
        else the newest held for the relying party) and answer as ``toJSON()``."""
        credential = credential or self._pick(options)
        if sign_count is None:
            credential.sign_count += self.counter_step
            sign_count = credential.sign_count
        client_data = self._client_data("webauthn.get", options, origin, challenge)
        auth_data = self._auth_data(
            rp_id or credential.rp_id, self._flags(user_verified), sign_count, b""
        )
        signature = credential.sign(auth_data + hashlib.sha256(client_data).digest())
        return answer(
            credential,
            clientDataJSON=b64url(client_data),
            authenticatorData=b64url(auth_data),
            signature=b64url(signature),
            userHandle=b64url(credential.user_handle),
        )

    def credential_by_id(self, credential_id: str) -> Credential:
        """Return the credential with this id (base64url, as the server keeps it)."""
        return self.credentials[unb64url(credential_id)]

    # --- Parts ---------------------------------------------------------------------
    def _pick(self, options: dict) -> Credential:
        allowed = [unb64url(c["id"]) for c in options.get("allowCredentials") or []]
        held = [c for c in self.credentials.values() if c.rp_id == options["rpId"]]
        usable = [c for c in held if not allowed or c.id in allowed]
        assert usable, "this authenticator holds no passkey these options accept"
        return usable[-1]

    def _flags(self, user_verified: bool) -> int:
        flags = UP | (UV if user_verified else 0)
        return flags | (BE | BS if self.backed_up else 0)

    def _client_data(self, kind: str, options: dict, origin, challenge) -> bytes:
        data = {
            "type": kind,
            "challenge": b64url(challenge) if challenge is not None else options["challenge"],
            "origin": origin or self.origin,
            "crossOrigin": False,
        }
        return json.dumps(data, separators=(",", ":")).encode()

    @staticmethod
    def _auth_data(rp_id: str, flags: int, sign_count: int, attested: bytes) -> bytes:
        rp_hash = hashlib.sha256(rp_id.encode()).digest()
        return rp_hash + bytes([flags]) + struct.pack(">I", sign_count) + attested


def answer(credential: Credential, **response) -> dict:
    """A ``PublicKeyCredential`` of this platform authenticator, as ``toJSON()`` gives it."""
    return {
        "id": b64url(credential.id),
        "rawId": b64url(credential.id),
        "type": "public-key",
        "authenticatorAttachment": "platform",
        "clientExtensionResults": {},
        "response": response,
    }
