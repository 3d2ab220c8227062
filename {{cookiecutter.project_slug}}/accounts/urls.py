"""The auth API under ``/api/auth/`` (each path with or without a trailing slash)."""

from django.urls import path, re_path

from accounts.auth import views as auth
from accounts.codes import views as codes
from accounts.lifecycle import views as lifecycle
from accounts.mfa import views as mfa
from accounts.mfa.passkeys import views as passkeys
from accounts.reauth import views as reauth
from accounts.sessions import views as sessions

app_name = "accounts"


def endpoint(name: str, view):
    """Route ``name`` and ``name/`` to ``view``: a redirect would drop the body."""
    return re_path(rf"^{name}/?$", view, name=name.replace("-", "_"))


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
]
