"""Who signed in at a provider, as the provider vouches for it: what an identity is made of."""

from dataclasses import dataclass

SUBJECT_MAX = 255


@dataclass(frozen=True)
class Profile:
    """A provider account: its stable ``subject`` and what the provider says about its owner."""

    provider: str  # the provider's id in AUTH_SOCIAL_PROVIDERS
    subject: str  # OpenID Connect's ``sub``; GitHub's numeric user id
    email: str = ""  # "" when the provider shares none
    email_verified: bool = False  # only when the provider says it checked the address
    username: str = ""  # a suggestion for a new account's name
    name: str = ""

    @property
    def key(self) -> str:
        """The one string that names this provider account (``users.social_identities.key``)."""
        return identity_key(self.provider, self.subject)


def identity_key(provider: str, subject: str) -> str:
    """Return ``<provider>\\x00<subject>``: NUL is in neither, so no two pairs share a key."""
    return f"{provider}\x00{subject}"


def _string(claims: dict, name: str) -> str:
    value = claims.get(name)
    return value.strip() if isinstance(value, str) else ""


def from_claims(provider, claims: dict) -> Profile:
    """Build the profile an ID token's checked ``claims`` describe.

    The address counts as verified only when the provider's own claim says so (``true``, or
    Apple's ``"true"``); Microsoft's ``email`` only with ``xms_edov``. With no ``email``, a
    ``preferred_username`` that is an address is taken as an unverified one (Entra's usual).
    """
    email = _string(claims, "email")
    verified = bool(email) and claims.get(provider.verified_claim) in (True, "true")
    preferred = _string(claims, "preferred_username")
    if not email and "@" in preferred:
        email = preferred
    return Profile(
        provider=provider.id,
        subject=claims["sub"],
        email=email,
        email_verified=verified,
        username=preferred.split("@")[0] or _string(claims, "nickname"),
        name=_string(claims, "name") or _string(claims, "given_name"),
    )
