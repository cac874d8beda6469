"""Use cases of messaging: start a topic, send, read, acknowledge, edit, moderate, report.

`send_message` is the main walk of DESIGN.md: in one transaction it saves the message, runs
moderation, updates every participant's state (unread, who owes a reply and by when), records
the response time when a message answers a waiting one, and writes the e-mails that follow.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.text_screening import policies_for, refuse_contact_details, validate_single_line
from matching.models import Match, MatchMember, Role
from matching.services import clear_at_risk, hold_for_safeguarding
from richtext import plain_text, render_markdown

from . import notifications
from .models import (
    MAX_BODY_LENGTH,
    PREVIEW_LENGTH,
    Concern,
    Conversation,
    Draft,
    Message,
    Participant,
    ResponseTime,
    ScheduledMessage,
)
from .moderation import moderate, policy_for
from .reply_window import reply_window
from .text_language import language_of

EDIT_WINDOW = datetime.timedelta(minutes=15)
_SENDER_FIELDS = ["awaiting_reply_since", "reply_due_at", "promised_reply_by", "waiting_message", "last_read_at",
                  "unread_count", "last_message_at", "reminder_level"]  # fmt: skip
LONGEST_PROMISE = datetime.timedelta(days=30)
_STRICTNESS = {Message.Status.VISIBLE: 0, Message.Status.FLAGGED: 1, Message.Status.HELD: 2}


class MessagingError(Exception):
    """A rule stopped the action; the message is for the person who tried it."""


# --- Conversations --------------------------------------------------------------------------


def _participants_for(match: Match) -> list[tuple[int, str]]:
    return list(MatchMember.objects.filter(match=match).values_list("user_id", "role"))


def open_conversation(match: Match, subject: str, created_by: User | None = None) -> Conversation:
    conversation = Conversation.objects.create(match=match, subject=subject.strip()[:200], created_by=created_by)
    Participant.objects.bulk_create(
        Participant(conversation=conversation, user_id=user_id, role=role) for user_id, role in _participants_for(match)
    )
    return conversation


def add_participant(match: Match, user_id: int, role: str) -> None:
    for conversation in Conversation.objects.filter(match=match):
        Participant.objects.get_or_create(conversation=conversation, user_id=user_id, defaults={"role": role})


def remove_participant(match: Match, user_id: int) -> None:
    """Their place, draft and scheduled replies in the match's conversations go; their messages stay."""
    conversations = Conversation.objects.filter(match=match)
    Draft.objects.filter(conversation__in=conversations, user_id=user_id).delete()
    pending = ScheduledMessage.objects.filter(
        conversation__in=conversations, sender_id=user_id, status=ScheduledMessage.Status.PENDING
    )
    pending.update(status=ScheduledMessage.Status.CANCELLED)
    Participant.objects.filter(conversation__in=conversations, user_id=user_id).delete()


def closed_message(match: Match) -> str:
    if match.status == Match.Status.PAUSED:
        return _("This match is paused: its conversations can be read, not added to, until it resumes.")
    return _("This match has ended: its conversations are read-only.")


def start_conversation(match: Match, sender: User, subject: str, body: str, submission_key: str = "") -> Conversation:
    """ "Start a new topic": a thread with a subject, like an e-mail, and its first message. The same
    submission posted twice opens one topic."""
    if not match.is_writable:
        raise MessagingError(closed_message(match))
    if not MatchMember.objects.filter(match=match, user=sender).exists():
        raise MessagingError(_("Only the members of a match can write in it."))
    if not subject.strip():
        raise MessagingError(_("Please give the topic a subject."))
    try:  # the subject is shown at once, even while the first message waits for review
        validate_single_line(subject)
        refuse_contact_details(subject, policies_for(programme=match.programme))
    except ValidationError as error:
        raise MessagingError(" ".join(error.messages)) from None
    try:
        with transaction.atomic():
            conversation = open_conversation(match, subject, created_by=sender)
            message = send_message(sender, conversation, body, submission_key=submission_key)
            if message.conversation_id != conversation.pk:
                raise _AlreadySent(message)  # sent just before: keep that topic, not this empty one
    except _AlreadySent as already:
        return already.message.conversation
    except IntegrityError:
        # The same submission, posted at the same moment, won: it opened the topic.
        sent = Message.objects.filter(sender=sender, submission_key=submission_key).first() if submission_key else None
        if sent is None:
            raise
        return sent.conversation
    return conversation


class _AlreadySent(Exception):
    def __init__(self, message: Message):
        self.message = message


