"""The auth API under ``/api/auth/`` (each path with or without a trailing slash)."""

from django.urls import path, re_path

from accounts import lifecycle_views, mfa_views, views

app_name = "accounts"


def endpoint(name: str, view):
    """Route ``name`` and ``name/`` to ``view``: a redirect would drop the body."""
    return re_path(rf"^{name}/?$", view, name=name.replace("-", "_"))


urlpatterns = [
    endpoint("register", views.register),
    endpoint("login", views.login),
    endpoint("logout", views.logout),
    endpoint("logout-all", views.logout_all),
    endpoint("me", lifecycle_views.me),
    endpoint("verify", views.verify),
    endpoint("reset", views.reset),
    endpoint("password", views.change_password),
    endpoint("login/mfa", mfa_views.login_mfa),
    endpoint("mfa/totp", mfa_views.totp),
    endpoint("mfa/recovery-codes", mfa_views.recovery_codes),
    endpoint("email", lifecycle_views.email),
    endpoint("sessions", lifecycle_views.sessions),
    # Any one path segment, with or without the slash: an id that is not one of the
    # caller's live sessions is a 404 from the view, the same for every such id.
    path("sessions/<str:session_id>", lifecycle_views.session, name="session"),
    path("sessions/<str:session_id>/", lifecycle_views.session),
]
