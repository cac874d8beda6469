"""What messaging tells people by e-mail, through the accounts outbox.

Coordinators' e-mails never contain message text: they link to the moderation queue.
Digests are in messaging/digests.py, reply reminders in messaging/reminders.py.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_noop

from accounts.email_kinds import EmailKind
from accounts.emails import absolute_url, message_id_for, queue_email
from accounts.models import OutboundEmail, User
from matching.models import ProgrammeCoordinator
from notices.models import Notice
from notices.services import notify
from richtext import plain_text

from . import reply_addresses
from .models import Concern, Message, Participant, messaging_policy_for

NEW_MESSAGE_TEMPLATE = "emails/new_message"


def coordinators_of(programme, safeguarding_first: bool = False):
    roles = ProgrammeCoordinator.objects.filter(programme=programme).select_related("user")
    if safeguarding_first:
        leads = [role.user for role in roles if role.is_safeguarding_lead]
        if leads:
            return leads
    return [role.user for role in roles]


def _queue_url() -> str:
    return absolute_url(reverse("admin:messaging_moderationitem_changelist"))


# Flagged messages and texts are delivered: coordinators hear of them at most once an hour per
# programme, in one e-mail. Held ones wait for them: they hear of each at once.
FLAG_WINDOW = datetime.timedelta(hours=1)
FLAGGED_TEMPLATE = "emails/flagged_in_programme"


def message_sent(message: Message) -> None:
    programme = message.conversation.match.programme
    if message.status == Message.Status.HELD:
        _held(programme, message.sender.display_name, message.findings, f"moderation:{message.pk}", "message")
    elif message.status == Message.Status.FLAGGED:
        flagged_in(programme, message.created_at)


def _held(programme, author_name: str, findings, key: str, what: str) -> None:
    kinds = sorted({finding["kind"] for finding in findings})
    queue_url = _queue_url() if what == "message" else absolute_url(reverse("admin:accounts_reviewedtext_changelist"))
    for coordinator in coordinators_of(programme):
        queue_email(
            coordinator,
            EmailKind.MODERATION,
            "emails/message_moderation",
            {"held": True, "what": what, "sender_name": author_name, "programme_name": programme.name,
             "kinds": kinds, "queue_url": queue_url},
            f"{key}:{coordinator.pk}",
        )  # fmt: skip


def flagged_in(programme, at: datetime.datetime) -> None:
    """Something was flagged in a programme: one e-mail per coordinator at the end of this hour,
    counting everything flagged in it (refresh_flagged_email counts them when it is sent)."""
    window_start = at.replace(minute=0, second=0, microsecond=0)
    for coordinator in coordinators_of(programme):
        queue_email(
            coordinator,
            EmailKind.MODERATION,
            FLAGGED_TEMPLATE,
            {"programme_id": programme.pk, "programme_name": programme.name, "since": window_start,
             "until": window_start + FLAG_WINDOW, "queue_url": _queue_url(),
             "texts_url": absolute_url(reverse("admin:accounts_reviewedtext_changelist"))},
            f"flagged:{programme.pk}:{coordinator.pk}:{window_start:%Y%m%d%H}",
            send_after=window_start + FLAG_WINDOW,
        )  # fmt: skip


def refresh_flagged_email(row: OutboundEmail) -> dict | None:
    """Just before sending the hour's flag alert: how many messages and texts were flagged in it."""
    from accounts.models import ReviewedText

    context = row.context
    since, until = context["since"], context["until"]
    messages = Message.objects.filter(
        conversation__match__programme_id=context["programme_id"], status=Message.Status.FLAGGED,
        created_at__gte=since, created_at__lt=until,
    ).count()  # fmt: skip
    texts = sum(
        1
        for review in ReviewedText.objects.filter(
            status=ReviewedText.Status.FLAGGED, created_at__gte=since, created_at__lt=until
        ).select_related("content_type")
        if context["programme_id"] in {p.pk for p in programmes_of_review(review)}
    )
    return {"messages": messages, "texts": texts} if messages or texts else None


def programmes_of_review(review):
    """The programmes whose coordinators review a text: those of the match or enrolment it belongs to,
    or all the author's programmes for their own profile."""
    from matching.models import Goal, Match, Membership, Programme

    owner_model = review.content_type.model_class()
    if owner_model is Match:
        return list(Programme.objects.filter(matches=review.object_id))
    if owner_model is Membership:
        return list(Programme.objects.filter(memberships=review.object_id))
    if owner_model is Goal:
        return list(Programme.objects.filter(matches__goals=review.object_id))
    return list(
        Programme.objects.filter(
            memberships__user=review.author_id,
            memberships__status__in=[Membership.Status.APPLIED, Membership.Status.APPROVED],
        )
    )


def text_to_review(review) -> None:
    """accounts.text_screening's alert: a held text is told at once, a flagged one in the hour's alert."""
    from accounts.models import ReviewedText

    for programme in programmes_of_review(review):
        if review.status == ReviewedText.Status.HELD:
            _held(programme, review.author.display_name, review.findings, f"held-text:{review.pk}", "text")
        else:
            flagged_in(programme, review.created_at)


def message_rejected(message: Message) -> None:
    queue_email(
        message.sender,
        EmailKind.SAFEGUARDING,
        "emails/message_rejected",
        {
            "reason": message.rejection_reason,
            "subject_line": message.conversation.subject,
            "conversation_url": absolute_url(message.conversation.get_absolute_url()),
        },
        f"message-rejected:{message.pk}",
    )
    _tell_writer(message, gettext_noop("Your message in “%(subject)s” was not delivered: a coordinator explains why."))


