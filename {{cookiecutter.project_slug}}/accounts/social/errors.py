"""The errors of social login: each a code a client can branch on, as in ``accounts.errors``.

They live with the feature that raises them; ``accounts.errors`` keeps the ones every feature
shares, and the seed's names.
"""

from accounts.errors import AuthError, NotFound, ServiceUnavailable


class UnknownProvider(NotFound):
    code = "unknown_provider"
    message = "No sign-in provider has that id here (GET social/providers lists them)."


class UnsupportedFlow(AuthError):
    code = "unsupported_flow"
    message = "This provider does not offer that way of signing in (GET social/providers)."


class InvalidIdToken(AuthError):
    """An ID token that does not prove who signed in: forged, expired, for another client..."""

    code = "invalid_id_token"
    message = "The ID token is not valid for this provider and client."


class InvalidState(AuthError):
    """A redirect back from a provider that this browser did not start, or started long ago."""

    code = "invalid_state"
    message = "This sign-in was not started here, has expired or was already used. Start again."


class ProviderError(AuthError):
    """The provider refused: the user said no (``access_denied``) or it turned the code down."""

    code = "provider_error"
    message = "The provider did not let the sign-in through. Try again."


class EmailRequired(AuthError):
    code = "email_required"
    message = "The provider did not share a usable email address, which a new account needs."


class AccountExists(AuthError):
    """The provider's address (or account) belongs to another account here (SEC-62).

    Never linked by the address alone: the owner logs in and links the provider themselves.
    """

    status = 409
    code = "account_exists"
    message = (
        "An account already uses this address or provider account. Log in to it, then link "
        "the provider from its settings."
    )


class LastLoginMethod(AuthError):
    code = "last_login_method"
    message = "This is the only way into the account: set a password or link another first."


class ProviderUnavailable(ServiceUnavailable):
    code = "provider_unavailable"
    message = "The sign-in provider cannot be reached right now. Try again shortly."
