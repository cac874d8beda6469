"""Conversations between the members of a match: threads, messages, read state and the wait for a reply."""

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.functions import RandomUUID
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.text_screening import validate_single_line
from matching.models import Match, Programme, Role

from .text_language import CONFIGS as TEXT_CONFIGS
from .text_language import SIMPLE as SIMPLE_CONFIG

MAX_BODY_LENGTH = 20_000  # characters in a message
PREVIEW_LENGTH = 160  # characters of a message's one-line preview


class ModerationAction(models.TextChoices):
    ALLOW = "allow", _("Allow")
    FLAG = "flag", _("Deliver, and show to coordinators")
    HOLD = "hold", _("Hold until a coordinator approves")


class ModerationPolicy(models.Model):
    """What a programme does with messages that contain contact details or listed words."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="moderation_policy")
    email = models.CharField(_("e-mail addresses"), max_length=5, choices=ModerationAction.choices, default="hold")
    phone = models.CharField(_("phone numbers"), max_length=5, choices=ModerationAction.choices, default="hold")
    handle = models.CharField(_("messenger handles"), max_length=5, choices=ModerationAction.choices, default="hold")
    url = models.CharField(_("links"), max_length=5, choices=ModerationAction.choices, default="flag")
    word = models.CharField(_("listed words"), max_length=5, choices=ModerationAction.choices, default="flag")
    words = models.TextField(_("word list"), blank=True, help_text=_("One word or phrase per line."))
    phone_region = models.CharField(
        _("phone number region"), max_length=2, default="GB", help_text=_("For numbers written without +country.")
    )

    class Meta:
        verbose_name = _("moderation policy")
        verbose_name_plural = _("moderation policies")

    def __str__(self):
        return str(self.programme)

    @property
    def word_list(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in self.words.splitlines() if line.strip())

    def action_for(self, kind: str) -> str:
        return getattr(self, kind, ModerationAction.FLAG)


class MessagingPolicy(models.Model):
    """How a programme's conversations run: how soon a reply is expected, when reminders go and
    coordinators are told, when a pair counts as quiet, what e-mails may say, how long messages are kept.
    A programme without one runs on the defaults (messaging_policy_for)."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="messaging_policy")
    response_expectation_hours = models.PositiveSmallIntegerField(
        _("reply expected within (hours)"), default=72, validators=[MinValueValidator(1)]
    )
    second_reminder_after_hours = models.PositiveSmallIntegerField(
        _("second reminder after (hours)"), default=120, validators=[MinValueValidator(1)]
    )
    escalation_after_hours = models.PositiveSmallIntegerField(
        _("tell coordinators after (hours)"), default=168, validators=[MinValueValidator(1)]
    )
    inactivity_days = models.PositiveSmallIntegerField(
        _("a pair is inactive after (days)"), default=21, validators=[MinValueValidator(1)]
    )
    emails_include_message_text = models.BooleanField(
        _("notification e-mails include message text"),
        default=False,
        help_text=_("Off by default: e-mail is not confidential."),
    )
    accepts_email_replies = models.BooleanField(
        _("people may answer by replying to the e-mail"),
        default=True,
        db_default=True,  # rows bulk-copied without the column (tools/seed_scale) take it too
        help_text=_("Only where e-mails include message text: each reply is checked like a message on the site."),
    )
    retention_days = models.PositiveIntegerField(
        _("keep messages after a match closes (days)"),
        default=365,
        help_text=_("Then they are deleted, unless safeguarding keeps them."),
    )

    class Meta:
        verbose_name = _("replies, reminders and records")
        verbose_name_plural = _("replies, reminders and records")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(second_reminder_after_hours__gt=models.F("response_expectation_hours"))
                & models.Q(escalation_after_hours__gt=models.F("second_reminder_after_hours")),
                name="messaging_reminders_in_order",
            ),
        ]

    def __str__(self):
        return str(self.programme)


DEFAULT_RETENTION_DAYS = MessagingPolicy._meta.get_field("retention_days").default


def messaging_policy_for(programme) -> MessagingPolicy:
    try:
        return programme.messaging_policy
    except MessagingPolicy.DoesNotExist:
        return MessagingPolicy(programme=programme)  # the defaults, unsaved


class ConversationQuerySet(models.QuerySet):
    def for_participant(self, user):
        return self.filter(participants__user=user)


