"""The waiting list: mentees ready to be matched whom no match or open request holds, oldest enrolment
first (by when they were approved). A mentee sees their place in it when no mentor has room; coordinators
see the whole queue on the programme's waiting-list page. Derived, never stored: a match, a withdrawal or
an approval moves everyone at once."""

from __future__ import annotations

from django.db.models import Q
from django.db.models.functions import Coalesce

from .models import Match, MatchMember, Membership, Programme, Role
from .scoring import current_load_by_membership


def queue(programme: Programme):
    busy = MatchMember.objects.filter(
        role=Role.MENTEE, match_status__in=[*Match.CURRENT, Match.Status.PROPOSED], match__programme=programme
    ).values("membership_id")
    return (
        Membership.objects.filter(programme=programme, role=Role.MENTEE)
        .matchable()
        .exclude(pk__in=busy)
        .annotate(waiting_since=Coalesce("approved_at", "created_at"))
        .order_by("waiting_since", "pk")
    )


def mentors_with_room(programme: Programme) -> int:
    """Matchable mentors, not away, with a place left once current matches and open requests count."""
    mentors = list(
        Membership.objects.filter(programme=programme, role=Role.MENTOR)
        .matchable()
        .not_away()
        .values_list("pk", "capacity")
    )
    if not mentors:
        return 0
    load = current_load_by_membership([pk for pk, _capacity in mentors], [*Match.CURRENT, Match.Status.PROPOSED])
    return sum(1 for pk, capacity in mentors if capacity - load.get(pk, 0) > 0)


def place_of(mentee: Membership) -> int | None:
    """1 for the next in line; None when they are not in the queue (matched, asking, not ready)."""
    mine = queue(mentee.programme).filter(pk=mentee.pk).values_list("waiting_since", flat=True).first()
    if mine is None:
        return None
    ahead = queue(mentee.programme).filter(Q(waiting_since__lt=mine) | Q(waiting_since=mine, pk__lt=mentee.pk))
    return ahead.count() + 1