def make_read_only(match: Match) -> None:
    """A closed match's conversations can be read, not written; nobody owes a reply any more."""
    conversations = Conversation.objects.filter(match=match)
    conversations.update(is_read_only=True)
    Participant.objects.filter(conversation__in=conversations).update(
        awaiting_reply_since=None, reply_due_at=None, promised_reply_by=None, waiting_message=None
    )
    Draft.objects.filter(conversation__in=conversations).delete()


# --- Sending --------------------------------------------------------------------------------


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise MessagingError(_("Your message is empty."))
    if len(body) > MAX_BODY_LENGTH:
        raise MessagingError(_("Messages can be up to %(limit)s characters.") % {"limit": f"{MAX_BODY_LENGTH:,}"})
    return body


def _owes_replies(participant: Participant, sender_role: str, group: bool) -> bool:
    """Who is put on the clock by a message. One-to-one: the other person. In a group, the
    mentors owe the mentees replies; a mentor's message to the group puts nobody on the clock."""
    if not group:
        return True
    return participant.role == Role.MENTOR and sender_role == Role.MENTEE


def _update_recipients(conversation: Conversation, message: Message, participants: list[Participant], at) -> None:
    """The recipients' side of a delivered message: unread, and the wait for their reply."""
    # The pair's agreement, once in force, replaces the programme's reply window.
    expectation = reply_window(conversation.match)
    sender = next(p for p in participants if p.user_id == message.sender_id)
    group = len(participants) > 2
    for participant in participants:
        if participant.user_id == message.sender_id:
            continue
        participant.unread_count += 1
        participant.last_message_at = at
        participant.archived = False  # a new message brings an archived conversation back
        if participant.awaiting_reply_since is None and _owes_replies(participant, sender.role, group):
            participant.awaiting_reply_since = at
            participant.reply_due_at = at + expectation
            participant.waiting_message = message
            participant.reminder_level = 0
    notifications.plan_new_message_emails(conversation, message, participants, at)
    Participant.objects.bulk_update(
        participants,
        ["unread_count", "last_message_at", "archived", "awaiting_reply_since", "reply_due_at", "waiting_message",
         "reminder_level", "next_email_after"],
    )  # fmt: skip
    conversation.last_message = message
    conversation.last_message_at = at
    conversation.save(update_fields=["last_message", "last_message_at"])
    # Writing ends a quiet spell, and time away: the pair is no longer at risk for those reasons.
    clear_at_risk(conversation.match_id, Match.AtRisk.INACTIVE, Match.AtRisk.AWAY)


def send_message(
    sender: User,
    conversation: Conversation,
    body: str,
    reply_to: Message | None = None,
    submission_key: str = "",
    *,
    keep_draft: bool = False,
) -> Message:
    """Send `body`. A `submission_key` seen before from this sender returns the message it sent, and does
    nothing else: a form posted twice (a double click, a retry) sends once. `keep_draft`: a scheduled
    reply going out leaves alone whatever its writer has started since."""
    body = _clean_body(body)
    if submission_key:
        sent = Message.objects.filter(sender=sender, submission_key=submission_key).first()
        if sent is not None:
            return sent
    with transaction.atomic():
        conversation = (
            Conversation.objects.select_for_update(of=("self",))
            .select_related("match__programme__messaging_policy")
            .get(pk=conversation.pk)
        )
        if submission_key:
            # Posted at the same moment into the same conversation: the lock above made them take turns.
            sent = Message.objects.filter(sender=sender, submission_key=submission_key).first()
            if sent is not None:
                return sent
        if conversation.is_read_only or not conversation.match.is_writable:
            raise MessagingError(closed_message(conversation.match))
        participants = list(conversation.participants.select_for_update().order_by("pk"))
        me = next((p for p in participants if p.user_id == sender.pk), None)
        if me is None:
            raise MessagingError(_("Only the people in a conversation can write in it."))
        if reply_to is not None and reply_to.conversation_id != conversation.pk:
            reply_to = None

        status, findings = moderate(body, policy_for(conversation.match.programme))
        now = timezone.now()
        message = Message.objects.create(
            conversation=conversation,
            sender=sender,
            body=body,
            body_html=render_markdown(body),
            preview=plain_text(body, PREVIEW_LENGTH),
            reply_to=reply_to,
            created_at=now,
            status=status,
            findings=findings,
            participant_ids=sorted(p.user_id for p in participants),
            submission_key=submission_key,
            language=language_of(body, sender.language),
        )
        if me.awaiting_reply_since is not None:
            ResponseTime.objects.create(
                conversation=conversation,
                responder=sender,
                reply=message,
                waited_since=me.awaiting_reply_since,
                seconds=max(0, int((now - me.awaiting_reply_since).total_seconds())),
            )
        me.awaiting_reply_since = me.reply_due_at = me.promised_reply_by = me.waiting_message = None
        me.reminder_level = 0
        me.last_read_at = now
        me.unread_count = 0
        me.last_message_at = now
        if message.is_delivered:
            _update_recipients(conversation, message, participants, now)
        Participant.objects.bulk_update([me], _SENDER_FIELDS)
        if not keep_draft:
            Draft.objects.filter(conversation=conversation, user=sender).delete()
        notifications.message_sent(message)
    return message