class Conversation(models.Model):
    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="conversations")
    subject = models.CharField(_("subject"), max_length=200, validators=[validate_single_line])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(null=True, blank=True)
    last_message = models.ForeignKey("Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    is_read_only = models.BooleanField(_("read-only"), default=False, help_text=_("Set when the match closes."))
    # Counted up by the database whenever any of its messages is written, changed or deleted, however that
    # happens (services, admin, purge, COPY): part of the cached thread page's key (messaging.thread_cache).
    messages_version = models.PositiveBigIntegerField(db_default=0, editable=False)
    # The cached copies of this conversation's page are sealed with a key made from this (thread_cache):
    # a purge or an erasure draws a new one, and every copy anywhere (Redis, each process's memory)
    # can no longer be read.
    page_secret = models.UUIDField(db_default=RandomUUID(), editable=False)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-last_message_at", "-pk"]
        triggers = [
            # A save() from a stale copy of the row must never turn the count back.
            pgtrigger.Trigger(
                name="messages_version_never_decreases",
                when=pgtrigger.Before,
                operation=pgtrigger.Update,
                condition=pgtrigger.Q(new__messages_version__lt=pgtrigger.F("old__messages_version")),
                func="NEW.messages_version := OLD.messages_version; RETURN NEW;",
            ),
        ]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("messaging:thread", args=[self.pk])


class Participant(models.Model):
    """One person's state in one conversation: what they have read, and whether they owe a reply."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participations")
    role = models.CharField(max_length=6, choices=Role.choices)
    last_read_at = models.DateTimeField(null=True, blank=True)
    unread_count = models.PositiveIntegerField(default=0)
    archived = models.BooleanField(default=False)
    muted = models.BooleanField(default=False)
    # Mirrors the conversation's last activity, so the inbox is one index scan per person.
    last_message_at = models.DateTimeField(null=True, blank=True)
    # Set when someone writes and this person owes a reply; cleared when they reply.
    awaiting_reply_since = models.DateTimeField(null=True, blank=True)
    reply_due_at = models.DateTimeField(null=True, blank=True)
    promised_reply_by = models.DateTimeField(null=True, blank=True)
    waiting_message = models.ForeignKey("Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Reply reminders sent for the current wait: 0 none, 1 first, 2 second, 3 coordinators told.
    reminder_level = models.PositiveSmallIntegerField(default=0)
    # New-message e-mails are batched: none before this time (at most one per window).
    next_email_after = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [models.UniqueConstraint(fields=["conversation", "user"], name="participant_once")]
        indexes = [
            models.Index(
                models.F("user"),
                models.F("archived"),
                models.F("last_message_at").desc(nulls_last=True),
                models.F("id").desc(),
                name="participant_inbox",
            ),
            models.Index(
                fields=["reply_due_at"], name="participant_reply_due", condition=models.Q(reply_due_at__isnull=False)
            ),
        ]

    def __str__(self):
        return f"{self.user} in {self.conversation}"


def _count_conversation_versions(operation) -> pgtrigger.Trigger:
    """Once per statement, not per row: a COPY or a purge of a million messages counts each conversation once.
    (PostgreSQL allows transition tables on single-event triggers only, hence one trigger per operation.)"""
    deleting = operation is pgtrigger.Delete
    referencing = pgtrigger.Referencing(old="changed") if deleting else pgtrigger.Referencing(new="changed")
    return pgtrigger.Trigger(
        name=f"messages_version_on_{str(operation).lower()}",
        level=pgtrigger.Statement,
        when=pgtrigger.After,
        operation=operation,
        referencing=referencing,
        func="UPDATE messaging_conversation SET messages_version = messages_version + 1 "
        "WHERE id IN (SELECT DISTINCT conversation_id FROM changed); RETURN NULL;",
    )


class MessageQuerySet(models.QuerySet):
    def visible_to(self, user):
        """What a participant may read: delivered messages, and their own held or rejected ones."""
        return self.filter(models.Q(status__in=Message.DELIVERED) | models.Q(sender=user))


class Message(models.Model):
    class Status(models.TextChoices):
        VISIBLE = "visible", _("Delivered")
        FLAGGED = "flagged", _("Delivered, flagged for coordinators")
        HELD = "held", _("Awaiting review")
        REJECTED = "rejected", _("Not delivered")

    DELIVERED = (Status.VISIBLE, Status.FLAGGED)

    # No index of its own: message_thread_order begins with it (and a second one misled the planner).
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages", db_index=False)
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="authored_messages")
    body = models.TextField(_("message"), max_length=MAX_BODY_LENGTH)
    body_html = models.TextField(editable=False)
    # One line of plain text (Markdown marks gone) for the inbox and e-mails, kept with the body so a
    # list of 25 conversations never renders 25 bodies.
    preview = models.CharField(max_length=PREVIEW_LENGTH, editable=False, blank=True, db_default="")
    reply_to = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.VISIBLE)
    findings = models.JSONField(default=list, blank=True, help_text=_("What moderation found: kind and text."))
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    reported_at = models.DateTimeField(null=True, blank=True, help_text=_("A reported message can never change."))
    # The form submission that sent it (messaging.forms.new_submission_key): posted twice, it sends once.
    submission_key = models.CharField(max_length=64, blank=True, default="", editable=False)
    # Who may read it, copied from the conversation's participants when it is written: search filters
    # on this and the text in one GIN index, instead of joining 3,000 conversations for a busy mentor.
    participant_ids = ArrayField(models.BigIntegerField(), default=list, blank=True, editable=False)
    # The language the text is written in (messaging.text_language): search stems it as that language.
    language = models.CharField(max_length=8, blank=True, default="en", editable=False)
    # Stored, so that search never computes to_tsvector at query time; each configuration is named,
    # which keeps the expression immutable as PostgreSQL requires for a generated column.
    search_vector = models.GeneratedField(
        expression=Case(
            *(When(language=code, then=SearchVector("body", config=config)) for code, config in TEXT_CONFIGS.items()),
            default=SearchVector("body", config=SIMPLE_CONFIG),
            output_field=SearchVectorField(),
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        triggers = [_count_conversation_versions(op) for op in (pgtrigger.Insert, pgtrigger.Update, pgtrigger.Delete)]
        constraints = [
            models.UniqueConstraint(
                fields=["sender", "submission_key"],
                condition=~models.Q(submission_key=""),
                name="message_submitted_once",
            )
        ]
        indexes = [
            models.Index(fields=["conversation", "created_at", "id"], name="message_thread_order"),
            GinIndex(fields=["search_vector"], name="message_search"),
            GinIndex(fields=["participant_ids", "search_vector"], name="message_search_by_participant"),
            models.Index(fields=["created_at"], name="message_moderation_queue", condition=models.Q(status="held")),
        ]

    def __str__(self):
        return f"{self.sender} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_delivered(self) -> bool:
        return self.status in self.DELIVERED


class ModerationItem(Message):
    """The moderation queue: held, flagged and reported messages (a proxy, so the admin has a page for it)."""

    class Meta:
        proxy = True
        verbose_name = _("message to review")
        verbose_name_plural = _("moderation queue")


class ResponseTime(models.Model):
    """How long someone took to answer a message that was waiting for them."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="response_times")
    responder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="response_times")
    reply = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="response_time")
    waited_since = models.DateTimeField()
    seconds = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["responder", "-created_at"], name="response_time_recent")]

    def __str__(self):
        return f"{self.responder}: {self.seconds} s"


