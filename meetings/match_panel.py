"""What meetings show on matching's match page (registered in MeetingsConfig.ready): the next agreed
meeting, one waiting for an answer, and the way to suggest one."""

from django.utils import timezone

from .models import Meeting

TEMPLATE = "meetings/_match_meetings.html"


def context(request, match, members) -> dict:
    upcoming = match.meetings.filter(status__in=[Meeting.Status.CONFIRMED, Meeting.Status.AWAITING_APPROVAL],
                                     starts_at__gte=timezone.now()).order_by("starts_at").first()  # fmt: skip
    waiting = match.meetings.filter(status=Meeting.Status.PROPOSED).exclude(proposed_by=request.user).first()
    return {"upcoming": upcoming, "waiting": waiting}
