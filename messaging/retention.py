"""Messages are kept for the programme's retention period after a match closes, then deleted, unless
anything about the match is a safeguarding matter: a hold (set by a reported concern, a closure for
safeguarding, or the safeguarding lead), a concern not yet handled, or a message waiting for review.
Every other copy of the deleted text goes with it (cached thread pages: see thread_cache.forget)."""

import datetime

from django.db import transaction
from django.db.models import DurationField, Exists, ExpressionWrapper, F, OuterRef
from django.db.models.functions import Coalesce
from django.utils import timezone

from matching.models import Match

from . import thread_cache
from .models import DEFAULT_RETENTION_DAYS, Concern, Conversation, Draft, Message, ReceivedEmail

# The records of e-mails that came in (outcome and reason, no text) are kept this long: long enough to
# see a loop or a provider's retries, not a history of who wrote when.
RECEIVED_EMAIL_DAYS = 90


def matches_past_retention(now: datetime.datetime | None = None):
    now = now or timezone.now()
    # A programme without a policy of its own keeps messages for the default time.
    days = Coalesce(F("programme__messaging_policy__retention_days"), DEFAULT_RETENTION_DAYS)
    kept_until = ExpressionWrapper(days * datetime.timedelta(days=1), output_field=DurationField())
    open_concern = Concern.objects.filter(message__conversation__match=OuterRef("pk"), handled_at__isnull=True)
    waiting_review = Message.objects.filter(conversation__match=OuterRef("pk"), status=Message.Status.HELD)
    return (
        Match.objects.filter(status=Match.Status.CLOSED, safeguarding_hold=False, closed_at__isnull=False)
        .exclude(Exists(open_concern))
        .exclude(Exists(waiting_review))
        .annotate(kept_for=kept_until)
        .filter(closed_at__lt=now - F("kept_for"))
    )


def purge_expired_messages(now: datetime.datetime | None = None) -> int:
    """Delete the messages of matches closed longer ago than their programme keeps them. Returns
    how many messages were deleted; running it again deletes nothing more."""
    with transaction.atomic():
        matches = list(matches_past_retention(now).values_list("pk", flat=True))
        Draft.objects.filter(conversation__match__in=matches).delete()
        deleted, _by_model = Message.objects.filter(conversation__match__in=matches).delete()
        thread_cache.forget(Conversation.objects.filter(match__in=matches).values("pk"))
        cutoff = (now or timezone.now()) - datetime.timedelta(days=RECEIVED_EMAIL_DAYS)
        ReceivedEmail.objects.filter(received_at__lt=cutoff).delete()
    return deleted
