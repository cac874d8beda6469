"""People: accounts, the outbox, and texts people wrote that wait for review. A coordinator sees only
the people of their programmes (and themselves)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from accounts import delivery
from accounts.languages import SPOKEN_LANGUAGE_CHOICES
from accounts.models import OutboundEmail, ReviewedText, User
from accounts.text_screening import approve as approve_text
from accounts.text_screening import field_label
from accounts.text_screening import reject as reject_text
from accounts.timezones import timezone_choices
from matching.permissions import people_of

from .read_only import ReadOnlyAdminMixin


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
        (_("Profile"), {"fields": ("display_name", "pronouns", "bio", "timezone", "languages", "date_of_birth")}),
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

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(pk__in=people_of(request.user).values("pk"))


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
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

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(recipient__in=people_of(request.user).values("pk"))

    @admin.display(description=_("last error"))
    def short_error(self, row):
        return (row.last_error[:80] + "…") if len(row.last_error) > 80 else row.last_error

    @admin.action(description=_("Retry the selected failed e-mails"), permissions=["view"])
    def retry_failed(self, request, queryset):
        count = delivery.retry_failed(queryset)
        self.message_user(request, _("%(count)d e-mail(s) will be sent again.") % {"count": count})


class ReviewRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (sent to the author)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


@admin.register(ReviewedText)
class ReviewedTextAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Texts people wrote for others to read (bios, notes, goals) that the contact filter held or flagged."""

    list_display = ("created_at", "author", "what", "status", "found", "reviewed_by")
    list_filter = ("status",)
    list_select_related = ("author", "content_type", "reviewed_by")
    fields = ("author", "what", "status", "found", "text", "created_at", "reviewed_by", "reviewed_at",
              "rejection_reason")  # fmt: skip
    readonly_fields = fields
    actions = ["approve", "reject"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(author__in=people_of(request.user).values("pk"))

    @admin.display(description=_("what"))
    def what(self, review):
        return field_label(review)

    @admin.display(description=_("found"))
    def found(self, review):
        return ", ".join(sorted({finding["kind"] for finding in review.findings})) or "—"

    @admin.action(description=_("Approve and show the selected held texts"), permissions=["view"])
    def approve(self, request, queryset):
        done = 0
        for review in queryset.filter(status=ReviewedText.Status.HELD):
            approve_text(review, request.user)
            done += 1
        self.message_user(request, _("%(count)d text(s) approved.") % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Do not show the selected held texts…"), permissions=["view"])
    def reject(self, request, queryset):
        form = ReviewRejectForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            done = 0
            for review in queryset.filter(status=ReviewedText.Status.HELD):
                reject_text(review, request.user, form.cleaned_data["reason"])
                done += 1
            self.message_user(request, _("%(count)d text(s) not shown; the authors were told why.") % {"count": done})
            return None
        return render(
            request,
            "admin/messaging/reject.html",
            {**self.admin_site.each_context(request), "opts": self.model._meta, "title": _("Do not show texts"),
             "items": queryset, "form": form, "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
             "explanation": _("These held texts will not be shown. Their authors are e-mailed the reason.")},
        )  # fmt: skip
