"""ID tokens: proof of who signed in at a provider, checked before anything trusts it (SEC-62).

Whether it comes from the redirect flow's token endpoint or from a native app's platform SDK,
an ID token is checked the same way, following OpenID Connect Core 1.0, 3.1.3.7:

- its signature, with the provider's published keys (``accounts.social.metadata``, which
  follows key rotation), in an algorithm the provider declares and that is asymmetric: an
  ``alg`` of ``none`` or ``HS256`` is refused before any key is looked at, which closes both
  the unsigned token and the old trick of an HMAC keyed with the public key;
- ``iss``: the provider's issuer (Microsoft's multi-tenant one with the token's ``tid``);
- ``aud``: one of the client ids this provider is configured with (web, iOS, Android); with
  several audiences, ``azp`` must be one of them too;
- ``exp`` and ``iat``, with ``SKEW`` seconds of clock difference allowed;
- ``nonce``: the one the sign-in started with. A token made for a nonce is refused without it.

Any failure is ``InvalidIdToken`` (400 ``invalid_id_token``), its reason logged, never told.
"""

import base64
import binascii
import hashlib
import hmac
import json

from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError

from accounts import clock
from accounts.core.audit import security_event
from accounts.social import metadata
from accounts.social.errors import InvalidIdToken
from accounts.social.profiles import SUBJECT_MAX
from accounts.social.providers import GUID_RE

MAX_LENGTH = 16 * 1024
SKEW = 60  # seconds
TENANT = "{tenantid}"


def refused(provider, reason: str) -> InvalidIdToken:
    security_event("social_id_token_refused", provider=provider.id, reason=reason)
    return InvalidIdToken()


def verify(provider, id_token, *, nonce: str = "", issued_after: float | None = None) -> dict:
    """Return the claims of ``id_token`` once every check has passed; else raise.

    ``issued_after`` (a timestamp) asks for a sign-in at least that recent: a
    re-authentication's.
    """
    if not isinstance(id_token, str) or not 0 < len(id_token) <= MAX_LENGTH:
        raise refused(provider, "malformed")
    published = metadata.discover(provider)
    if header(id_token).get("alg") not in published.algorithms:
        raise refused(provider, "algorithm")
    claims = _verified_claims(provider, id_token, published.algorithms)
    _check_issuer(provider, published.issuer, claims)
    _check_audience(provider, claims)
    _check_times(provider, claims, issued_after)
    _check_nonce(provider, claims, nonce)
    subject = claims.get("sub")
    if not isinstance(subject, str) or not 0 < len(subject) <= SUBJECT_MAX:
        raise refused(provider, "subject")
    return claims


def header(id_token: str) -> dict:
    """Return the token's JOSE header, unverified (to choose how to verify it), or ``{}``."""
    encoded = id_token.split(".", 1)[0]
    try:
        decoded = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    except (ValueError, binascii.Error, RecursionError):  # RecursionError: [[[[... too deep
        return {}
    return decoded if isinstance(decoded, dict) else {}


def _verified_claims(provider, id_token: str, algorithms) -> dict:
    """Check the signature with the provider's keys, fetched again once for an unknown key id."""
    for refresh in (False, True):
        key_set = metadata.keys(provider, refresh=refresh)
        try:
            return jwt.decode(id_token, key_set, algorithms=list(algorithms)).claims
        except InvalidKeyIdError:
            continue  # a key this process has not seen: the provider may have rotated
        except (JoseError, ValueError, TypeError, KeyError, RecursionError):
            raise refused(provider, "signature") from None
    raise refused(provider, "unknown_key")


def _check_issuer(provider, issuer: str, claims: dict) -> None:
    expected = {issuer, *provider.issuer_aliases}
    if TENANT in issuer:
        tenant = claims.get("tid")
        if not isinstance(tenant, str) or not GUID_RE.match(tenant):
            raise refused(provider, "tenant")
        expected = {issuer.replace(TENANT, tenant)}
    if claims.get("iss") not in expected:
        raise refused(provider, "issuer")


def _check_audience(provider, claims: dict) -> None:
    audience = claims.get("aud")
    audiences = [audience] if isinstance(audience, str) else audience
    if not isinstance(audiences, list) or not any(
        isinstance(a, str) and a in provider.audiences for a in audiences
    ):
        raise refused(provider, "audience")
    if len(audiences) > 1 and claims.get("azp") not in provider.audiences:
        raise refused(provider, "authorized_party")


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_times(provider, claims: dict, issued_after: float | None) -> None:
    now = clock.now().timestamp()
    expires, issued = claims.get("exp"), claims.get("iat")
    if not (_number(expires) and _number(issued)):
        raise refused(provider, "times")
    if expires + SKEW <= now:
        raise refused(provider, "expired")
    if issued - SKEW > now:
        raise refused(provider, "issued_in_the_future")
    if issued_after is not None:
        signed_in = claims.get("auth_time", issued)
        if not _number(signed_in) or min(issued, signed_in) + SKEW < issued_after:
            raise refused(provider, "sign_in_too_old")


def _check_nonce(provider, claims: dict, nonce: str) -> None:
    claim = claims.get("nonce")
    if not nonce:
        if claim is not None:  # made for a nonce that this request does not know
            raise refused(provider, "nonce_missing")
        return
    # Apple's native SDK puts the SHA-256 of the app's nonce in the token, Google the nonce.
    given = nonce.encode("utf-8", "surrogatepass")
    hashed = hashlib.sha256(given).hexdigest().encode()
    found = claim.encode("utf-8", "surrogatepass") if isinstance(claim, str) else b""
    if not (hmac.compare_digest(found, given) or hmac.compare_digest(found, hashed)):
        raise refused(provider, "nonce")
