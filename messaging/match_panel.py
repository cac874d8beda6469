"""What messaging shows on matching's match page (registered in MessagingConfig.ready, through
matching.extensions): the match's conversations, and how quickly each person usually replies."""

from .models import Participant
from .selectors import typical_response_seconds

TEMPLATE = "messaging/_match_conversations.html"


def context(request, match, members) -> dict:
    mine = (
        Participant.objects.filter(user=request.user, conversation__match=match)
        .select_related("conversation")
        .order_by("-conversation__last_message_at", "-pk")
    )
    return {
        "participations": mine,
        "typical": typical_response_seconds([member.user_id for member in members]),
    }
