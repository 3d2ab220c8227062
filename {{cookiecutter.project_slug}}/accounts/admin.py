"""Admin: users with their verification and MFA state; tokens as metadata only (never a digest).

The admin's login goes through ``accounts.backends``, so it shares the API's
login throttles (SEC-27); over a limit the form says so and the page answers
429 with ``Retry-After``.
"""

import functools

from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import ValidationError

try:
    from django.contrib.auth.forms import AdminUserCreationForm
except ImportError:  # Django < 5.1 (the djongo variant)
    from django.contrib.auth.forms import UserCreationForm as AdminUserCreationForm

from accounts import mfa
from accounts.errors import Throttled
from accounts.models import AuthToken, LinkToken, MfaChallenge, ThrottleCounter, User


class ThrottledLoginForm(AdminAuthenticationForm):
    """The admin's login form, showing a throttled login as a form error."""

    throttled = None

    def clean(self):
        try:
            return super().clean()
        except Throttled as exc:
            self.throttled = exc
            raise ValidationError(
                "Too many login attempts. Try again in %(seconds)s seconds.",
                code="throttled",
                params={"seconds": exc.retry_after},
            ) from None


def throttled_status(login_view):
    """Wrap the admin's login view: a throttled attempt answers 429 with ``Retry-After``."""

    @functools.wraps(login_view)
    def login(request, extra_context=None):
        response = login_view(request, extra_context)
        form = (getattr(response, "context_data", None) or {}).get("form")
        throttled = getattr(form, "throttled", None)
        if throttled is not None:
            response.status_code = 429
            response["Retry-After"] = str(throttled.retry_after)
        return response

    return login


admin.site.login_form = ThrottledLoginForm
admin.site.login = throttled_status(admin.site.login)


class UserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "email")


class UserEditForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    list_display = (
        "username",
        "email",
        "email_verified",
        "mfa_enabled",
        "is_active",
        "is_staff",
        "date_joined",
    )
    list_filter = ("email_verified", "mfa_enabled", "is_active", "is_staff", "is_superuser")
    search_fields = ("username", "email")
    ordering = ("-date_joined",)
    readonly_fields = ("email_verified_at", "mfa_enabled", "last_login", "date_joined")
    actions = ["turn_off_mfa"]
    fieldsets = (
        (None, {"fields": ("username", "email", "password")}),
        ("Verification", {"fields": ("email_verified", "email_verified_at")}),
        ("Two-factor authentication", {"fields": ("mfa_enabled",)}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "email", "password1", "password2")}),
    )

    def turn_off_mfa(self, request, queryset):
        """Let locked-out users back in with their password alone; logged and mailed."""
        turned_off = 0
        for user in queryset:
            if mfa.admin_disable(user, request.user):
                self.log_change(request, user, "Turned off two-factor authentication.")
                turned_off += 1
        self.message_user(
            request,
            f"Two-factor authentication turned off for {turned_off} user(s).",
            messages.INFO,
        )

    # An attribute, not @admin.action: that decorator is Django 3.2+, and djongo runs 3.1.
    turn_off_mfa.short_description = "Turn off two-factor authentication (the user is mailed)"


class ReadOnlyAdmin(admin.ModelAdmin):
    """Metadata only: nothing to add or edit; deleting a row revokes it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuthToken)
class AuthTokenAdmin(ReadOnlyAdmin):
    list_display = ("user", "created_at", "expires_at")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__email")
    fields = ("user", "created_at", "expires_at")


@admin.register(LinkToken)
class LinkTokenAdmin(ReadOnlyAdmin):
    list_display = ("user", "purpose", "created_at", "expires_at", "used_at")
    list_filter = ("purpose",)
    list_select_related = ("user",)
    search_fields = ("user__username", "user__email")
    fields = ("user", "purpose", "created_at", "expires_at", "used_at")


@admin.register(MfaChallenge)
class MfaChallengeAdmin(ReadOnlyAdmin):
    """Logins waiting for their second factor; delete one to cancel it."""

    list_display = ("user", "created_at", "expires_at", "failures", "used_at")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__email")
    fields = ("user", "created_at", "expires_at", "failures", "used_at")


@admin.register(ThrottleCounter)
class ThrottleCounterAdmin(ReadOnlyAdmin):
    """Open windows; delete one to lift a throttle early."""

    list_display = ("scope", "hits", "expires_at")
    list_filter = ("scope",)
    fields = ("scope", "hits", "expires_at")
