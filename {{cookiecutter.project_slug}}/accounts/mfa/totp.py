"""TOTP secrets and codes (RFC 6238): how they are made, kept and checked.

Why these choices (SEC-50, SEC-51):

- A secret is 160 random bits (RFC 4226's recommended length); codes are 6 digits
  over 30-second steps with SHA-1, what every authenticator app reads from an
  ``otpauth://`` URL.
- A code is good for its time step and one step either side (clock drift), and
  only for a step later than the last one accepted, so a code cannot be replayed
  even inside its own window (RFC 6238, section 5.2). Accepting a step is one
  conditional update: of two requests racing with one code, one wins.
- The secret must be read back to compute codes, so it is sealed (AES-GCM,
  ``accounts.core.sealing``) under a key derived from ``AUTH_MFA_KEY``, which comes
  from the environment and never from the database; the sealed value is bound to
  its user, so it cannot be copied onto another account. There is no fallback:
  without the key nothing is sealed or opened (``MfaUnavailable``, a 503).

Recovery codes, the other second factor, are ``accounts.mfa.recovery_codes``.
"""

import base64
import hmac
import io
import re
import secrets

import pyotp
import segno

from accounts import clock, conf, documents
from accounts.core.audit import security_event
from accounts.core.sealing import SealError, derive_key, seal, unseal
from accounts.errors import MfaUnavailable
from accounts.models import User

SECRET_BYTES = 20  # 160 bits
STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1
KEY_PURPOSE = "accounts.mfa.totp-secret"
CODE_RE = re.compile(r"^[0-9]{6}\Z")


# --- Sealing the secret -----------------------------------------------------------
def key_configured() -> bool:
    """Tell whether ``AUTH_MFA_KEY`` is set, without which MFA answers 503."""
    return bool(conf.get("AUTH_MFA_KEY"))


def require_key() -> None:
    """Raise ``MfaUnavailable`` (503) unless ``AUTH_MFA_KEY`` is set."""
    if not key_configured():
        raise MfaUnavailable()


def _key(setting: str) -> bytes | None:
    secret = conf.get(setting)
    return derive_key(secret, KEY_PURPOSE) if secret else None


def _context(user: User) -> str:
    return f"totp:{user.pk}"


def seal_secret(user: User, secret: str) -> str:
    """Return ``secret`` sealed for ``user`` under the current key."""
    require_key()
    return seal(secret.encode("ascii"), _key("AUTH_MFA_KEY"), context=_context(user))


def open_secret(user: User, sealed: str) -> str:
    """Return the secret ``sealed`` holds, under the current key or, while rotating, the previous.

    A secret no configured key opens is a server problem, not the client's: it
    is logged and answered as 503 ``mfa_unavailable``.
    """
    require_key()
    for setting in ("AUTH_MFA_KEY", "AUTH_MFA_KEY_PREVIOUS"):
        key = _key(setting)
        if key is None:
            continue
        try:
            return unseal(sealed, key, context=_context(user)).decode("ascii")
        except SealError:
            continue
    security_event("mfa_secret_unreadable", user=user.pk)
    raise MfaUnavailable("The two-factor secret cannot be opened with the configured key.")


def reseal_secret(user: User, sealed: str) -> str | None:
    """Return ``sealed`` re-sealed under the current key, or ``None`` if it already is."""
    require_key()
    try:
        unseal(sealed, _key("AUTH_MFA_KEY"), context=_context(user))
        return None
    except SealError:
        return seal_secret(user, open_secret(user, sealed))


# --- Secrets and codes ------------------------------------------------------------
def new_secret() -> str:
    """Return a fresh 160-bit secret in base32, as authenticator apps take it."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def otpauth_url(secret: str, username: str) -> str:
    """Return the ``otpauth://totp/`` URL an app scans: issuer ``SITE_NAME``, label the username."""
    issuer = conf.get("SITE_NAME") or None
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=issuer)


def qr_svg(url: str) -> str:
    """Return ``url`` as a QR code: a standalone SVG document (with its namespace).

    The same text works as inline markup in a page and as a ``.svg`` file or an
    ``<img src="data:image/svg+xml,...">``, which need the ``xmlns`` that segno's
    ``svg_inline`` leaves out. No XML declaration, so inline markup stays valid HTML.
    """
    svg = io.BytesIO()
    segno.make(url, error="m").save(svg, kind="svg", xmldecl=False, nl=False, scale=4, border=2)
    return svg.getvalue().decode("ascii")


def current_step() -> int:
    """Return the TOTP time step of now, by ``accounts.clock`` (tests move it)."""
    return int(clock.now().timestamp()) // STEP_SECONDS


def matching_step(secret: str, code: str, after_step: int) -> int | None:
    """Return the step, within +-1 of now and later than ``after_step``, whose code is ``code``."""
    code = "".join(code.split())
    if not CODE_RE.match(code):
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    now = current_step()
    found = None
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        # Every candidate is compared, in constant time, whatever matched before.
        if hmac.compare_digest(totp.generate_otp(step), code) and step > after_step:
            found = step if found is None else found
    return found


def claim_step(user: User, step: int) -> bool:
    """Record ``step`` as the last accepted one unless an equal or later one is: one update."""
    where = {"mfa_last_step": {"$not": {"$gte": step}}}  # also matches a field not yet written
    if not documents.update_where(User, user.pk, where, {"$set": {"mfa_last_step": step}}):
        return False
    user.mfa_last_step = step
    return True
