"""What messaging tells people by e-mail, through the accounts outbox.

Coordinators' e-mails never contain message text: they link to the moderation queue, where
access is recorded. New-message e-mails, digests and reminders come with the notifications work.
"""

from django.urls import reverse

from accounts.email_kinds import EmailKind
from accounts.emails import absolute_url, queue_email
from matching.models import ProgrammeCoordinator

from .models import Concern, Message


def _coordinators(programme, safeguarding_first: bool = False):
    roles = ProgrammeCoordinator.objects.filter(programme=programme).select_related("user")
    if safeguarding_first:
        leads = [role.user for role in roles if role.is_safeguarding_lead]
        if leads:
            return leads
    return [role.user for role in roles]


def _queue_url() -> str:
    return absolute_url(reverse("admin:messaging_moderationitem_changelist"))


def message_sent(message: Message) -> None:
    if message.status not in (Message.Status.HELD, Message.Status.FLAGGED):
        return
    programme = message.conversation.match.programme
    kinds = sorted({finding["kind"] for finding in message.findings})
    for coordinator in _coordinators(programme):
        queue_email(
            coordinator,
            EmailKind.SAFEGUARDING,
            "emails/message_moderation",
            {
                "held": message.status == Message.Status.HELD,
                "sender_name": message.sender.display_name,
                "programme_name": programme.name,
                "kinds": kinds,
                "queue_url": _queue_url(),
            },
            f"moderation:{message.pk}:{coordinator.pk}",
        )


def message_released(message: Message) -> None:
    """Nothing to say to the sender: their message simply arrives. (New-message e-mails to the
    recipients follow from the delivery, with the notifications work.)"""


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


def concern_reported(concern: Concern) -> None:
    programme = concern.message.conversation.match.programme
    for lead in _coordinators(programme, safeguarding_first=True):
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
