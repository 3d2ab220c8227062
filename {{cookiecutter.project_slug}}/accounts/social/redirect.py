"""The redirect flow: out to the provider and back, then a one-time code for the front end (SEC-62).

``GET social/<id>/start``
    Makes a ``state`` (256 random bits), stores its digest for 10 minutes bound to a random key
    that an HttpOnly cookie gives the browser, and sends the browser to the provider with the
    state, a ``nonce`` and a PKCE S256 challenge. The nonce and the PKCE verifier are HMACs
    of the state under ``SECRET_KEY``: nothing but the state's digest is stored, and neither
    can be worked out from the state by someone who saw it go by.
``GET social/<id>/callback`` (a ``POST`` for providers that answer by form, like Apple)
    Takes the state's row, once and only with the browser's cookie, so a sign-in started in
    another browser (an attacker's, to log the victim into the attacker's account) is refused;
    trades the provider's code for the profile; decides what it signs in to; and sends the
    browser to ``{FRONTEND_URL}/social#code=<one-time code>``: in the fragment, which no
    server log and no ``Referer`` sees, and which lives 60 seconds.
``POST social/exchange``
    Takes that code, once. A login answers the session (or the second factor's challenge);
    a link or a re-authentication applies only when the very session that asked posts it.

A session token never appears in a URL. The front end may pass ``client_state`` to start and
check that it comes back in the fragment, which tells it that it started this sign-in itself.
"""

import re
from datetime import timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.crypto import salted_hmac

from accounts import clock, conf, documents
from accounts.core.client import client_bucket
from accounts.core.digests import MAX_TOKEN_LENGTH, digest, new_secret
from accounts.errors import InvalidCode, InvalidInput
from accounts.models import SocialTicket, User
from accounts.security import throttling
from accounts.social import flows, metadata, oauth
from accounts.social.errors import InvalidState, ProviderError, UnsupportedFlow
from accounts.social.profiles import Profile

STATE_TTL = 600  # seconds to sign in at the provider
TICKET_TTL = 120
CODE_TTL = 60
COOKIE = "auth_social_state"
COOKIE_PATH = "/api/auth/social/"
# A path of the front end to go on to: "/x", never "//host" or "/\host" (another site).
NEXT_RE = re.compile(r"^/(?![/\\])[!-~]{0,199}\Z")
CLIENT_STATE_RE = re.compile(r"^[\w.~-]{1,64}\Z")


def derived(state: str, purpose: str) -> str:
    """Return the ``nonce`` or PKCE verifier of ``state``: 64 hex digits, keyed by SECRET_KEY."""
    return salted_hmac(f"accounts.social.{purpose}", state, algorithm="sha256").hexdigest()


def callback_uri(request, provider) -> str:
    """Return the callback URL registered with the provider (``redirect_uri``)."""
    path = reverse("accounts:social_callback", args=[provider.id])
    return provider.redirect_uri or request.build_absolute_uri(path)


def _issue(purpose: str, provider_id: str, ttl: int, secret: str = "", **fields) -> str:
    """Store a one-time row for ``secret`` (a new one unless given), by digest; return it."""
    secret, now = secret or new_secret(), clock.now()
    SocialTicket.objects.create(
        digest=digest(secret),
        purpose=purpose,
        provider=provider_id,
        created_at=now,
        expires_at=now + timedelta(seconds=ttl),
        **fields,
    )
    return secret


def _take(purpose: str, secret, **condition) -> SocialTicket | None:
    """Take the live row of ``secret`` for ``purpose`` (deleting it), or ``None``."""
    if not isinstance(secret, str) or not 0 < len(secret) <= MAX_TOKEN_LENGTH:
        return None
    return documents.take_one(
        SocialTicket,
        {
            "digest": digest(secret),
            "purpose": purpose,
            "expires_at": {"$gt": clock.now()},
            **condition,
        },
    )


def check_start(provider, next_path: str, client_state: str) -> None:
    """Refuse a start this provider cannot do, or whose front-end fields are malformed."""
    if "redirect" not in provider.flows:
        raise UnsupportedFlow()
    if next_path and not NEXT_RE.match(next_path):
        raise InvalidInput("'next' must be a path of the front end, such as /account.")
    if client_state and not CLIENT_STATE_RE.match(client_state):
        raise InvalidInput("'client_state' is 1-64 of letters, digits and . _ ~ -")


