"""Social login's accounts: sign in, link, unlink and re-authenticate with a provider's word.

Plain functions of a checked ``Profile`` (``accounts.social.profiles``: an ID token's claims,
or GitHub's API), which the token flow (native apps) and the redirect flow
(``accounts.social.redirect``) share. The rules (SEC-62):

- A provider account already linked signs in to its account: one indexed read.
- A new one makes a new account (``identities.create_account``), its address verified when
  the provider says so, with no usable password (``POST reset`` sets one through the address).
- It is never linked to an existing account because the addresses match: a provider's word
  on an address is not the account owner's consent, and a provider that lets anyone claim
  any address would hand out accounts. That answers 409 ``account_exists``; the owner logs
  in and links it (``link``, on a re-authenticated session). ``AUTH_SOCIAL_LINK_BY_VERIFIED_
  EMAIL`` opts into linking when the provider verified the address and so did this account.
- A second factor still applies: a social login of an account with one gets the challenge.
- Linking and unlinking are mailed; the last way into an account cannot be unlinked.
"""

from accounts import conf
from accounts.auth import flows as auth
from accounts.core.audit import security_event
from accounts.core.client import client_bucket
from accounts.core.digests import IssuedToken
from accounts.core.identifiers import canonical_key
from accounts.errors import InvalidCredentials, InvalidInput, NotFound
from accounts.mail.emails import SocialLinkedEmail, SocialUnlinkedEmail
from accounts.mfa import flows as mfa
from accounts.models import User
from accounts.security import throttling
from accounts.sessions import reauth
from accounts.social import id_tokens, identities, providers
from accounts.social.errors import AccountExists, LastLoginMethod, UnknownProvider, UnsupportedFlow
from accounts.social.profiles import Profile, from_claims


def provider_list() -> list[dict]:
    """Return what GET social/providers shows: each provider's id, name and flows."""
    return [provider.as_json() for provider in providers.configured()]


def profile_from_id_token(provider, id_token, nonce: str = "", *, issued_after=None) -> Profile:
    """Return who a native app's ID token says signed in, once it checks out (SEC-62)."""
    if "token" not in provider.flows:
        raise UnsupportedFlow()
    throttling.hit("social_ip", client_bucket())
    claims = id_tokens.verify(provider, id_token, nonce=nonce, issued_after=issued_after)
    return from_claims(provider, claims)


def sign_in(provider, profile: Profile) -> User:
    """Return the account ``profile`` signs in to, making it for a new provider account."""
    user = identities.find_account(profile)
    if user is None:
        with identities.first_sign_in(profile) as made_meanwhile:
            user = made_meanwhile or identities.find_account(profile) or _new(provider, profile)
    if not user.is_active:
        raise InvalidCredentials()
    return user


def _new(provider, profile: Profile) -> User:
    """Make the account of a provider account new here; never take one over by its address."""
    email_key = canonical_key(profile.email) if profile.email else None
    existing = User.objects.filter(email_key=email_key).first() if email_key else None
    if existing is not None:
        if not _may_link_by_address(existing, profile):
            security_event("social_account_exists", user=existing.pk, provider=provider.id)
            raise AccountExists()
        link(existing, provider, profile)
        return existing
    user = identities.create_account(profile)
    if not user.email_verified:
        auth.send_verification_after_register(user)
    return user


def _may_link_by_address(user: User, profile: Profile) -> bool:
    """Tell whether the opt-in rule links ``profile`` to ``user`` by their shared address.

    Both sides must have verified it: an account registered with someone else's address and
    never verified must not receive that person's provider account (pre-hijacking).
    """
    return bool(
        conf.get("AUTH_SOCIAL_LINK_BY_VERIFIED_EMAIL")
        and profile.email_verified
        and user.email_verified
        and user.is_active
    )


def log_in(user: User) -> IssuedToken:
    """Start a session for ``user``; with a second factor raise ``MfaRequired`` instead."""
    return mfa.finish_login(user, "social")


def link(user: User, provider, profile: Profile) -> tuple[dict, bool]:
    """Link ``profile``'s provider account to ``user``; return the identity and if it is new."""
    holder = identities.find_account(profile)
    if holder is not None and holder.pk != user.pk:
        security_event("social_link_refused", user=user.pk, provider=provider.id)
        raise AccountExists()
    identity = identities.new_identity(profile)
    if holder is None and identities.add(user, identity):
        security_event("social_linked", user=user.pk, provider=provider.id)
        SocialLinkedEmail(user, provider.name).send()
        return identity, True
    for held in user.social_identities:
        if held["key"] == profile.key:
            return held, False
    message = f"An account may have at most {identities.MAX_IDENTITIES} linked providers."
    raise InvalidInput(message, code="too_many_identities")


def unlink(user: User, identity_id: str) -> None:
    """Unlink one of ``user``'s identities, unless it is the last way into the account."""
    seen = user.social_identities  # as this request read it: the update below checks again
    identity = next((i for i in seen if i["id"] == identity_id), None)
    if identity is None:
        raise NotFound()
    others = [i for i in seen if i["id"] != identity_id]
    if not (user.has_usable_password() or user.passkeys or others):
        raise LastLoginMethod()
    if not identities.remove(user, identity_id, seen):
        raise LastLoginMethod()  # the account changed meanwhile: a racing unlink got there first
    security_event("social_unlinked", user=user.pk, provider=identity["provider"])
    SocialUnlinkedEmail(user, provider_name(identity["provider"])).send()


def provider_name(provider_id: str) -> str:
    """Return the name of the provider ``provider_id`` (its id, if it has gone from settings)."""
    try:
        return providers.get(provider_id).name
    except UnknownProvider:
        return provider_id


def reauthenticate(request, provider, profile: Profile):
    """Stamp the request's session re-authenticated: ``profile`` is linked to its account."""
    user = request.user
    if not any(held["key"] == profile.key for held in user.social_identities):
        security_event("reauthentication_failed", user=user.pk, method="social")
        raise InvalidCredentials("This provider account is not linked to yours.")
    return reauth.stamp(request, "social")


def identities_of(user: User) -> list[dict]:
    """Return ``user``'s identities as GET social/identities shows them, oldest first."""
    return [identities.public(identity) for identity in user.social_identities]
