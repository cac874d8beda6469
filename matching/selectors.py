"""Read paths that pages share, each a fixed number of queries whatever the data size."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from .models import Match, MatchMember, Membership, Role
from .readiness import Readiness, readiness
from .scoring import Compatibility, Profile, criteria_for, explain, load_profiles, previous_pairs, weights_of


@dataclass
class Suggestion:
    mentor: Profile
    fit: Compatibility


@dataclass
class MentorRanking:
    mentee: Profile
    topic_names: dict[int, str]
    suggestions: list[Suggestion]  # best first, excluded pairs last


def rank_mentors(mentee: Membership, mentors, weights=None) -> MentorRanking:
    """Every mentor of `mentors` scored for this mentee, with reasons. Five queries for any pool size
    (the programme's matching questions are the fifth)."""
    topic_names: dict[int, str] = {}
    profiles = load_profiles(mentors | Membership.objects.filter(pk=mentee.pk), topic_names=topic_names)
    me = next(p for p in profiles if p.membership_id == mentee.pk)
    excluded = previous_pairs(mentee.programme_id, [mentee.user_id])
    criteria = criteria_for(mentee.programme_id)
    weights = weights or weights_of(mentee.programme)  # `weights`: the admin's preview of other weights
    scored = [
        Suggestion(mentor, explain(me, mentor, topic_names, excluded, criteria, weights))
        for mentor in profiles
        if mentor is not me
    ]
    scored.sort(key=lambda s: (s.fit.excluded, -(s.fit.score or 0), s.mentor.display_name))
    return MentorRanking(me, topic_names, scored)


@dataclass
class MenteeState:
    """Where a mentee stands: their current match, their request waiting for an answer, and whether they
    may look for a mentor (approved, unmatched, in a programme where mentees ask)."""

    current: Match | None
    waiting: Match | None
    may_ask: bool
    readiness: Readiness


def mentee_state(mentee: Membership) -> MenteeState:
    mine = list(
        MatchMember.objects.filter(
            membership=mentee, match_status__in=[*Match.CURRENT, Match.Status.PROPOSED]
        ).select_related("match")
    )
    current = next((m.match for m in mine if m.match_status in Match.CURRENT), None)
    waiting = next((m.match for m in mine if m.match_status == Match.Status.PROPOSED), None)
    ready = readiness(mentee)
    may_ask = ready.ready and not current and mentee.programme.mentee_requests_enabled
    return MenteeState(current, waiting, may_ask, ready)


def suggestions_for(mentee: Membership, limit: int = 5) -> list[Suggestion]:
    """The mentee's best mentors with room, for the suggestions page."""
    mentors = Membership.objects.filter(programme_id=mentee.programme_id, role=Role.MENTOR).matchable().not_away()
    return [s for s in rank_mentors(mentee, mentors).suggestions if not s.fit.excluded][:limit]


def member_match(user, match_id) -> Match:
    """A match the user is a member of, for its pages (match page, agreement, new topic); anyone else
    gets a 404, never a hint that it exists. A support thread holder (messaging.support) is not a match
    and has none of these pages."""
    matches = Match.objects.filter(members__user=user).exclude(status=Match.Status.SUPPORT).select_related("programme")
    return get_object_or_404(matches, pk=match_id)


def matches_of(user, statuses=None):
    """A person's matches with members and programme, for lists (3 queries)."""
    matches = Match.objects.filter(members__user=user).select_related("programme")
    if statuses:
        matches = matches.filter(status__in=statuses)
    return matches.prefetch_related(
        Prefetch("members", queryset=MatchMember.objects.select_related("user").order_by("role", "pk"))
    ).order_by("-proposed_at")


def named_for(user, matches) -> list[Match]:
    """The matches, each with `other_names`: the other members' names joined ("Sam Patel, Lucía Fernández"),
    from the prefetched members (matches_of), for lists that name a match by the people in it."""
    matches = list(matches)
    for match in matches:
        match.other_names = ", ".join(m.user.display_name for m in match.members.all() if m.user_id != user.pk)
    return matches


def requests_sent_by(user):
    return (
        matches_of(user).filter(source=Match.Source.REQUEST, members__user=user, members__role=Role.MENTEE).distinct()
    )


def requests_waiting_for(user):
    return (
        matches_of(user, [Match.Status.PROPOSED])
        .filter(source=Match.Source.REQUEST, members__user=user, members__role=Role.MENTOR)
        .distinct()
    )
