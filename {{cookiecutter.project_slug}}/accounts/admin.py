"""Admin: users with their verification state; tokens as metadata only (never a digest)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm

try:
    from django.contrib.auth.forms import AdminUserCreationForm
except ImportError:  # Django < 5.1 (the djongo variant)
    from django.contrib.auth.forms import UserCreationForm as AdminUserCreationForm

from accounts import lifecycle
from accounts.models import AuthToken, LinkToken, ThrottleCounter, User


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
    list_display = ("username", "email", "email_verified", "is_active", "is_staff", "date_joined")
    list_filter = ("email_verified", "is_active", "is_staff", "is_superuser")
    search_fields = ("username", "email")
    ordering = ("-date_joined",)
    readonly_fields = ("email_verified_at", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("username", "email", "password")}),
        ("Verification", {"fields": ("email_verified", "email_verified_at")}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "email", "password1", "password2")}),
    )

    def delete_model(self, request, obj):
        """Delete as ``DELETE /api/auth/me`` does: sessions and links too, a mail, an event."""
        lifecycle.delete_account(obj, by="admin")

    def delete_queryset(self, request, queryset):
        for user in queryset:
            lifecycle.delete_account(user, by="admin")


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


@admin.register(ThrottleCounter)
class ThrottleCounterAdmin(ReadOnlyAdmin):
    """Open windows; delete one to lift a throttle early."""

    list_display = ("scope", "hits", "expires_at")
    list_filter = ("scope",)
    fields = ("scope", "hits", "expires_at")
