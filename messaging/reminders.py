"""Reply reminders, escalation to coordinators, and nudges for pairs that have gone quiet.

Each waiting participant carries `reply_due_at`, the moment its next reminder level is due, so
the sweep is one range scan on a partial index, never a computation over the messages table.
Levels, from the start of the wait (or from a promised day):
 1. a friendly reminder at the programme's response expectation (default 72 h);
 2. a second one at the second threshold (default 120 h);
 3. the programme's coordinators are told at the escalation threshold (default 168 h).
Reminders respect the recipient's quiet hours; every e-mail has a key per (participant, message,
level, promise), so a second sweep, a second beat or a retried task sends nothing twice.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone

from accounts.email_kinds import EmailKind
from accounts.emails import absolute_url, queue_email
from accounts.schedule import next_allowed_time
from agreements.services import reply_windows
from matching.models import Match, MatchMember
from matching.services import mark_at_risk
from meetings.models import Meeting

from .models import Participant, messaging_policy_for
from .notifications import coordinators_of

BATCH = 200
ESCALATED = 3


def _level_times(participant: Participant, agreed_hours: int | None = None) -> dict[int, datetime.datetime]:
    """When each level is due. The pair's agreed reply window (agreements) replaces the programme's for
    the first reminder; the later ones keep the programme's gaps after it."""
    policy = messaging_policy_for(participant.conversation.match.programme)
    expectation = datetime.timedelta(hours=policy.response_expectation_hours)
    window = datetime.timedelta(hours=agreed_hours) if agreed_hours else expectation
    # A wait that spans time away (accounts' away mode) counts from the person's return.
    start = participant.awaiting_reply_since
    back = participant.user.away_ends_at
    if back is not None and back > start:
        start = back
    # A promised day postpones the first reminder to it, and the later levels with it.
    promised = participant.promised_reply_by
    base = promised if promised is not None and promised > start else start + window
    return {
        1: base,
        2: base + datetime.timedelta(hours=policy.second_reminder_after_hours) - expectation,
        ESCALATED: base + datetime.timedelta(hours=policy.escalation_after_hours) - expectation,
    }


def _remind(participant: Participant, level: int, now) -> None:
    others = [
        p.user.display_name for p in participant.conversation.participants.all() if p.user_id != participant.user_id
    ]
    queue_email(
        participant.user,
        EmailKind.REPLY_REMINDER,
        "emails/reply_reminder",
        {
            "level": level,
            "names": ", ".join(others),
            "subject_line": participant.conversation.subject,
            "waiting_since": participant.awaiting_reply_since,
            "promised": participant.promised_reply_by,
            "conversation_url": absolute_url(participant.conversation.get_absolute_url()),
        },
        _key(participant, level),
        send_after=next_allowed_time(participant.user, now),
    )


def _escalate(participant: Participant, now) -> bool:
    match = participant.conversation.match
    if match.status == Match.Status.SUPPORT:  # a conversation with the coordinators themselves
        return False
    names = ", ".join(m.user.display_name for m in MatchMember.objects.filter(match=match).select_related("user"))
    for coordinator in coordinators_of(match.programme):
        queue_email(
            coordinator,
            EmailKind.COORDINATOR_ALERT,
            "emails/reply_escalation",
            {
                "owed_by": participant.user.display_name,
                "names": names,
                "programme_name": match.programme.name,
                "waiting_since": participant.awaiting_reply_since,
                "admin_url": absolute_url(reverse("admin:matching_match_change", args=[match.pk])),
            },
            f"{_key(participant, ESCALATED)}:{coordinator.pk}",
        )
    # A reply promised for a day that has passed is a broken promise, not only a late reply.
    reason = Match.AtRisk.PROMISE_MISSED if participant.promised_reply_by else Match.AtRisk.OVERDUE
    mark_at_risk(match, reason, now)
    return True


def _key(participant: Participant, level: int) -> str:
    promise = int(participant.promised_reply_by.timestamp()) if participant.promised_reply_by else 0
    return f"reminder:{participant.pk}:{participant.waiting_message_id}:{level}:{promise}"


