"""What the coordinators' pages read: matches with their message activity, in one query."""

from django.db.models import Count, FloatField, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from messaging.models import Message, Participant, ResponseTime


class Median(Subquery):
    template = "(SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) FROM (%(subquery)s) _times)"


def with_activity(matches):
    """Each match with its last message, messages in 30 days, median reply, and who owes a reply since when."""
    since = timezone.now() - timezone.timedelta(days=30)
    oldest_wait = Participant.objects.filter(
        conversation__match=OuterRef("pk"), awaiting_reply_since__isnull=False
    ).order_by("awaiting_reply_since")
    replies = ResponseTime.objects.filter(conversation__match=OuterRef("pk")).values("seconds")
    return matches.annotate(
        last_message_at=Max("conversations__last_message_at"),
        recent_messages=Coalesce(
            Subquery(
                Message.objects.filter(conversation__match=OuterRef("pk"), created_at__gte=since)
                .values("conversation__match")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            0,
        ),
        median_reply_seconds=Median(replies, output_field=FloatField()),
        waiting_name=Subquery(oldest_wait.values("user__display_name")[:1]),
        waiting_since=Subquery(oldest_wait.values("awaiting_reply_since")[:1]),
        # "Read, will reply by Friday": the day the person promised, shown instead of how long it waits.
        waiting_promised_by=Subquery(oldest_wait.values("promised_reply_by")[:1]),
    )