class Draft(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="drafts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts")
    body = models.TextField(max_length=MAX_BODY_LENGTH, blank=True)
    reply_to = models.ForeignKey(Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "user"], name="one_draft_per_conversation")]

    def __str__(self):
        return f"Draft by {self.user}"


class Concern(models.Model):
    """A participant reported a message: the programme's safeguarding lead is told at once."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="concerns")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="concerns_reported")
    reason = models.TextField(_("what worries you"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handling_note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["created_at"], name="concern_open", condition=models.Q(handled_at__isnull=True))
        ]

    def __str__(self):
        return f"{self.reporter} on {self.created_at:%Y-%m-%d}"


class ConversationAccess(models.Model):
    """A coordinator read a match's messages: who, which match, when and why. Never edited."""

    class Reason(models.TextChoices):
        SAFEGUARDING = "safeguarding", _("Safeguarding")
        SUPPORT = "support", _("Support the pair")
        MODERATION = "moderation", _("Moderation review")
        OTHER = "other", _("Other")

    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conversation_accesses"
    )
    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="conversation_accesses")
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("conversation access")
        verbose_name_plural = _("conversation access log")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.coordinator} · {self.match_id} · {self.created_at:%Y-%m-%d %H:%M}"


class Announcement(models.Model):
    """A coordinator's message to a programme or a part of it, delivered in the app and by e-mail."""

    class Segment(models.TextChoices):
        EVERYONE = "everyone", _("Everyone in the programme")
        MENTORS = "mentors", _("Mentors")
        MENTEES = "mentees", _("Mentees")
        UNMATCHED = "unmatched", _("Mentees without a current match")
        AT_RISK = "at_risk", _("People in pairs at risk")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="announcements")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("from")
    )
    segment = models.CharField(_("to"), max_length=10, choices=Segment.choices, default=Segment.EVERYONE)
    subject = models.CharField(_("subject"), max_length=200, validators=[validate_single_line])
    body = models.TextField(_("message"), max_length=10_000, help_text=_("Markdown."))
    body_html = models.TextField(editable=False, default="")
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients_count = models.PositiveIntegerField(_("sent to"), default=0, editable=False)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return self.subject


