"""Daily and weekly digests at each person's local hour.

People whose `next_digest_at` has passed are taken in batches of ~100 (`SKIP LOCKED`, so two
sweeps share the work instead of doubling it); each batch is built with a handful of bulk queries,
not per-person ones, and queued in one INSERT. Each digest's key names the person and the
period, so a second beat or a retried task sends nothing twice. Empty digests are not sent.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from accounts.email_kinds import EmailKind
from accounts.emails import PlannedEmail, absolute_url, queue_emails_in_bulk
from accounts.models import User
from accounts.schedule import next_digest_at
from matching.models import Goal, Match, MatchMember, Role

from .models import Participant

BATCH = 100
TEMPLATE = "emails/digest"
_DIGEST_FIELDS = ("user_id", "conversation_id", "unread_count", "awaiting_reply_since", "conversation__subject",
                  "conversation__last_message__sender__display_name")  # fmt: skip


def _period_key(user: User) -> str:
    slot = user.next_digest_at.astimezone(user.zone).date()
    return f"digest:{user.pk}:{slot.isoformat()}"


def build_digests(people: list[User], now: datetime.datetime) -> list[PlannedEmail]:
    """The digests of a batch of people: six queries for the whole batch."""
    ids = [person.pk for person in people]
    waiting = list(
        Participant.objects.filter(user_id__in=ids)
        .filter(Q(unread_count__gt=0) | Q(awaiting_reply_since__isnull=False))
        .filter(conversation__is_read_only=False)
        .select_related("conversation__last_message__sender")
        # Only what a digest says: the last message's body, its HTML and its search vector are not
        # needed, and loading them was most of this query's cost.
        .only(*_DIGEST_FIELDS)
    )
    names: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for conversation_id, user_id, name in Participant.objects.filter(
        conversation_id__in={p.conversation_id for p in waiting}
    ).values_list("conversation_id", "user_id", "user__display_name"):
        names[conversation_id].append((user_id, name))
    promises = Participant.objects.filter(
        promised_reply_by__isnull=False, promised_reply_by__gte=now, conversation__participants__user_id__in=ids
    ).exclude(user_id=F("conversation__participants__user_id"))
    promised = promises.values_list(
        "conversation__participants__user_id", "user__display_name", "promised_reply_by", "conversation__subject"
    )
    requests = list(
        MatchMember.objects.filter(
            user_id__in=ids, role=Role.MENTOR, match_status=Match.Status.PROPOSED, match__source=Match.Source.REQUEST
        ).values_list("user_id", "match_id", "match__expires_at")
    )
    mentees = dict(
        MatchMember.objects.filter(match_id__in=[m for _u, m, _e in requests], role=Role.MENTEE).values_list(
            "match_id", "user__display_name"
        )
    )
    today = now.date()
    goals = Goal.objects.filter(
        status=Goal.Status.OPEN,
        target_date__range=(today, today + datetime.timedelta(days=7)),
        match__status__in=Match.CURRENT,
        match__members__user_id__in=ids,
    ).values_list("match__members__user_id", "title", "target_date")

    content: dict[int, dict[str, list]] = {pk: defaultdict(list) for pk in ids}
    for participant in waiting:
        conversation = participant.conversation
        others = ", ".join(name for user_id, name in names[conversation.pk] if user_id != participant.user_id)
        url = absolute_url(conversation.get_absolute_url())
        if participant.unread_count:
            last = conversation.last_message
            content[participant.user_id]["unread"].append(
                {
                    "subject": conversation.subject,
                    "count": participant.unread_count,
                    "names": others,
                    "url": url,
                    "last_sender": last.sender.display_name if last else "",
                }
            )
        if participant.awaiting_reply_since:
            content[participant.user_id]["owe"].append(
                {
                    "subject": conversation.subject,
                    "names": others,
                    "since": participant.awaiting_reply_since,
                    "url": url,
                }
            )
    for user_id, name, by, subject in promised:
        content[user_id]["promised"].append({"name": name, "by": by, "subject": subject})
    requests_url = absolute_url(reverse("matching:requests"))
    for user_id, match_id, expires_at in requests:
        content[user_id]["requests"].append({"mentee": mentees.get(match_id, ""), "expires_at": expires_at})
    for user_id, title, target_date in goals:
        content[user_id]["goals"].append({"title": title, "date": target_date})

    planned = []
    for person in people:
        sections = content[person.pk]
        if not any(sections.values()):
            continue  # nothing to say: no e-mail
        planned.append(
            PlannedEmail(
                user=person,
                kind=EmailKind.DIGEST,
                template=TEMPLATE,
                context={
                    "weekly": person.notification_preference == User.NotificationPreference.WEEKLY_DIGEST,
                    **dict(sections.items()),
                    "requests_url": requests_url,
                    "inbox_url": absolute_url(reverse("messaging:inbox")),
                },
                dedupe_key=_period_key(person),
            )
        )
    return planned


def send_due_digests(now: datetime.datetime | None = None, batch: int = BATCH) -> int:
    """Beat: every person whose digest is due gets it (if it is not empty); returns how many were queued."""
    now = now or timezone.now()
    queued = 0
    while True:
        with transaction.atomic():
            people = list(
                User.objects.filter(next_digest_at__lte=now, is_active=True, erased_at__isnull=True)
                .select_for_update(skip_locked=True)
                .order_by("next_digest_at")[:batch]
            )
            if not people:
                return queued
            queued += queue_emails_in_bulk(build_digests(people, now))
            for person in people:
                person.next_digest_at = next_digest_at(person, after=max(now, person.next_digest_at))
            User.objects.bulk_update(people, ["next_digest_at"])
