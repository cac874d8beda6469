"""Meetings as coordinators see them: each programme's meetings (read-only: the pairs arrange them), the
approval of meetings in person where the programme asks for it, and each programme's meeting policy."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coordination.scoping import ProgrammeScopedAdminMixin
from meetings import services
from meetings.models import Meeting, MeetingPolicy


@admin.register(Meeting)
class MeetingAdmin(ProgrammeScopedAdminMixin, admin.ModelAdmin):
    programme_path = "match__programme"
    list_display = ("match", "mode", "status", "starts_at", "place", "outcome")
    list_filter = ("status", "mode", "outcome", ("match__programme", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("match__programme",)
    date_hierarchy = "starts_at"
    fields = ("match", "status", "mode", "place", "starts_at", "duration_minutes", "approved_by", "approved_at",
              "cancelled_by", "cancelled_at", "outcome", "missed_by", "notes", "sequence")  # fmt: skip
    readonly_fields = fields
    actions = ["approve"]
    change_form_template = "admin/meetings/meeting/change_form.html"

    def save_model(self, request, obj, form, change):
        pass  # every field is read-only: a save must not write back a row the pair may have changed since

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["may_approve"] = (
            obj is not None
            and obj.status == Meeting.Status.AWAITING_APPROVAL
            and self.has_change_permission(request, obj)
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request, obj):
        """ "Approve" on the meeting's own page, as the list's action does."""
        if "_approve" in request.POST:
            try:
                services.approve(obj, request.user)
            except services.MeetingError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, _("Approved: everyone is sent an invitation."))
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def has_add_permission(self, request):
        return False  # a pair arranges its meetings

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Approve the selected meetings in person"), permissions=["change"])
    def approve(self, request, queryset):
        approved = 0
        for meeting in queryset.filter(status=Meeting.Status.AWAITING_APPROVAL):
            try:
                services.approve(meeting, request.user)
            except services.MeetingError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                approved += 1
        done = ngettext("%d meeting approved: both are sent an invitation.",
                        "%d meetings approved: everyone is sent an invitation.", approved)  # fmt: skip
        self.message_user(request, done % approved)


class MeetingPolicyInline(admin.StackedInline):
    """On the programme's page: how its pairs may meet."""

    model = MeetingPolicy
    extra = 0
    max_num = 1
    can_delete = False
