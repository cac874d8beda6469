"""Messages are kept for the programme's retention period after a match closes, then deleted,
unless the match is under a safeguarding hold."""

import datetime

from django.db import transaction
from django.db.models import DurationField, ExpressionWrapper, F
from django.utils import timezone

from matching.models import Match

from .models import Draft, Message


def matches_past_retention(now: datetime.datetime | None = None):
    now = now or timezone.now()
    kept_until = ExpressionWrapper(
        F("programme__retention_days") * datetime.timedelta(days=1), output_field=DurationField()
    )
    return (
        Match.objects.filter(status=Match.Status.CLOSED, safeguarding_hold=False, closed_at__isnull=False)
        .annotate(kept_for=kept_until)
        .filter(closed_at__lt=now - F("kept_for"))
    )


def purge_expired_messages(now: datetime.datetime | None = None) -> int:
    """Delete the messages of matches closed longer ago than their programme keeps them. Returns
    how many messages were deleted; running it again deletes nothing more."""
    with transaction.atomic():
        matches = matches_past_retention(now).values("pk")
        Draft.objects.filter(conversation__match__in=matches).delete()
        deleted, _by_model = Message.objects.filter(conversation__match__in=matches).delete()
    return deleted