class AnnouncementReceipt(models.Model):
    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="receipts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="announcements")
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["announcement", "user"], name="announced_once")]
        indexes = [models.Index(fields=["user", "read_at"], name="announcement_unread")]

    def __str__(self):
        return f"{self.announcement} → {self.user}"


class SupportConversation(Conversation):
    """The admin's queue of support conversations (messaging.support): conversations whose match is a
    participant's support thread holder."""

    class Meta:
        proxy = True
        verbose_name = _("support conversation")
        verbose_name_plural = _("support conversations")


class ScheduledMessage(models.Model):
    """A reply written now and delivered later: when its recipients' quiet hours end ("deliver at 08:00
    their time"). Seen only by its writer until then; sent by the beat sweep through send_message, so
    moderation, the reply clock and the e-mails apply as at any sending, at the moment it goes."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Scheduled")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")
        FAILED = "failed", _("Not sent")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="scheduled_messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scheduled_messages")
    body = models.TextField(_("message"), max_length=MAX_BODY_LENGTH)
    reply_to = models.ForeignKey(Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    deliver_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.PENDING)
    # The reply form's submission: posted twice, it is scheduled once; sent, it becomes one message.
    submission_key = models.CharField(max_length=64, blank=True, default="", editable=False)
    message = models.OneToOneField(Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    failure = models.TextField(blank=True)

    class Meta:
        verbose_name = _("scheduled message")
        verbose_name_plural = _("scheduled messages")
        ordering = ["deliver_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sender", "submission_key"],
                condition=~models.Q(submission_key=""),
                name="scheduled_message_submitted_once",
            )
        ]
        indexes = [
            models.Index(fields=["deliver_at"], name="scheduled_message_due", condition=models.Q(status="pending")),
        ]

    def __str__(self):
        return f"{self.sender} · {self.deliver_at:%Y-%m-%d %H:%M}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class ReplyAddress(models.Model):
    """The address one person answers one conversation's e-mails at (messaging/reply_addresses.py).

    Its key is random and names no one; the address carries it with a signature, so a guessed or
    altered address is refused before any lookup. Revoking it (the person asks, or leaves the
    conversation) makes every e-mail that carried it unanswerable; the next e-mail carries a new one."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="reply_addresses")
    key = models.CharField(max_length=32, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    # The last e-mail that carried it: it expires REPLY_ADDRESS_DAYS after that.
    last_sent_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reply address")
        verbose_name_plural = _("reply addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["participant"], condition=models.Q(revoked_at__isnull=True), name="one_live_reply_address"
            )
        ]

    def __str__(self):
        return f"reply address {self.pk}"


class ReceivedEmail(models.Model):
    """Every e-mail that came in for a reply address, and what became of it (messaging/email_replies.py).

    Kept without addresses or text: the message it posted holds the text. Its Message-ID, hashed, is
    what makes a provider's retry or a resent e-mail post nothing twice."""

    class Outcome(models.TextChoices):
        POSTED = "posted", _("Posted in the conversation")
        REFUSED = "refused", _("Refused, the sender was told why")
        DROPPED = "dropped", _("Dropped (automatic reply, bounce or loop)")

    class Reason(models.TextChoices):
        NONE = "", _("—")
        AUTOMATIC = "automatic", _("An automatic reply, bounce or mailing list")
        LOOP = "loop", _("One of our own e-mails came back")
        NOT_A_REPLY_ADDRESS = "not_ours", _("Not addressed to a reply address")
        UNKNOWN_ADDRESS = "unknown", _("Unknown or altered reply address")
        EXPIRED = "expired", _("Reply address expired or turned off")
        OTHER_SENDER = "other_sender", _("Sent from an address that is not the person's")
        NOT_AUTHENTICATED = "not_authenticated", _("The sender's domain did not vouch for it (SPF and DKIM)")
        NOT_OFFERED = "not_offered", _("Replies by e-mail are not offered in this conversation")
        CLOSED = "closed", _("The conversation is closed")
        TOO_LARGE = "too_large", _("Too large")
        EMPTY = "empty", _("No new text found")
        UNREADABLE = "unreadable", _("Could not be read")
        RATE_LIMITED = "rate_limited", _("Too many messages this hour")

    received_at = models.DateTimeField(default=timezone.now)
    channel = models.CharField(_("received by"), max_length=32)
    message_id_hash = models.CharField(max_length=64, unique=True, editable=False)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    reason = models.CharField(max_length=20, choices=Reason.choices, blank=True, default="")
    attachments_dropped = models.PositiveSmallIntegerField(default=0)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="received_emails"
    )
    message = models.ForeignKey(Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("reply received by e-mail")
        verbose_name_plural = _("replies received by e-mail")
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.get_outcome_display()} · {self.received_at:%Y-%m-%d %H:%M}"
