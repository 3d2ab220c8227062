"""Admin: users with their verification and MFA state and live sessions (never a digest).

The profile fields (``User.PROFILE_FIELDS``) are in the user's form beside the username, and
in the list, the text ones searchable.

Sessions live in the user's document (``accounts.sessions.tokens``), so they are shown on the
user's page, read-only, each with a button that ends it, and an "End every session" button;
the user list has the same as an action.

The admin's own login and sessions are this package's other modules:

    login.py      two steps, the password then the second factor (SEC-56); the password is
                  checked as the API's login checks it, with its throttles (SEC-27), and a
                  throttled try answers 429 with ``Retry-After``
    pending.py    between the steps, whose password was right, for five minutes
    second_factors.py  the ways through step 2: TOTP, a recovery code, a passkey
    filters.py    the list's yes/no filters, which djongo can answer too
    sessions.py   the ``SESSION_ENGINE``: Django's sessions stored by digest (SEC-56)
    templates/    step 2's page, in the admin's look (it extends ``admin/login.html``)
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.utils.html import format_html, format_html_join

try:
    from django.contrib.auth.forms import AdminUserCreationForm
except ImportError:  # Django < 5.1 (the djongo variant)
    from django.contrib.auth.forms import UserCreationForm as AdminUserCreationForm

from accounts.admin import login
from accounts.admin.filters import BooleanFilter
from accounts.lifecycle import flows as lifecycle
from accounts.mfa import enrolment
from accounts.models import LinkToken, MfaChallenge, ThrottleCounter, User, profile
from accounts.sessions import tokens  # not `sessions`: importing admin/sessions.py rebinds it

# The profile fields besides the username, in User.PROFILE_FIELDS's order.
PROFILE = [field for field in profile.fields(User) if field.name != User.USERNAME_FIELD]
REVOKE_SESSION = "_end_session"
END_ALL_SESSIONS = "_end_all_sessions"

login.install(admin.site)


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
        *(field.name for field in PROFILE),
        "email",
        "email_verified",
        "mfa_enabled",
        "is_active",
        "is_staff",
        "date_joined",
    )
    list_filter = [
        (name, BooleanFilter)
        for name in ("email_verified", "mfa_enabled", "is_active", "is_staff", "is_superuser")
    ]
    search_fields = (
        "username",
        "email",
        *(field.name for field in PROFILE if profile.json_type(field) == "string"),
    )
    ordering = ("-date_joined",)
    readonly_fields = (
        "email_verified_at",
        "mfa_enabled",
        "last_login",
        "date_joined",
        "live_sessions",
    )
    actions = ["turn_off_mfa", "end_every_session"]
    fieldsets = (
        (None, {"fields": ("username", *(field.name for field in PROFILE), "email", "password")}),
        ("Verification", {"fields": ("email_verified", "email_verified_at")}),
        ("Two-factor authentication", {"fields": ("mfa_enabled",)}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
        ("Sessions", {"fields": ("live_sessions",)}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "email", "password1", "password2")}),
    )

    def live_sessions(self, obj):
        """List the account's live sessions, each with a button that ends it."""
        if obj is None or obj.pk is None:
            return "-"
        rows = tokens.list_sessions(obj)
        if not rows:
            return "No live session."
        cells = (
            (
                f"{s.created_at:%Y-%m-%d %H:%M} UTC",
                f"{s.expires_at:%Y-%m-%d %H:%M} UTC",
                s.user_agent or "-",
                REVOKE_SESSION,
                s.id,
            )
            for s in rows
        )
        body = format_html_join(
            "",
            '<tr><td>{}</td><td>{}</td><td>{}</td><td><button type="submit" name="{}" '
            'value="{}" class="button">End</button></td></tr>',
            cells,
        )
        return format_html(
            "<table><thead><tr><th>Logged in</th><th>Expires</th><th>Client</th><th></th></tr>"
            '</thead><tbody>{}</tbody></table><p><button type="submit" name="{}" value="1" '
            'class="button">End every session</button></p>',
            body,
            END_ALL_SESSIONS,
        )

    live_sessions.short_description = "Live sessions"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Handle the session buttons of the user's page before (instead of) saving the form."""
        if request.method == "POST" and ({REVOKE_SESSION, END_ALL_SESSIONS} & set(request.POST)):
            user = self.get_object(request, object_id)
            if user is None or not self.has_change_permission(request, user):
                raise PermissionDenied
            if END_ALL_SESSIONS in request.POST:
                tokens.end_all_sessions(user)
                self.message_user(request, f"Every session of {user} has ended.")
            elif tokens.revoke_session(user, request.POST[REVOKE_SESSION]):
                self.message_user(request, f"That session of {user} has ended.")
            else:
                self.message_user(request, "That session had already ended.", messages.WARNING)
            return HttpResponseRedirect(request.path)
        return super().change_view(request, object_id, form_url, extra_context)

    def end_every_session(self, request, queryset):
        """End every session of the selected accounts."""
        count = 0
        for user in queryset:
            tokens.end_all_sessions(user)
            count += 1
        self.message_user(request, f"Every session of {count} account(s) has ended.")

    end_every_session.short_description = "End every session of the selected accounts"

    def delete_model(self, request, obj):
        """Delete as ``DELETE /api/auth/me`` does: sessions and links too, a mail, an event."""
        lifecycle.delete_account(obj, by="admin")

    def delete_queryset(self, request, queryset):
        for user in queryset:
            lifecycle.delete_account(user, by="admin")

    def turn_off_mfa(self, request, queryset):
        """Let locked-out users back in with their password alone; logged and mailed."""
        turned_off = 0
        for user in queryset:
            if enrolment.admin_disable(user, request.user):
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
