"""Send at a good time for them: a reply scheduled for the end of its recipients' quiet hours.

The writer sees their scheduled replies under the reply box (a fragment, never part of the cached
thread page) and can cancel them until they go. The beat sweep sends what is due through the same
send_message as the reply form, with a submission key of its own: a sweep run twice, or two sweeps
at once, send each reply once.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.schedule import in_quiet_hours, next_allowed_time
from notices.models import Notice
from notices.services import notify

from .models import Conversation, Draft, Message, Participant, ScheduledMessage
from .services import MessagingError, _clean_body, send_message

PENDING_PER_CONVERSATION = 3  # scheduled replies one person may have waiting in one conversation
FURTHEST = datetime.timedelta(days=2)  # quiet hours end within a day; more is a mistake
SWEEP_BATCH = 200


def in_quiet_hours_now(recipients, at: datetime.datetime) -> list[tuple]:
    """(person, when their quiet hours end) for each recipient in their quiet hours at `at`."""
    return [(person, next_allowed_time(person, at)) for person in recipients if in_quiet_hours(person, at)]


def good_time_for(recipients, at: datetime.datetime | None = None) -> datetime.datetime | None:
    """When the recipients' quiet hours are over, if any of them is in quiet hours at `at` (the last of
    their ends, so that nobody is woken); None when it is a good time now."""
    quiet = in_quiet_hours_now(recipients, at or timezone.now())
    return max((until for _person, until in quiet), default=None)


def recipients_of(conversation: Conversation, sender) -> list:
    return [p.user for p in conversation.participants.select_related("user") if p.user_id != sender.pk]


def schedule(sender, conversation: Conversation, body: str, *, reply_to: Message | None = None,
             submission_key: str = "") -> ScheduledMessage:  # fmt: skip
    """Keep the reply to deliver when the recipients' quiet hours end. Refused when it is a good time
    already (send it now), when the conversation cannot be written in, or with too many waiting."""
    body = _clean_body(body)
    try:
        with transaction.atomic():
            # The conversation's row first, as sending and autosaving do (they take turns, see save_draft).
            conversation = (
                Conversation.objects.select_for_update(of=("self",)).select_related("match").get(pk=conversation.pk)
            )
            if submission_key:
                earlier = ScheduledMessage.objects.filter(sender=sender, submission_key=submission_key).first()
                if earlier is not None:
                    return earlier
            if conversation.is_read_only or not conversation.match.is_writable:
                raise MessagingError(_("This conversation cannot take new messages."))
            if not Participant.objects.filter(conversation=conversation, user=sender).exists():
                raise MessagingError(_("Only the people in a conversation can write in it."))
            deliver_at = good_time_for(recipients_of(conversation, sender))
            if deliver_at is None:
                raise MessagingError(_("It is a good time for them now: send it straight away."))
            if deliver_at - timezone.now() > FURTHEST:
                raise MessagingError(_("Their quiet hours end too far ahead to schedule this reply."))
            waiting = ScheduledMessage.objects.filter(
                conversation=conversation, sender=sender, status=ScheduledMessage.Status.PENDING
            ).count()
            if waiting >= PENDING_PER_CONVERSATION:
                raise MessagingError(_("You already have %(n)s replies waiting to be delivered here.") % {"n": waiting})
            if reply_to is not None and reply_to.conversation_id != conversation.pk:
                reply_to = None
            scheduled = ScheduledMessage.objects.create(
                conversation=conversation, sender=sender, body=body, reply_to=reply_to, deliver_at=deliver_at,
                submission_key=submission_key,
            )  # fmt: skip
            Draft.objects.filter(conversation=conversation, user=sender).delete()
    except IntegrityError:  # the same form, posted twice at the same moment
        return ScheduledMessage.objects.get(sender=sender, submission_key=submission_key)
    return scheduled


def cancel(scheduled: ScheduledMessage, by) -> ScheduledMessage:
    """The writer takes a scheduled reply back before it goes; its text returns to the reply box as a draft
    (unless they have started another)."""
    with transaction.atomic():
        Conversation.objects.select_for_update(of=("self",)).filter(pk=scheduled.conversation_id).first()
        scheduled = ScheduledMessage.objects.select_for_update().get(pk=scheduled.pk)
        if scheduled.sender_id != by.pk or not scheduled.is_pending:
            raise MessagingError(_("This reply has already been delivered or taken back."))
        scheduled.status = ScheduledMessage.Status.CANCELLED
        scheduled.save(update_fields=["status"])
        _back_to_draft(scheduled)
    return scheduled


def _back_to_draft(scheduled: ScheduledMessage) -> None:
    """The reply's text returns to its writer's reply box, unless they have started another since."""
    Draft.objects.get_or_create(
        conversation_id=scheduled.conversation_id,
        user_id=scheduled.sender_id,
        defaults={"body": scheduled.body, "reply_to": scheduled.reply_to},
    )


def pending_for(sender, conversation_id: int) -> list[ScheduledMessage]:
    return list(
        ScheduledMessage.objects.filter(
            conversation_id=conversation_id, sender=sender, status=ScheduledMessage.Status.PENDING
        ).order_by("deliver_at", "pk")
    )


def send_due(now: datetime.datetime | None = None) -> int:
    """The beat sweep: deliver every scheduled reply whose time has come. Rows are claimed with SKIP
    LOCKED, so two sweeps never take the same one; sending carries the row's own submission key."""
    now = now or timezone.now()
    sent = 0
    while True:
        with transaction.atomic():
            batch = list(
                ScheduledMessage.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(status=ScheduledMessage.Status.PENDING, deliver_at__lte=now)
                .select_related("sender", "conversation", "reply_to")
                .order_by("deliver_at", "pk")[:SWEEP_BATCH]
            )
            for scheduled in batch:
                sent += _deliver(scheduled)
        if len(batch) < SWEEP_BATCH:
            return sent


def _deliver(scheduled: ScheduledMessage) -> int:
    try:
        with transaction.atomic():
            message = send_message(
                scheduled.sender,
                scheduled.conversation,
                scheduled.body,
                reply_to=scheduled.reply_to,
                submission_key=f"scheduled-{scheduled.pk}",
                keep_draft=True,
            )
    except MessagingError as error:
        scheduled.status, scheduled.failure = ScheduledMessage.Status.FAILED, str(error)
        scheduled.save(update_fields=["status", "failure"])
        notify(
            scheduled.sender,
            Notice.Kind.REVIEW,
            gettext_noop("Your scheduled reply in “%(subject)s” could not be delivered: it is back in your draft."),
            {"subject": scheduled.conversation.subject},
            url=f"{scheduled.conversation.get_absolute_url()}#reply",
            key=f"scheduled-failed:{scheduled.pk}",
        )
        _back_to_draft(scheduled)
        return 0
    scheduled.status, scheduled.message = ScheduledMessage.Status.SENT, message
    scheduled.save(update_fields=["status", "message"])
    return 1
