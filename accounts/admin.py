from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from . import delivery
from .languages import SPOKEN_LANGUAGE_CHOICES
from .models import OutboundEmail, User
from .timezones import timezone_choices


class PersonChangeForm(UserChangeForm):
    timezone = forms.ChoiceField(label=_("Time zone"), choices=timezone_choices)
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"), choices=SPOKEN_LANGUAGE_CHOICES, required=False, widget=forms.SelectMultiple
    )

    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


class PersonCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "display_name")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = PersonChangeForm
    add_form = PersonCreationForm
    ordering = ("display_name",)
    list_display = ("display_name", "email", "timezone", "is_active", "is_staff", "date_joined")
    list_filter = ("is_active", "is_staff", "is_superuser", "notification_preference")
    search_fields = ("display_name", "email")
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("display_name", "pronouns", "bio", "timezone", "languages")}),
        (
            _("E-mail preferences"),
            {"fields": ("notification_preference", "digest_hour", "quiet_hours_start", "quiet_hours_end")},
        ),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("email", "display_name", "usable_password", "password1", "password2")},
        ),
    )


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """What was sent, to whom, and why it failed. Read-only: what was sent cannot be changed."""

    list_display = ("created_at", "recipient", "kind", "status", "attempts", "send_after", "sent_at", "short_error")
    list_filter = ("status", "kind")
    search_fields = ("recipient__display_name", "recipient__email", "dedupe_key")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
    actions = ["retry_failed"]
    fields = (
        "recipient",
        "kind",
        "status",
        "subject",
        "attempts",
        "last_error",
        "send_after",
        "claimed_at",
        "sent_at",
        "created_at",
        "dedupe_key",
        "template",
        "message_id",
        "provider_message_id",
    )
    readonly_fields = fields

    @admin.display(description=_("last error"))
    def short_error(self, row):
        return (row.last_error[:80] + "…") if len(row.last_error) > 80 else row.last_error

    @admin.action(description=_("Retry the selected failed e-mails"), permissions=["view"])
    def retry_failed(self, request, queryset):
        count = delivery.retry_failed(queryset)
        self.message_user(request, _("%(count)d e-mail(s) will be sent again.") % {"count": count})

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
