"""The coordinators' workplace: where the apps' admins meet.

accounts and matching cannot import the apps after them, so the admin pages that need data from
several apps (people scoped by programme, matches with their message activity, the engagement
dashboard, audited conversation reading) are composed here.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, FloatField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.admin import OutboundEmailAdmin, UserAdmin
from accounts.models import OutboundEmail, ReviewedText, User
from accounts.screening import approve as approve_text
from accounts.screening import field_label
from accounts.screening import reject as reject_text
from matching.admin import MatchAdmin, ProgrammeAdmin
from matching.models import Match, Programme
from matching.permissions import coordinated_programmes
from messaging.admin import record_access
from messaging.models import ConversationAccess, Message, Participant, ResponseTime

from .csv_export import csv_response
from .dashboard import engagement


def _people_of(request):
    """People a coordinator may see: members and coordinators of their programmes, and themselves."""
    programmes = coordinated_programmes(request.user).values("pk")
    return (
        Q(pk=request.user.pk)
        | Q(memberships__programme__in=programmes)
        | Q(coordinator_roles__programme__in=programmes)
    )


class ScopedUserAdmin(UserAdmin):
    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(_people_of(request)).distinct()


class ScopedOutboundEmailAdmin(OutboundEmailAdmin):
    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(recipient__in=User.objects.filter(_people_of(request)).values("pk"))


class ReviewRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (sent to the author)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


@admin.register(ReviewedText)
class ReviewedTextAdmin(admin.ModelAdmin):
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
        return queryset.filter(author__in=User.objects.filter(_people_of(request)).values("pk"))

    @admin.display(description=_("what"))
    def what(self, review):
        return field_label(review)

    @admin.display(description=_("found"))
    def found(self, review):
        return ", ".join(sorted({finding["kind"] for finding in review.findings})) or "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

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


class Median(Subquery):
    template = "(SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) FROM (%(subquery)s) _times)"


class AccessForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why do you need to read these conversations?"),
        choices=[(k, v) for k, v in ConversationAccess.Reason.choices if k != ConversationAccess.Reason.MODERATION],
    )
    note = forms.CharField(label=_("Note (recorded)"), max_length=500, required=False)


class CoordinatorMatchAdmin(MatchAdmin):
    list_display = (
        "__str__", "programme", "status", "activated_at", "last_message", "messages_30_days", "median_reply",
        "waiting_on", "at_risk_since",
    )  # fmt: skip
    actions = [*MatchAdmin.actions, "export_csv", "view_conversations"]

    def get_queryset(self, request):
        since = timezone.now() - timezone.timedelta(days=30)
        oldest_wait = Participant.objects.filter(
            conversation__match=OuterRef("pk"), awaiting_reply_since__isnull=False
        ).order_by("awaiting_reply_since")
        replies = ResponseTime.objects.filter(conversation__match=OuterRef("pk")).values("seconds")
        return (
            super()
            .get_queryset(request)
            .annotate(
                last_message_at=Max("conversations__last_message_at"),
                recent_messages=Coalesce(
                    Subquery(
                        Message.objects.filter(conversation__match=OuterRef("pk"), created_at__gte=since)
                        .values("conversation__match")
                        .annotate(n=Count("pk"))
                        .values("n")
                    ),
                    0,
                ),
                median_reply_seconds=Median(replies, output_field=FloatField()),
                waiting_name=Subquery(oldest_wait.values("user__display_name")[:1]),
                waiting_since=Subquery(oldest_wait.values("awaiting_reply_since")[:1]),
            )
        )

    @admin.display(description=_("last message"), ordering="last_message_at")
    def last_message(self, match):
        return match.last_message_at

    @admin.display(description=_("messages in 30 days"), ordering="recent_messages")
    def messages_30_days(self, match):
        return match.recent_messages

    @admin.display(description=_("median reply"))
    def median_reply(self, match):
        return "" if match.median_reply_seconds is None else f"{match.median_reply_seconds / 3600:.1f} h"

    @admin.display(description=_("waiting"))
    def waiting_on(self, match):
        if not match.waiting_since:
            return ""
        return _("%(name)s owes a reply since %(day)s") % {
            "name": match.waiting_name,
            "day": timezone.localtime(match.waiting_since).strftime("%d %b"),
        }

    @admin.action(description=_("Export the selected matches as CSV"))
    def export_csv(self, request, queryset):
        rows = (
            [
                match.pk,
                match.programme.name,
                " & ".join(m.user.display_name for m in match.members.all()),
                match.get_status_display(),
                match.source,
                match.score,
                match.activated_at,
                match.last_message_at,
                match.recent_messages,
                self.median_reply(match),
                match.close_reason,
                match.closing_rating,
            ]
            for match in queryset
        )
        header = ["id", "programme", "members", "status", "source", "score", "started", "last message",
                  "messages in 30 days", "median reply", "close reason", "rating"]  # fmt: skip
        return csv_response("matches.csv", header, rows)

    @admin.action(description=_("View conversations… (asks why, and is recorded)"))
    def view_conversations(self, request, queryset):
        """The only place message bodies are shown to coordinators outside moderation: each opening
        asks for a reason and writes an audit row."""
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one match."), level="warning")
            return None
        match = queryset.get()
        form = AccessForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            record_access(request, match, form.cleaned_data["reason"], form.cleaned_data["note"])
            conversations = match.conversations.prefetch_related("messages__sender").order_by("created_at")
            return render(
                request,
                "admin/coordination/conversations.html",
                {**self.admin_site.each_context(request), "opts": self.model._meta, "match": match,
                 "conversations": conversations, "title": _("Conversations of %(match)s") % {"match": match}},
            )  # fmt: skip
        return render(
            request,
            "admin/coordination/access_reason.html",
            {**self.admin_site.each_context(request), "opts": self.model._meta, "match": match, "form": form,
             "title": _("Why are you opening these conversations?"),
             "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME},
        )  # fmt: skip


class CoordinatorProgrammeAdmin(ProgrammeAdmin):
    list_display = (*ProgrammeAdmin.list_display, "dashboard_link")

    @admin.display(description=_("engagement"))
    def dashboard_link(self, programme):
        from django.urls import reverse
        from django.utils.html import format_html

        return format_html(
            '<a href="{}">{}</a>', reverse("admin:programme_dashboard", args=[programme.pk]), _("Dashboard")
        )

    def get_urls(self):
        return [
            path(
                "<int:programme_id>/dashboard/", self.admin_site.admin_view(self.dashboard), name="programme_dashboard"
            ),
            path(
                "<int:programme_id>/dashboard.csv",
                self.admin_site.admin_view(self.dashboard_csv),
                name="programme_dashboard_csv",
            ),
            *super().get_urls(),
        ]

    def dashboard(self, request, programme_id):
        programme = get_object_or_404(self.get_queryset(request), pk=programme_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Engagement: %(name)s") % {"name": programme.name},
            "figures": engagement(programme),
            "status_labels": dict(Match.Status.choices),
            "reason_labels": dict(Match.CloseReason.choices),
        }
        return render(request, "admin/coordination/dashboard.html", context)

    def dashboard_csv(self, request, programme_id):
        programme = get_object_or_404(self.get_queryset(request), pk=programme_id)
        figures = engagement(programme)
        rows = [
            ["approved mentees", figures.approved_mentees],
            ["mentees with a current match", figures.matched_mentees],
            ["match rate %", figures.match_rate],
            ["match rate target %", programme.match_rate_target],
            ["median reply hours", figures.median_reply_hours],
            ["replies within expectation %", figures.replies_within_expectation],
            ["average closing rating", figures.average_rating],
            *[[f"matches {status}", n] for status, n in sorted(figures.matches_by_status.items())],
            *[[f"closed: {reason}", n] for reason, n in sorted(figures.closures_by_reason.items())],
            *[[f"messages week of {week}", n] for week, n in figures.messages_per_week],
        ]
        return csv_response(f"{programme.slug}-engagement.csv", ["figure", "value"], rows)


for model, model_admin in [
    (User, ScopedUserAdmin),
    (OutboundEmail, ScopedOutboundEmailAdmin),
    (Match, CoordinatorMatchAdmin),
    (Programme, CoordinatorProgrammeAdmin),
]:
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
