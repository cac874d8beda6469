"""The engagement figures of one programme, for its coordinators' dashboard and CSV export."""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Exists, OuterRef, Q
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import timezone

from checkins import services as checkins
from matching.models import Match, MatchMember, Membership, Programme, Role
from matching.readiness import consent_missing_q, missing_check_q, missing_training_q
from meetings import services as meetings
from messaging.models import Message, Participant, ResponseTime, messaging_policy_for

WEEKS = 12


@dataclass
class Figures:
    programme: Programme
    matches_by_status: dict[str, int]
    approved_mentees: int
    matched_mentees: int
    match_rate: float | None  # percent
    longest_waiting: list[tuple[str, int, int]]  # (name, days waiting, membership id)
    messages_per_week: list[tuple[datetime.date, int]]
    median_reply_hours: float | None
    replies_within_expectation: float | None  # percent
    expectation_hours: int
    at_risk: list[Match]
    overdue: list[Participant]
    closures_by_reason: dict[str, int]
    average_rating: float | None
    chart_bars: list[dict] = field(default_factory=list)
    # People not yet matchable, by what they wait for (one person may wait for several things).
    getting_ready: dict[str, int] = field(default_factory=dict)
    # Check-in answers by question, only where at least three people answered (checkins.services).
    check_ins: list[dict] = field(default_factory=list)
    quality: tuple[float | None, int] = (None, 0)
    # Meetings (meetings.services.programme_figures); each pair at risk carries `meetings_held`.
    meetings: dict[str, int] = field(default_factory=dict)

    @property
    def chart_axis(self) -> dict:
        return chart_axis(self.chart_bars)

    @property
    def meets_target(self) -> bool:
        return self.match_rate is not None and self.match_rate >= self.programme.match_rate_target


def engagement(programme: Programme, now: datetime.datetime | None = None) -> Figures:
    now = now or timezone.now()
    matches = Match.objects.filter(programme=programme).exclude(status=Match.Status.SUPPORT)
    by_status = dict(matches.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))

    current = MatchMember.objects.filter(membership=OuterRef("pk"), match_status__in=Match.CURRENT)
    mentees = Membership.objects.filter(programme=programme, role=Role.MENTEE, status=Membership.Status.APPROVED)
    mentees = mentees.annotate(matched=Exists(current))
    approved = mentees.count()
    matched = mentees.filter(matched=True).count()
    waiting = (
        mentees.filter(matched=False).select_related("user").order_by(Coalesce("approved_at", "created_at"), "pk")[:10]
    )
    longest = [(m.user.display_name, (now - (m.approved_at or m.created_at)).days, m.pk) for m in waiting]

    start = (now - datetime.timedelta(weeks=WEEKS - 1)).date()
    start -= datetime.timedelta(days=start.weekday())  # a Monday
    weekly = dict(
        Message.objects.filter(
            conversation__match__programme=programme, created_at__date__gte=start, status__in=Message.DELIVERED
        )
        .exclude(conversation__match__status=Match.Status.SUPPORT)
        .annotate(week=TruncWeek("created_at"))
        .values_list("week")
        .annotate(n=Count("pk"))
        .values_list("week", "n")
    )
    weeks = [start + datetime.timedelta(weeks=n) for n in range(WEEKS)]
    per_week = [(week, next((n for w, n in weekly.items() if w.date() == week), 0)) for week in weeks]

    seconds = list(
        ResponseTime.objects.filter(conversation__match__programme=programme)
        .exclude(conversation__match__status=Match.Status.SUPPORT)
        .values_list("seconds", flat=True)
    )
    expectation_hours = messaging_policy_for(programme).response_expectation_hours
    expectation = expectation_hours * 3600
    closed = matches.filter(status=Match.Status.CLOSED)
    at_risk = list(matches.filter(at_risk_since__isnull=False, status__in=Match.CURRENT).order_by("at_risk_since"))
    held = meetings.held_count(m.pk for m in at_risk) if at_risk else {}
    for match in at_risk:
        match.meetings_held = held.get(match.pk, 0)
    return Figures(
        programme=programme,
        expectation_hours=expectation_hours,
        matches_by_status=by_status,
        approved_mentees=approved,
        matched_mentees=matched,
        match_rate=round(100 * matched / approved, 1) if approved else None,
        longest_waiting=longest,
        messages_per_week=per_week,
        median_reply_hours=round(statistics.median(seconds) / 3600, 1) if seconds else None,
        replies_within_expectation=round(100 * sum(s <= expectation for s in seconds) / len(seconds), 1)
        if seconds
        else None,
        at_risk=at_risk,
        meetings=meetings.programme_figures(
            programme, now, datetime.datetime.combine(start, datetime.time(), tzinfo=datetime.UTC)
        ),
        overdue=list(
            Participant.objects.filter(
                conversation__match__programme=programme,
                conversation__match__status__in=Match.CURRENT,
                awaiting_reply_since__isnull=False,
                reminder_level__gte=1,
            )
            .select_related("user", "conversation")
            .order_by("awaiting_reply_since")[:20]
        ),
        closures_by_reason=dict(
            closed.values_list("close_reason").annotate(n=Count("pk")).values_list("close_reason", "n")
        ),
        average_rating=(
            round(value, 2)
            if (value := closed.aggregate(a=Avg("closing_rating", filter=Q(closing_rating__isnull=False)))["a"])
            else None
        ),
        chart_bars=_bars(per_week),
        getting_ready=getting_ready(programme, now),
        check_ins=checkins.aggregates(programme),
        quality=checkins.quality(programme),
    )