# --- Reading, acknowledging, archiving ----------------------------------------------------


def mark_read(participant: Participant) -> None:
    """Called when the thread is shown. Writes only when there is something new to mark."""
    last = participant.last_message_at
    if participant.unread_count or (last and (participant.last_read_at is None or participant.last_read_at < last)):
        now = timezone.now()
        Participant.objects.filter(pk=participant.pk).update(last_read_at=now, unread_count=0)
        participant.last_read_at, participant.unread_count = now, 0


def acknowledge(participant: Participant, reply_by: datetime.date) -> Participant:
    """ "Read — I'll reply properly by Friday": the reply is due by the end of that day, local time."""
    user = participant.user
    today = timezone.now().astimezone(user.zone).date()
    if participant.awaiting_reply_since is None:
        raise MessagingError(_("Nobody is waiting for your reply here."))
    if reply_by < today or reply_by > today + LONGEST_PROMISE:
        raise MessagingError(_("Choose a day between today and 30 days from now."))
    end_of_day = datetime.datetime.combine(reply_by, datetime.time(23, 59), tzinfo=user.zone)
    # Reminders start again from the promised day.
    Participant.objects.filter(pk=participant.pk).update(
        promised_reply_by=end_of_day,
        reply_due_at=end_of_day,
        reminder_level=0,
        last_read_at=timezone.now(),
        unread_count=0,
    )
    participant.refresh_from_db()
    return participant


def set_archived(participant: Participant, archived: bool) -> None:
    Participant.objects.filter(pk=participant.pk).update(archived=archived)


def set_muted(participant: Participant, muted: bool) -> None:
    Participant.objects.filter(pk=participant.pk).update(muted=muted)


def save_draft(participant: Participant, body: str, reply_to_id: int | None = None,
               submission_key: str = "") -> Draft | None:  # fmt: skip
    """Keep what the person is writing. The send wins: an autosave of a form whose message has been sent
    (the same submission key) keeps nothing, even when it arrives while the send is in flight: both
    lock the conversation's row first (as send_message does; a lock on the participant alone deadlocked
    with it, the draft's foreign key waiting on the conversation), so the autosave waits and then sees
    the message."""
    body = (body or "")[:MAX_BODY_LENGTH]
    with transaction.atomic():
        Conversation.objects.select_for_update(of=("self",)).filter(pk=participant.conversation_id).first()
        if submission_key and (
            Message.objects.filter(sender_id=participant.user_id, submission_key=submission_key).exists()
            or ScheduledMessage.objects.filter(sender_id=participant.user_id, submission_key=submission_key).exists()
        ):  # sent, or scheduled, with this very form
            return None
        if not body.strip():
            Draft.objects.filter(conversation_id=participant.conversation_id, user_id=participant.user_id).delete()
            return None
        reply_to = (
            Message.objects.filter(pk=reply_to_id, conversation_id=participant.conversation_id).first()
            if reply_to_id
            else None
        )
        draft, _created = Draft.objects.update_or_create(
            conversation_id=participant.conversation_id,
            user_id=participant.user_id,
            defaults={"body": body, "reply_to": reply_to},
        )
    return draft


# --- Editing --------------------------------------------------------------------------------


def _ever_moderated(message: Message) -> bool:
    """Held, flagged, or decided by a coordinator: its words were reviewed (or are waiting to be), so they
    may never change under the reviewer (an approved message edited into "add me on snap …")."""
    return message.status != Message.Status.VISIBLE or message.moderated_at is not None


