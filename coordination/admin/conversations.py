"""Conversations as coordinators reach them: the moderation queue, concerns, policies, and the audit
log of every coordinator's reading of messages."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Prefetch, Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _

from coordination.scoping import ProgrammeScopedAdminMixin
from matching.models import Match
from matching.permissions import safeguarding_programmes
from messaging import services
from messaging.models import (
    Concern,
    ConversationAccess,
    Message,
    ModerationItem,
    ModerationPolicy,
    Participant,
    ReceivedEmail,
    SupportConversation,
)

from .read_only import ReadOnlyAdminMixin


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (sent to the sender)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


def record_access(request, match, reason, note=""):
    ConversationAccess.objects.create(coordinator=request.user, match=match, reason=reason, note=note[:500])


@admin.register(ModerationItem)
class ModerationItemAdmin(ReadOnlyAdminMixin, ProgrammeScopedAdminMixin, admin.ModelAdmin):
    programme_path = "conversation__match__programme"
    list_display = ("created_at", "sender", "programme", "status", "found", "reported_at", "waiting")
    list_filter = ("status",)
    list_select_related = ("sender", "conversation__match__programme")
    actions = ["approve", "reject"]
    fields = ("sender", "programme", "status", "found", "body", "created_at", "reported_at", "moderated_by",
              "moderated_at", "rejection_reason")  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request):
        queued = Q(status__in=[Message.Status.HELD, Message.Status.FLAGGED]) | Q(reported_at__isnull=False)
        return super().get_queryset(request).filter(queued)

    @admin.display(description=_("programme"))
    def programme(self, message):
        return message.conversation.match.programme

    @admin.display(description=_("waiting"))
    def waiting(self, message):
        return timesince(message.created_at) if message.status == Message.Status.HELD else ""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Reading a message in the queue is recorded, like any coordinator's access to messages."""
        message = self.get_object(request, object_id)
        if message is not None:
            record_access(
                request, message.conversation.match, ConversationAccess.Reason.MODERATION, f"message {message.pk}"
            )
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("found"))
    def found(self, message):
        return ", ".join(sorted({finding["kind"] for finding in message.findings})) or "—"

    @admin.action(description=_("Approve and deliver the selected held messages"), permissions=["view"])
    def approve(self, request, queryset):
        done = 0
        for message in queryset.filter(status=Message.Status.HELD):
            services.approve_message(message, request.user)
            done += 1
        self.message_user(request, _("%(count)d message(s) delivered.") % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Reject the selected held messages…"), permissions=["view"])
    def reject(self, request, queryset):
        form = RejectForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            done = 0
            for message in queryset.filter(status=Message.Status.HELD):
                services.reject_message(message, request.user, form.cleaned_data["reason"])
                done += 1
            self.message_user(request, _("%(count)d message(s) rejected; the senders were told why.") % {"count": done})
            return None
        return render(
            request,
            "admin/messaging/reject.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Reject messages"),
                "items": queryset,
                "form": form,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(Concern)
class ConcernAdmin(ProgrammeScopedAdminMixin, admin.ModelAdmin):
    programme_path = "message__conversation__match__programme"
    list_display = ("created_at", "reporter", "programme", "open_for", "handled_at", "handled_by")
    list_filter = (("handled_at", admin.EmptyFieldListFilter),)
    list_select_related = ("reporter", "handled_by", "message__conversation__match__programme")
    fields = ("reporter", "created_at", "reason", "message_text", "handled_at", "handled_by", "handling_note")
    readonly_fields = ("reporter", "created_at", "reason", "message_text", "handled_at", "handled_by")
    actions = ["mark_handled"]

    @admin.display(description=_("programme"))
    def programme(self, concern):
        return concern.message.conversation.match.programme

    @admin.display(description=_("open for"))
    def open_for(self, concern):
        return "" if concern.handled_at else timesince(concern.created_at)

    @admin.display(description=_("message"))
    def message_text(self, concern):
        return concern.message.body

    def change_view(self, request, object_id, form_url="", extra_context=None):
        concern = self.get_object(request, object_id)
        if concern is not None:
            record_access(
                request,
                concern.message.conversation.match,
                ConversationAccess.Reason.SAFEGUARDING,
                f"concern {concern.pk}",
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if obj.handling_note and not obj.handled_at:
            obj.handled_at, obj.handled_by = timezone.now(), request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Mark the selected concerns handled"))
    def mark_handled(self, request, queryset):
        count = queryset.filter(handled_at__isnull=True).update(handled_at=timezone.now(), handled_by=request.user)
        self.message_user(request, _("%(count)d concern(s) marked handled.") % {"count": count})


@admin.register(ModerationPolicy)
class ModerationPolicyAdmin(ProgrammeScopedAdminMixin, admin.ModelAdmin):
    list_display = ("programme", "email", "phone", "handle", "url", "word")


@admin.register(ConversationAccess)
class ConversationAccessAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The audit log: read-only, for superusers and each programme's safeguarding lead."""

    list_display = ("created_at", "coordinator", "match", "reason", "note")
    list_filter = ("reason",)
    list_select_related = ("coordinator", "match__programme")
    readonly_fields = ("created_at", "coordinator", "match", "reason", "note")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(match__programme__in=safeguarding_programmes(request.user).values("pk"))

    def has_module_permission(self, request):
        return request.user.is_superuser or safeguarding_programmes(request.user).exists()

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)


@admin.register(SupportConversation)
class SupportConversationAdmin(ReadOnlyAdminMixin, ProgrammeScopedAdminMixin, admin.ModelAdmin):
    """Every coordinator's queue of private support conversations in their programmes: with whom, when
    the last message came, and who owes a reply. Opened on the site by the coordinator who is in it."""

    programme_path = "match__programme"
    list_display = ("subject", "person", "programme", "last_message_at", "owes_reply", "open_link")
    list_select_related = ("match__programme",)
    fields = ("subject", "created_by", "created_at", "last_message_at")
    readonly_fields = fields

    def get_queryset(self, request):
        participants = Participant.objects.select_related("user")
        return (
            super()
            .get_queryset(request)
            .filter(match__status=Match.Status.SUPPORT)
            .prefetch_related(Prefetch("participants", participants))
            .order_by("-last_message_at", "-pk")
        )

    @admin.display(description=_("with"))
    def person(self, conversation):
        return ", ".join(
            p.user.display_name for p in conversation.participants.all() if p.user_id != conversation.created_by_id
        )

    @admin.display(description=_("programme"))
    def programme(self, conversation):
        return conversation.match.programme

    @admin.display(description=_("owes a reply"))
    def owes_reply(self, conversation):
        waiting = [p for p in conversation.participants.all() if p.awaiting_reply_since]
        return ", ".join(f"{p.user.display_name} ({timesince(p.awaiting_reply_since)})" for p in waiting)

    @admin.display(description=_("open"))
    def open_link(self, conversation):
        return format_html('<a href="{}">{}</a>', conversation.get_absolute_url(), _("Open"))


@admin.register(ReceivedEmail)
class ReceivedEmailAdmin(ReadOnlyAdminMixin, ProgrammeScopedAdminMixin, admin.ModelAdmin):
    """What came in by e-mail for the coordinator's programmes, and what became of it: a reply posted (the
    message is in the conversation, moderated like any), refused and explained, or dropped as automatic.
    No addresses or text are kept here."""

    programme_path = "conversation__match__programme"
    list_display = ("received_at", "channel", "outcome", "reason", "conversation", "attachments_dropped")
    list_filter = ("outcome", "reason", "channel")
    list_select_related = ("conversation",)
    fields = ("received_at", "channel", "outcome", "reason", "conversation", "message", "size", "attachments_dropped")
    readonly_fields = fields