def getting_ready(programme: Programme, now: datetime.datetime) -> dict[str, int]:
    """How many enrolled people wait on approval, checks, training or a guardian (one query)."""
    today = timezone.localdate(now)
    enrolled = Membership.objects.filter(
        programme=programme, status__in=[Membership.Status.APPLIED, Membership.Status.APPROVED]
    )
    return enrolled.aggregate(
        approval=Count("pk", filter=Q(status=Membership.Status.APPLIED)),
        checks=Count("pk", filter=missing_check_q(today)),
        training=Count("pk", filter=missing_training_q()),
        consent=Count("pk", filter=consent_missing_q(today)),
    )


# The chart's frame, in SVG units: the plot sits right of the y-axis labels, below room for the values.
CHART_LEFT, CHART_TOP, CHART_WIDTH, CHART_HEIGHT = 40, 16, 480, 120


def _bars(per_week: list[tuple[datetime.date, int]]) -> list[dict]:
    """Geometry for a server-rendered SVG bar chart (no JavaScript, no CDN): each bar carries its value."""
    top = _axis_top(max((n for _week, n in per_week), default=0))
    slot = CHART_WIDTH / len(per_week)
    bottom = CHART_TOP + CHART_HEIGHT
    return [
        {
            "x": round(CHART_LEFT + i * slot + 4, 1),
            "width": round(slot - 8, 1),
            "centre": round(CHART_LEFT + i * slot + slot / 2, 1),
            "height": round(CHART_HEIGHT * n / top, 1),
            "y": round(bottom - CHART_HEIGHT * n / top, 1),
            "label_y": round(bottom - CHART_HEIGHT * n / top - 4, 1),
            "count": n,
            "week": week,
        }
        for i, (week, n) in enumerate(per_week)
    ]


def _axis_top(highest: int) -> int:
    """A round number at or above the highest bar (1, 2, 5, 10, 20, 50 …), so the axis reads plainly."""
    return next(n for n in _round_numbers() if n >= max(highest, 1))


def _round_numbers():
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            yield step * magnitude
        magnitude *= 10


def chart_axis(bars: list[dict]) -> dict:
    """The y-axis of the bar chart: its round top value and the half-way tick, with their heights."""
    top = _axis_top(max((bar["count"] for bar in bars), default=0))
    bottom = CHART_TOP + CHART_HEIGHT
    return {
        "left": CHART_LEFT,
        "right": CHART_LEFT + CHART_WIDTH,
        "top_y": CHART_TOP,
        "bottom_y": bottom,
        # 0, the top, and half-way when that is a whole number of messages
        "ticks": [(0, bottom), *([(top // 2, CHART_TOP + CHART_HEIGHT / 2)] if top % 2 == 0 else []), (top, CHART_TOP)],
        "label_x": CHART_LEFT - 6,
        "week_y": bottom + 14,
    }
