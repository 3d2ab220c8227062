"""The auth error hierarchy: each error carries its HTTP status and a machine-readable code.

``str(error)`` is the human message, so the seed's ``except Exception as e:
JsonResponse({"error": str(e)})`` views keep working. The project turns an
uncaught one into JSON in one place (``accounts.middleware``).
"""

from accounts import clock


class AuthError(Exception):
    """A failure the client can act on: a human message, an HTTP status and a ``code``."""

    status = 400
    code = "bad_request"
    message = "The request could not be processed."

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        errors: dict[str, list[str]] | None = None,
    ):
        self.message = message or self.message
        if code:
            self.code = code
        self.errors = errors
        super().__init__(self.message)

    def as_dict(self) -> dict:
        """Return the JSON answer; ``errors`` (field -> messages) only when there are some.

        ``errors`` adds to the ``{"error", "code"}`` shape and never replaces it, so
        clients written against that shape keep working.
        """
        answer = {"error": self.message, "code": self.code}
        if self.errors:
            answer["errors"] = self.errors
        return answer


DjMongoAuthError = AuthError  # the seed library's name for the same class


class InvalidInput(AuthError):
    code = "invalid_input"
    message = "The request body is not valid."


class InvalidCredentials(AuthError):
    code = "invalid_credentials"
    message = "Invalid username or password."


class AlreadyTaken(AuthError):
    code = "already_taken"
    message = "That name is already taken."


class InvalidLink(AuthError):
    code = "invalid_link"
    message = "This link is not valid."


class ExpiredLink(InvalidLink):
    code = "link_expired"
    message = "This link has expired. Ask for a new one."


class UsedLink(InvalidLink):
    code = "link_used"
    message = "This link has already been used. Ask for a new one."


class AlreadyVerified(AuthError):
    code = "already_verified"
    message = "This email address is already verified."


class NotAuthenticated(AuthError):
    status = 401
    code = "not_authenticated"
    message = "Authentication credentials were not provided."


class InvalidToken(NotAuthenticated):
    code = "invalid_token"
    message = "The token is invalid or has been revoked."


class ExpiredToken(NotAuthenticated):
    code = "token_expired"
    message = "The token has expired. Log in again."


class ReauthenticationRequired(AuthError):
    """A sensitive operation on a session that has not re-authenticated lately (SEC-55).

    ``methods`` says what this account can re-authenticate with at ``POST reauthenticate``
    (``password``, ``totp``, ``recovery_code``, ``passkey``).
    """

    status = 403
    code = "reauthentication_required"
    message = "Confirm it is you first: POST reauthenticate, then try again."

    def __init__(self, methods: list[str]):
        self.methods = list(methods)
        super().__init__()

    def as_dict(self) -> dict:
        return {**super().as_dict(), "methods": self.methods}


class CsrfFailed(AuthError):
    """A request authenticated by the session cookie, of an unsafe method, failed Django's CSRF
    check (SEC-64): the token of ``GET csrf`` must come back in ``X-CSRFToken``."""

    status = 403
    code = "csrf_failed"
    message = (
        "CSRF verification failed: a request that relies on cookies must send the CSRF "
        "cookie's value in the X-CSRFToken header."
    )


class NotFound(AuthError):
    status = 404
    code = "not_found"
    message = "Not found."


class MethodNotAllowed(AuthError):
    status = 405
    code = "method_not_allowed"

    def __init__(self, method: str, allowed: list[str]):
        self.allowed = allowed
        super().__init__(f"Method {method} is not allowed here.")


class PayloadTooLarge(AuthError):
    status = 413
    code = "payload_too_large"
    message = "The request body is too large."


class UnsupportedMediaType(AuthError):
    status = 415
    code = "unsupported_media_type"
    message = "The request body must be JSON (Content-Type: application/json)."


class Throttled(AuthError):
    status = 429
    code = "throttled"
    message = "Too many attempts. Try again later."

    def __init__(self, retry_after: int, message: str | None = None):
        self.retry_after = max(1, int(retry_after))
        super().__init__(message)


class ServiceUnavailable(AuthError):
    status = 503
    code = "database_unavailable"
    message = "The service is temporarily unavailable. Try again shortly."


# --- Two-factor authentication (accounts.mfa) -----------------------------------
class MfaRequired(AuthError):
    """The password was right; the login finishes at ``login/mfa`` with this ``mfa_token``.

    Raised by ``flows.login`` (and so by the seed's ``User.login``) for an account
    with MFA on. The API's login view answers it as a 200 challenge; anything else
    that lets it escape gets a 403 carrying the token, so the caller can go on.
    """

    status = 403
    code = "mfa_required"
    message = "Two-factor authentication is required: send a code with the mfa_token."

    def __init__(self, mfa_token: str, expires_at):
        self.mfa_token = mfa_token
        self.expires_at = expires_at
        super().__init__()

    def as_challenge(self) -> dict:
        return {
            "mfa_required": True,
            "mfa_token": self.mfa_token,
            "expires_at": clock.iso(self.expires_at),
        }

    def as_dict(self) -> dict:
        return {**super().as_dict(), **self.as_challenge()}


class InvalidCode(AuthError):
    code = "invalid_code"
    message = "The code is wrong, expired or already used."


class InvalidMfaToken(AuthError):
    code = "invalid_mfa_token"
    message = "This sign-in attempt is no longer valid. Log in again."


class MfaAlreadyEnabled(AuthError):
    code = "mfa_already_enabled"
    message = "Two-factor authentication is already on."


class MfaNotEnabled(AuthError):
    code = "mfa_not_enabled"
    message = "Two-factor authentication is not on."


class MfaSetupNotStarted(AuthError):
    code = "mfa_setup_not_started"
    message = "Start the set-up first (POST mfa/totp), then confirm it with a code."


class MfaUnavailable(ServiceUnavailable):
    code = "mfa_unavailable"
    message = "Two-factor authentication is not configured on this server (AUTH_MFA_KEY)."


# --- Passkeys (accounts.mfa.passkeys) ------------------------------------------------
class InvalidCredential(AuthError):
    """A passkey attestation or assertion that does not verify, for whatever reason (SEC-61).

    One code for every cause (wrong origin or relying party, a used or expired challenge, an
    unknown or another account's credential, a sign count that went backwards, malformed
    input): the message says which, the security log says more.
    """

    code = "invalid_credential"
    message = "The passkey could not be verified. Try again."


class NoPasskey(AuthError):
    code = "no_passkey"
    message = "This account has no passkey."


class TooManyPasskeys(AuthError):
    code = "too_many_passkeys"
    message = "This account has as many passkeys as it may have. Remove one first."