def message_approved(message: Message) -> None:
    """No e-mail (the recipients' new-message e-mails follow as usual): the writer sees it in the app."""
    _tell_writer(message, gettext_noop("Your message in “%(subject)s” was reviewed and delivered."))


def _tell_writer(message: Message, text_id: str) -> None:
    notify(
        message.sender,
        Notice.Kind.REVIEW,
        text_id,
        {"subject": message.conversation.subject},
        url=f"{message.conversation.get_absolute_url()}#message-{message.pk}",
        key=f"message-reviewed:{message.pk}",
    )


def concern_reported(concern: Concern) -> None:
    programme = concern.message.conversation.match.programme
    for lead in coordinators_of(programme, safeguarding_first=True):
        queue_email(
            lead,
            EmailKind.SAFEGUARDING,
            "emails/concern_reported",
            {
                "reporter_name": concern.reporter.display_name,
                "programme_name": programme.name,
                "reported_at": concern.created_at,
                "queue_url": absolute_url(reverse("admin:messaging_concern_changelist")),
            },
            f"concern:{concern.pk}:{lead.pk}",
        )


# --- New-message e-mails: batched, and cancelled if the message is read first ---------------


def _window() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.NEW_MESSAGE_EMAIL_WINDOW_MINUTES)


def plan_new_message_emails(conversation, message: Message, participants, at) -> None:
    """Called in the sending transaction for a delivered message. Each recipient who wants an
    e-mail per message gets one after the batching window; further messages in the meantime join
    it, and after it the next e-mail waits a whole window. The caller saves `next_email_after`."""
    recipients = [p for p in participants if p.user_id != message.sender_id and not p.muted]
    users = {user.pk: user for user in User.objects.filter(pk__in=[p.user_id for p in recipients])}
    pending = set(
        OutboundEmail.objects.filter(
            recipient_id__in=list(users),
            template=NEW_MESSAGE_TEMPLATE,
            status=OutboundEmail.Status.PENDING,
            context__conversation_id=conversation.pk,
        ).values_list("recipient_id", flat=True)
    )
    for participant in recipients:
        user = users[participant.user_id]
        if user.notification_preference != User.NotificationPreference.EACH_MESSAGE or user.pk in pending:
            continue
        send_after = max(at + _window(), participant.next_email_after or at)
        queued = queue_email(
            user,
            EmailKind.NEW_MESSAGE,
            NEW_MESSAGE_TEMPLATE,
            {
                "conversation_id": conversation.pk,
                "participant_id": participant.pk,
                "first_message_at": message.created_at,
                "subject_line": conversation.subject,
                "conversation_url": absolute_url(conversation.get_absolute_url()),
            },
            f"new-message:{participant.pk}:{message.pk}",
            send_after=send_after,
        )
        if queued is not None:
            participant.next_email_after = send_after + _window()


def refresh_new_message_email(row: OutboundEmail) -> dict | None:
    """Just before sending: still unread? Then who wrote, how many, and the text if allowed."""
    participant = (
        Participant.objects.filter(pk=row.context.get("participant_id"))
        .select_related("user", "conversation__match__programme__messaging_policy")
        .first()
    )
    first_at = row.context.get("first_message_at")
    if participant is None or participant.conversation.is_read_only or participant.unread_count == 0:
        return None
    if participant.last_read_at and first_at and participant.last_read_at >= first_at:
        return None
    unread = list(
        Message.objects.filter(conversation_id=participant.conversation_id, status__in=Message.DELIVERED)
        .exclude(sender_id=participant.user_id)
        .filter(created_at__gt=participant.last_read_at or datetime.datetime.min.replace(tzinfo=datetime.UTC))
        .select_related("sender")
        .order_by("-created_at")[:20]
    )
    if not unread:
        return None
    # Never for someone under 18, whatever the programme allows (the Age Appropriate Design Code's
    # high-privacy default): e-mail is not confidential, and a family inbox may be shared.
    policy = messaging_policy_for(participant.conversation.match.programme)
    include_text = policy.emails_include_message_text and not participant.user.is_under_18
    headers = thread_headers(participant)
    reply_address = ""
    if reply_addresses.offered_to(participant.user, policy):  # asks all include_text asks, and more
        reply_address = headers["Reply-To"] = reply_addresses.address_for(participant)
    return {
        "email_headers": headers,
        "reply_address": reply_address,
        "count": participant.unread_count,
        "senders": sorted({m.sender.display_name for m in unread}),
        "excerpts": [
            {"sender": m.sender.display_name, "text": plain_text(m.body, limit=600), "at": m.created_at}
            for m in reversed(unread[:3])
        ]
        if include_text
        else [],
    }


def thread_root_id(participant: Participant) -> str:
    """A Message-ID no e-mail has, that every new-message e-mail of one person's conversation refers to,
    so mail clients keep the conversation in one thread. Hashed: it names neither person nor conversation."""
    return message_id_for(f"conversation-thread:{participant.pk}")


def thread_headers(participant: Participant) -> dict[str, str]:
    previous = (
        OutboundEmail.objects.filter(
            recipient_id=participant.user_id, template=NEW_MESSAGE_TEMPLATE, status=OutboundEmail.Status.SENT,
            context__participant_id=participant.pk,
        )
        .exclude(message_id="")
        .order_by("-sent_at")
        .values_list("message_id", flat=True)
        .first()
    )  # fmt: skip
    root = thread_root_id(participant)
    if previous is None:
        return {"In-Reply-To": root, "References": root}
    return {"In-Reply-To": previous, "References": f"{root} {previous}"}
