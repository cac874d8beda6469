"""Meetings as coordinators see them: each programme's meetings (read-only: the pairs arrange them), the
approval of meetings in person where the programme asks for it, and each programme's meeting policy."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coordination.scoping import ProgrammeScopedAdminMixin
from meetings import services
from meetings.models import Meeting, MeetingPolicy


@admin.register(Meeting)
class MeetingAdmin(ProgrammeScopedAdminMixin, admin.ModelAdmin):
    programme_path = "match__programme"
    list_display = ("match", "mode", "status", "starts_at", "place", "outcome")
    list_filter = ("status", "mode", "outcome")
    list_select_related = ("match__programme",)
    date_hierarchy = "starts_at"
    fields = ("match", "status", "mode", "place", "starts_at", "duration_minutes", "approved_by", "approved_at",
              "cancelled_by", "cancelled_at", "outcome", "missed_by", "notes", "sequence")  # fmt: skip
    readonly_fields = fields
    actions = ["approve"]

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
