"""The auth error hierarchy: each error carries its HTTP status and a machine-readable code.

``str(error)`` is the human message, so the seed's ``except Exception as e:
JsonResponse({"error": str(e)})`` views keep working. The project turns an
uncaught one into JSON in one place (``accounts.middleware``).
"""


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