def start(request, provider, *, next_path="", client_state="", ticket="") -> tuple[str, str]:
    """Return where to send the browser and the cookie value that binds the state to it.

    The caller has passed ``next_path`` and ``client_state`` through ``check_start``, so a
    mistake of its own is a JSON 400, not a redirect to the front end's ``#error=``.
    """
    throttling.hit("social_ip", client_bucket())
    fields = {"intent": SocialTicket.LOGIN}
    if ticket:
        asked = _take(SocialTicket.TICKET, ticket, provider=provider.id)
        if asked is None:
            raise InvalidState()
        fields = {"intent": asked.intent, "user_id": asked.user_id, "session_id": asked.session_id}
    state, key = new_secret(), new_secret()
    reauthenticating = fields["intent"] == SocialTicket.REAUTH
    url = oauth.authorization_url(  # first: a provider that is down leaves no row behind
        provider,
        state=state,
        nonce=derived(state, "nonce"),
        verifier=derived(state, "pkce"),
        redirect_uri=callback_uri(request, provider),
        max_age=conf.get("AUTH_REAUTH_SECONDS") if reauthenticating else None,
    )
    _issue(
        SocialTicket.STATE,
        provider.id,
        STATE_TTL,
        secret=state,
        binding=digest(key),
        next_path=next_path,
        client_state=client_state,
        **fields,
    )
    return url, key


def ticket_url(request, provider, intent: str) -> str:
    """Return the start URL of a link or re-authentication for the request's own session."""
    if "redirect" not in provider.flows:
        raise UnsupportedFlow()
    ticket = _issue(
        SocialTicket.TICKET,
        provider.id,
        TICKET_TTL,
        intent=intent,
        user_id=request.user.pk,
        session_id=request.auth_session.id,
    )
    path = reverse("accounts:social_start", args=[provider.id])
    return request.build_absolute_uri(f"{path}?{urlencode({'ticket': ticket})}")


def callback(request, provider, answer, key: str) -> dict:
    """Finish the provider's leg; return the fields of the front end's fragment."""
    condition = {"provider": provider.id, "binding": digest(key or "")}
    state = answer.get("state")
    found = _take(SocialTicket.STATE, state, **condition) if key else None
    if found is None:
        raise InvalidState()
    issuer = answer.get("iss")  # RFC 9207: which provider answered, against mix-ups
    if issuer and provider.kind == "oidc" and issuer != metadata.discover(provider).issuer:
        raise InvalidState()
    if answer.get("error"):
        denied = answer.get("error") == "access_denied"
        raise ProviderError(code="access_denied" if denied else None)
    code = answer.get("code")
    if not isinstance(code, str) or not 0 < len(code) <= oauth.CODE_MAX:
        raise ProviderError()
    reauthenticating = found.intent == SocialTicket.REAUTH
    since = clock.now().timestamp() - conf.get("AUTH_REAUTH_SECONDS")
    profile = oauth.exchange(
        provider,
        code,
        verifier=derived(state, "pkce"),
        redirect_uri=callback_uri(request, provider),
        nonce=derived(state, "nonce"),
        issued_after=since if reauthenticating else None,
    )
    if found.intent == SocialTicket.LOGIN:
        fields = {"user_id": flows.sign_in(provider, profile).pk}
    else:
        fields = {
            "user_id": found.user_id,
            "session_id": found.session_id,
            "subject": profile.subject,
            "email": profile.email[:254],
            "email_verified": profile.email_verified,
        }
    code = _issue(SocialTicket.CODE, provider.id, CODE_TTL, intent=found.intent, **fields)
    return {"code": code, "next": found.next_path, "client_state": found.client_state}


def exchange(request, code, session=None):
    """Take the one-time ``code``: return ``(intent, user, profile or None, provider id)``.

    Without a session only a login's code is taken; with one (``request.user``), also a link
    or re-authentication that this same session asked for.
    """
    mine = {"intent": SocialTicket.LOGIN}
    if session is not None:
        asked = {"user_id": request.user.pk, "session_id": session.id}
        mine = {"$or": [mine, asked]}
    found = _take(SocialTicket.CODE, code, **mine)
    if found is not None and found.intent != SocialTicket.LOGIN:
        user = request.user  # a link's or re-authentication's: the session that asked, read
    else:
        user = User.objects.filter(pk=found.user_id).first() if found else None
    if user is None or not user.is_active:
        raise InvalidCode("This sign-in code is wrong, used or expired. Sign in again.")
    if found.intent == SocialTicket.LOGIN:
        return found.intent, user, None, found.provider
    profile = Profile(
        provider=found.provider,
        subject=found.subject,
        email=found.email,
        email_verified=found.email_verified,
    )
    return found.intent, user, profile, found.provider
