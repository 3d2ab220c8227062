"""The auth API under ``/api/auth/`` (each path with or without a trailing slash)."""

from django.urls import path, re_path

from accounts.auth import views as auth
from accounts.codes import views as codes
from accounts.lifecycle import views as lifecycle
from accounts.mfa import views as mfa
from accounts.mfa.passkeys import views as passkeys
from accounts.reauth import views as reauth
from accounts.sessions import views as sessions
from accounts.social import views as social

app_name = "accounts"


def endpoint(name: str, view):
    """Route ``name`` and ``name/`` to ``view``: a redirect would drop the body."""
    return re_path(rf"^{name}/?$", view, name=name.replace("-", "_"))


def with_id(route: str, view, name: str) -> list:
    """Route ``route`` (which holds a ``<str:...>`` segment) with and without the slash."""
    return [path(route, view, name=name), path(f"{route}/", view)]


urlpatterns = [
    endpoint("register", auth.register),
    endpoint("login", auth.login),
    endpoint("logout", sessions.logout),
    endpoint("logout-all", sessions.logout_all),
    endpoint("me", lifecycle.me),
    endpoint("verify", auth.verify),
    endpoint("reset", auth.reset),
    endpoint("password", auth.change_password),
    endpoint("login/mfa", mfa.login_mfa),
    endpoint("login/code", codes.login_code),
    endpoint("login/mfa/passkey", mfa.login_mfa_passkey),
    endpoint("login/passkey", passkeys.login),
    endpoint("mfa/totp", mfa.totp),
    endpoint("mfa/recovery-codes", mfa.recovery_codes),
    endpoint("email", lifecycle.email),
    endpoint("reauthenticate", reauth.reauthenticate),
    endpoint("reauthenticate/passkey", reauth.passkey_options),
    endpoint("passkeys", passkeys.passkeys),
    endpoint("passkeys/register", passkeys.register),
    endpoint("sessions", sessions.sessions),
    endpoint("csrf", sessions.csrf),
    # Any one path segment, with or without the slash: an id that is not one of the
    # caller's live sessions is a 404 from the view, the same for every such id.
    path("sessions/<str:session_id>", sessions.session, name="session"),
    path("sessions/<str:session_id>/", sessions.session),
    # As for sessions: an id that is not one of the caller's passkeys is the view's 404.
    path("passkeys/<str:passkey_id>", passkeys.passkey, name="passkey"),
    path("passkeys/<str:passkey_id>/", passkeys.passkey),
    # Social login: the fixed paths first, so that no provider id can shadow them.
    endpoint("social/providers", social.provider_list),
    endpoint("social/exchange", social.exchange),
    endpoint("social/identities", social.identity_list),
    *with_id("social/identities/<str:identity_id>", social.identity, "social_identity"),
    *with_id("social/<str:provider>/start", social.start, "social_start"),
    *with_id("social/<str:provider>/callback", social.callback, "social_callback"),
    *with_id("social/<str:provider>/token", social.token, "social_token"),
    *with_id("social/<str:provider>/link", social.link, "social_link"),
    *with_id("social/<str:provider>/reauthenticate", social.reauthenticate, "social_reauth"),
]
