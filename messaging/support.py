"""Private support conversations: a coordinator writes to one participant, apart from the pair's
conversations, with the same messaging (moderation, reply clocks, e-mails, the record).

Each participant's support conversations in a programme hang on one "support" Match (status and
source SUPPORT: never current, never counted as a match, never on the match page). The coordinator
who writes is a participant of the conversation, so replies arrive in their inbox like any message;
the admin's "Support conversations" list is every coordinator's queue of them.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.text_screening import policies_for, refuse_contact_details, validate_single_line
from matching.models import Match, MatchMember, Membership, Role

from .models import Conversation, Participant
from .services import MessagingError, send_message


def support_match(membership: Membership) -> Match:
    """The participant's support thread holder in this programme, made the first time it is needed."""
    existing = Match.objects.filter(status=Match.Status.SUPPORT, members__membership=membership).first()
    if existing is not None:
        return existing
    match = Match.objects.create(programme_id=membership.programme_id, status=Match.Status.SUPPORT,
                                 source=Match.Source.SUPPORT)  # fmt: skip
    MatchMember.objects.create(match=match, membership=membership, user_id=membership.user_id, role=membership.role,
                               match_status=Match.Status.SUPPORT)  # fmt: skip
    return match


def write(membership: Membership, coordinator: User, subject: str, body: str) -> Conversation:
    """Open a support conversation with one participant and send its first message."""
    subject = (subject or "").strip()
    if not subject:
        raise MessagingError(_("Please give the conversation a subject."))
    try:
        validate_single_line(subject)
        refuse_contact_details(subject, policies_for(programme=membership.programme))
    except ValidationError as error:
        raise MessagingError(" ".join(error.messages)) from None
    with transaction.atomic():
        Membership.objects.select_for_update().filter(pk=membership.pk).first()  # one support thread holder
        match = support_match(membership)
        conversation = Conversation.objects.create(match=match, subject=subject[:200], created_by=coordinator)
        # The coordinator takes the supporting side of the conversation (Participant roles are a pair's).
        Participant.objects.bulk_create([
            Participant(conversation=conversation, user_id=membership.user_id, role=membership.role),
            Participant(conversation=conversation, user=coordinator, role=Role.MENTOR),
        ])  # fmt: skip
        send_message(coordinator, conversation, body)
    return conversation
