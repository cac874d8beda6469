"""A readable record of the relationship: conversations as one HTML document, times in the reader's zone."""

from django.template.loader import render_to_string
from django.utils import timezone

from .models import Message


def export_html(user, conversations) -> str:
    conversations = list(conversations.select_related("match__programme").order_by("created_at"))
    messages = (
        Message.objects.filter(conversation__in=conversations)
        .visible_to(user)
        .select_related("sender")
        .order_by("conversation_id", "created_at", "pk")
    )
    by_conversation: dict[int, list[Message]] = {}
    for message in messages:
        by_conversation.setdefault(message.conversation_id, []).append(message)
    with timezone.override(user.zone):
        return render_to_string(
            "messaging/export.html",
            {
                "reader": user,
                "exported_at": timezone.now(),
                "threads": [(conversation, by_conversation.get(conversation.pk, [])) for conversation in conversations],
            },
        )
