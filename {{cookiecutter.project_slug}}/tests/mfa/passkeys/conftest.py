"""Passkeys in the tests: a software authenticator on the front end's origin, and helpers."""

from types import SimpleNamespace

import pytest

from tests.webauthn_authenticator import SoftwareAuthenticator

ORIGIN = "https://app.example.com"
RP_ID = "example.com"


@pytest.fixture(autouse=True)
def relying_party(settings):
    """The relying party of these tests: example.com, the front end on a subdomain of it."""
    settings.AUTH_WEBAUTHN_RP_ID = RP_ID
    settings.FRONTEND_URL = ORIGIN
    settings.AUTH_WEBAUTHN_ORIGINS = []


@pytest.fixture
def authenticator():
    """A platform authenticator on the front end's origin."""
    return SoftwareAuthenticator(origin=ORIGIN)


def register(api, token, authenticator, name="Laptop", **bend):
    """Add a passkey through the API (``token`` must be re-authenticated); return the answer."""
    options = api.post("passkeys/register", token=token)
    assert options.status_code == 200, options.content
    credential = authenticator.create(options.json()["options"], **bend)
    return api.put("passkeys/register", {"credential": credential, "name": name}, token=token)


def passkey_login(api, authenticator, **bend):
    """Log in with a passkey alone; return the answer of ``PUT login/passkey``."""
    options = api.post("login/passkey")
    assert options.status_code == 200, options.content
    credential = authenticator.get(options.json()["options"], **bend)
    return api.put("login/passkey", {"credential": credential})


def new_session(user) -> str:
    """Start a session for ``user`` directly (with MFA on, a login takes two steps)."""
    from accounts.models import User
    from accounts.sessions import tokens as sessions

    return sessions.issue(User.objects.get(pk=user.pk)).token


@pytest.fixture
def passkey_user(api, user, authenticator):
    """alice with one passkey, her only second factor: the passkey, her recovery codes, the
    credential in the authenticator, and ``token``, a session that has not re-authenticated."""
    setup = api.reauthenticate(api.token_for())
    added = register(api, setup, authenticator)
    assert added.status_code == 201, added.content
    return SimpleNamespace(
        user=user,
        passkey=added.json(),
        recovery_codes=added.json()["recovery_codes"],
        credential=next(iter(authenticator.credentials.values())),
        token=new_session(user),
    )