def can_edit(message: Message, user: User, now=None) -> bool:
    now = now or timezone.now()
    if message.sender_id != user.pk or message.reported_at or _ever_moderated(message):
        return False
    if now - message.created_at > EDIT_WINDOW or message.conversation.is_read_only:
        return False
    # Only before anyone else has read it: nobody should see words change under them.
    return (
        not message.conversation.participants.exclude(user=user).filter(last_read_at__gte=message.created_at).exists()
    )


def editable_ids(messages, user: User, others: list[Participant], conversation: Conversation) -> set[int]:
    """The same rule as can_edit, for a page of messages, with no further queries."""
    if conversation.is_read_only:
        return set()
    now = timezone.now()
    last_reads = [p.last_read_at for p in others if p.last_read_at]
    return {
        m.pk
        for m in messages
        if m.sender_id == user.pk
        and not m.reported_at
        and not _ever_moderated(m)
        and now - m.created_at <= EDIT_WINDOW
        and all(read < m.created_at for read in last_reads)
    }


def seen_by(messages, user: User, others: list[Participant]) -> dict[int, list[tuple[str, datetime.datetime]]]:
    """ "Seen by Doreen · Tue 14:02" under the viewer's latest message each other person has read."""
    mine = [m for m in messages if m.sender_id == user.pk and m.is_delivered]
    seen: dict[int, list] = {}
    for other in others:
        if not other.last_read_at:
            continue
        read = [m for m in mine if m.created_at <= other.last_read_at]
        if read:
            seen.setdefault(read[-1].pk, []).append((other.user.display_name, other.last_read_at))
    return seen


def edit_message(message: Message, user: User, body: str) -> Message:
    body = _clean_body(body)
    with transaction.atomic():
        message = (
            Message.objects.select_for_update().select_related("conversation__match__programme").get(pk=message.pk)
        )
        if not can_edit(message, user):
            raise MessagingError(_("This message can no longer be edited."))
        status, findings = moderate(body, policy_for(message.conversation.match.programme))
        if _STRICTNESS.get(status, 0) > _STRICTNESS.get(message.status, 0):
            raise MessagingError(_("This change needs a coordinator's review: please send it as a new message."))
        message.body, message.body_html, message.findings = body, render_markdown(body), findings
        message.preview = plain_text(body, PREVIEW_LENGTH)
        message.language = language_of(body, user.language)
        message.edited_at = timezone.now()
        message.save(update_fields=["body", "body_html", "preview", "findings", "edited_at", "language"])
    return message


# --- Moderation and concerns ----------------------------------------------------------------


def approve_message(message: Message, by: User) -> Message:
    """A coordinator releases a held message: it is delivered now, and the wait starts now."""
    with transaction.atomic():
        conversation = (
            Conversation.objects.select_for_update(of=("self",))
            .select_related("match__programme__messaging_policy")
            .get(pk=message.conversation_id)
        )
        message = Message.objects.select_for_update().get(pk=message.pk)
        if message.status != Message.Status.HELD:
            raise MessagingError(_("This message is not waiting for review."))
        now = timezone.now()
        message.status, message.moderated_by, message.moderated_at = Message.Status.VISIBLE, by, now
        message.save(update_fields=["status", "moderated_by", "moderated_at"])
        participants = list(conversation.participants.select_for_update().order_by("pk"))
        if not conversation.is_read_only:
            _update_recipients(conversation, message, participants, now)
        notifications.message_approved(message)
    return message


def reject_message(message: Message, by: User, reason: str) -> Message:
    if not reason.strip():
        raise MessagingError(_("Tell the sender why, so they can write again."))
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message.pk)
        if message.status != Message.Status.HELD:
            raise MessagingError(_("This message is not waiting for review."))
        message.status, message.moderated_by, message.moderated_at = Message.Status.REJECTED, by, timezone.now()
        message.rejection_reason = reason.strip()
        message.save(update_fields=["status", "moderated_by", "moderated_at", "rejection_reason"])
        notifications.message_rejected(message)
    return message


def report_concern(message: Message, reporter: User, reason: str) -> Concern:
    """Anyone who can read a message can report it. The safeguarding lead is told at once, and
    the message can never be edited again. Never rate-limited."""
    reason = (reason or "").strip()
    if not reason:
        raise MessagingError(_("Please say briefly what worries you."))
    with transaction.atomic():
        concern = Concern.objects.create(message=message, reporter=reporter, reason=reason[:2000])
        Message.objects.filter(pk=message.pk, reported_at__isnull=True).update(reported_at=concern.created_at)
        hold_for_safeguarding(message.conversation.match, "a concern was reported")
        notifications.concern_reported(concern)
    return concern