def send_due_reminders(now: datetime.datetime | None = None, batch: int = BATCH) -> dict[str, int]:
    """Beat: remind everyone whose reply is due, escalate the long-overdue, in bounded batches."""
    now = now or timezone.now()
    outcome = {"reminded": 0, "escalated": 0}
    while True:
        with transaction.atomic():
            due = list(
                Participant.objects.filter(reply_due_at__lte=now, awaiting_reply_since__isnull=False)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("user", "conversation__match__programme__messaging_policy")
                .prefetch_related("conversation__participants__user")
                .order_by("reply_due_at")[:batch]
            )
            if not due:
                return outcome
            agreed = reply_windows({participant.conversation.match_id for participant in due})
            for participant in due:
                conversation = participant.conversation
                if conversation.is_read_only or not conversation.match.is_writable:
                    participant.reply_due_at = None
                    continue
                times = _level_times(participant, agreed.get(participant.conversation.match_id))
                # The highest level now due: after an outage of days, one e-mail, not three in a row.
                due_levels = [n for n, at in times.items() if at <= now and n > participant.reminder_level]
                if not due_levels:  # moved on since it was due (away, an agreed window): wait for the next level
                    participant.reply_due_at = times.get(participant.reminder_level + 1)
                    continue
                level = max(due_levels)
                if level > ESCALATED:
                    participant.reply_due_at = None
                    continue
                if level == ESCALATED:
                    outcome["escalated"] += _escalate(participant, now)
                elif level:
                    _remind(participant, level, now)
                    outcome["reminded"] += 1
                participant.reminder_level = level
                participant.reply_due_at = times.get(level + 1)
            Participant.objects.bulk_update(due, ["reminder_level", "reply_due_at"])


# --- Inactivity -----------------------------------------------------------------------------


def send_inactivity_nudges(now: datetime.datetime | None = None, batch: int = BATCH) -> int:
    """Beat: an active match with no message, and no meeting held, for the programme's inactivity threshold
    nudges both members once per quiet spell and is marked at risk for coordinators."""
    now = now or timezone.now()
    last_held = Meeting.objects.filter(match=OuterRef("pk"), outcome=Meeting.Outcome.HELD).order_by("-starts_at")
    matches = (
        Match.objects.filter(status=Match.Status.ACTIVE)
        .annotate(
            # GREATEST skips NULLs in PostgreSQL: a pair that never met is judged by its messages alone.
            last_activity=Greatest(
                Coalesce(Max("conversations__last_message_at"), "activated_at"),
                Subquery(last_held.values("starts_at")[:1]),
            ),
            latest_away=Max("members__user__away_until"),
        )
        .filter(last_activity__lte=now - datetime.timedelta(days=1))
        .filter(Q(inactivity_nudged_at__isnull=True) | Q(inactivity_nudged_at__lt=F("last_activity")))
        .select_related("programme__messaging_policy")
    )
    nudged = 0
    for match in matches.order_by("last_activity")[: batch * 5]:
        if match.last_activity is None:
            continue
        quiet_since = match.last_activity
        if match.latest_away is not None:  # time away is not silence: it counts from the return
            back = datetime.datetime.combine(match.latest_away + datetime.timedelta(days=1), datetime.time(),
                                             tzinfo=datetime.UTC)  # fmt: skip
            quiet_since = max(quiet_since, back)
        if now - quiet_since < datetime.timedelta(days=messaging_policy_for(match.programme).inactivity_days):
            continue
        with transaction.atomic():
            # Compare-and-set on the previous nudge time (NULL needs IS NULL, not "= NULL").
            previous = (
                Q(inactivity_nudged_at__isnull=True)
                if match.inactivity_nudged_at is None
                else Q(inactivity_nudged_at=match.inactivity_nudged_at)
            )
            # The nudge time is claimed first (a second sweep nudges nobody twice), then the pair is marked.
            claimed = Match.objects.filter(previous, pk=match.pk).update(inactivity_nudged_at=now)
            if not claimed:
                continue
            mark_at_risk(match, Match.AtRisk.INACTIVE, now, override=True)
            spell = int(match.last_activity.timestamp())
            members = list(MatchMember.objects.filter(match=match).select_related("user"))
            for member in members:
                others = ", ".join(m.user.display_name for m in members if m.user_id != member.user_id)
                queue_email(
                    member.user,
                    EmailKind.MATCH_UPDATES,
                    "emails/inactivity_nudge",
                    {
                        "names": others,
                        "days": (now - match.last_activity).days,
                        "match_url": absolute_url(match.get_absolute_url()),
                    },
                    f"inactive:{match.pk}:{spell}:{member.user_id}",
                    send_after=next_allowed_time(member.user, now),
                )
            nudged += 1
            if nudged >= batch:
                break
    return nudged
