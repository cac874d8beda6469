"""How well a mentee and a mentor fit, with reasons a person can read.

One formula, vectorised: `score_matrix` scores a whole pool at once (for suggestions and
auto-match), and `compatibility` scores one pair by calling it on a 1 x 1 pool, so the two can
never disagree.

Score, 0-100:
- topics: up to 55, the share of the mentee's needs that the mentor offers;
- language: 15 for at least one shared language (no shared language excludes the pair);
- time: up to 30, for the waking hours (08:00-22:00 local) the two have in common.
- a programme's own questions (EnrolmentQuestion with a rule): each adds its weight where the rule holds
  for the pair (the same answer, a different one, a shared choice), and the total is scaled back to
  100, so a programme without such questions scores exactly as before.
Exclusions: no shared language; the mentee's gender preference unmet; the mentor has no room
left; the two were matched before (declined or closed); the same person.
"""

from __future__ import annotations

import dataclasses
import datetime
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from types import MappingProxyType

import numpy as np
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.languages import language_name

from .models import Match, MatchMember, Membership, Role

NO_PAIRS = MappingProxyType({})  # no pair excluded (previous_pairs gives the real ones)
NO_ANSWERS = MappingProxyType({})

MAX_SCORE = 100
TOPIC_POINTS = 55
LANGUAGE_POINTS = 15
TIME_POINTS = 30
WAKING_MINUTES = 14 * 60  # 08:00 to 22:00
DAY_MINUTES = 24 * 60


@dataclass(frozen=True)
class Profile:
    """What matching knows about one enrolment, loaded once for a whole pool."""

    membership_id: int
    user_id: int
    display_name: str
    topic_ids: frozenset[int]
    languages: frozenset[str]
    utc_offset_minutes: int
    gender: str = ""
    preferred_mentor_gender: str = ""
    remaining_capacity: int = 0
    # Answers to the programme's questions, each as a set of strings (one choice, several, a scale point).
    answers: MappingProxyType = field(default_factory=lambda: NO_ANSWERS)


@dataclass(frozen=True)
class Weights:
    """A programme's weights for topics, a shared language and shared hours (Programme.*_weight)."""

    topics: int = TOPIC_POINTS
    language: int = LANGUAGE_POINTS
    time: int = TIME_POINTS

    @property
    def total(self) -> int:
        return self.topics + self.language + self.time


DEFAULT_WEIGHTS = Weights()


def weights_of(programme) -> Weights:
    return Weights(programme.topic_weight, programme.language_weight, programme.time_weight)


@dataclass(frozen=True)
class Criterion:
    """An enrolment question used in matching: its rule and weight, and its text for the reasons."""

    question_id: int
    text: str
    kind: str
    rule: str
    weight: int


def criteria_for(programme_id: int) -> tuple[Criterion, ...]:
    from .models import EnrolmentQuestion

    return tuple(
        Criterion(q.pk, q.text, q.kind, q.rule, q.weight)
        for q in EnrolmentQuestion.objects.filter(programme_id=programme_id, weight__gt=0).exclude(rule="")
    )


def answer_sets(answers: dict) -> MappingProxyType:
    """A membership's stored answers as {question id: frozenset of strings}, texts folded for comparison."""
    out = {}
    for key, value in (answers or {}).items():
        values = value if isinstance(value, list) else [value]
        found = frozenset(" ".join(str(v).split()).casefold() for v in values if str(v).strip())
        if found and str(key).isdigit():
            out[int(key)] = found
    return MappingProxyType(out)


def _criterion_holds(criterion: Criterion, mentees, mentors) -> np.ndarray:
    """Mentee x mentor: where the criterion's rule holds (both must have answered)."""

    def answers(profile):
        return profile.answers.get(criterion.question_id, ())

    vocabulary = {v: i for i, v in enumerate(sorted({v for p in [*mentees, *mentors] for v in answers(p)}))}
    if not vocabulary:
        return np.zeros((len(mentees), len(mentors)), dtype=bool)
    a, b = _indicator(mentees, answers, vocabulary), _indicator(mentors, answers, vocabulary)
    shared = a @ b.T
    answered = (a.sum(axis=1) > 0)[:, None] & (b.sum(axis=1) > 0)[None, :]
    if criterion.rule == "overlap":
        return shared > 0
    same = (shared == a.sum(axis=1)[:, None]) & (shared == b.sum(axis=1)[None, :]) & answered
    return same if criterion.rule == "same" else answered & ~same


@dataclass
class Compatibility:
    score: int | None  # None when excluded
    reasons: list[str] = field(default_factory=list)

    @property
    def excluded(self) -> bool:
        return self.score is None


@dataclass
class Pool:
    mentees: list[Profile]
    mentors: list[Profile]
    topic_names: dict[int, str]
    # (mentee user id, mentor user id) pairs that must never be proposed again.
    excluded_pairs: dict[tuple[int, int], str]  # pair -> how it ended (see previous_pairs)
    criteria: tuple = ()  # the programme's questions used in matching (Criterion)
    weights: Weights = DEFAULT_WEIGHTS


def utc_offset_minutes(zone_name: str, at: datetime.datetime) -> int:
    try:
        zone = zoneinfo.ZoneInfo(zone_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = datetime.UTC
    return int(at.astimezone(zone).utcoffset().total_seconds() // 60)


def _waking_overlap_minutes(offset_difference: np.ndarray) -> np.ndarray:
    """Minutes of 08:00-22:00 two people share, given the difference of their UTC offsets."""
    d = np.abs(offset_difference) % DAY_MINUTES
    d = np.minimum(d, DAY_MINUTES - d)
    return np.maximum(0, WAKING_MINUTES - d) + np.maximum(0, WAKING_MINUTES - (DAY_MINUTES - d))


def _indicator(profiles: Sequence[Profile], items_of, vocabulary: dict) -> np.ndarray:
    """Profiles x vocabulary: 1 where the profile has the item (`items_of(profile)`: its topics, languages...).
    float32, so that the products below run on BLAS rather than numpy's slow integer loops."""
    matrix = np.zeros((len(profiles), max(1, len(vocabulary))), dtype=np.float32)
    for row, profile in enumerate(profiles):
        for item in items_of(profile):
            matrix[row, vocabulary[item]] = 1
    return matrix


def _time_points(mentees: Sequence[Profile], mentors: Sequence[Profile], points: int = TIME_POINTS) -> np.ndarray:
    """Points for shared waking hours, via the few distinct UTC offsets rather than every pair."""
    mentee_offsets, mentee_index = np.unique([p.utc_offset_minutes for p in mentees], return_inverse=True)
    mentor_offsets, mentor_index = np.unique([p.utc_offset_minutes for p in mentors], return_inverse=True)
    overlap = _waking_overlap_minutes(mentee_offsets[:, None] - mentor_offsets[None, :])
    table = (points * overlap // WAKING_MINUTES).astype(np.int16)
    return table[mentee_index[:, None], mentor_index[None, :]]


def score_matrix(
    mentees: Sequence[Profile],
    mentors: Sequence[Profile],
    excluded_pairs=NO_PAIRS,
    criteria: Sequence[Criterion] = (),
    weights: Weights = DEFAULT_WEIGHTS,
) -> np.ndarray:
    """Scores for every mentee (rows) x mentor (columns): 1-100, or 0 where the pair is excluded."""
    if not mentees or not mentors:
        return np.zeros((len(mentees), len(mentors)), dtype=np.int16)
    topic_vocabulary = {t: i for i, t in enumerate(sorted({t for p in [*mentees, *mentors] for t in p.topic_ids}))}
    language_vocabulary = {c: i for i, c in enumerate(sorted({c for p in [*mentees, *mentors] for c in p.languages}))}
    needs = _indicator(mentees, attrgetter("topic_ids"), topic_vocabulary)
    offers = _indicator(mentors, attrgetter("topic_ids"), topic_vocabulary)

    # int32 until the end: other weights and the questions' scaling can pass int16's range.
    shared_topics = (needs @ offers.T).astype(np.int32)
    need_counts = needs.sum(axis=1).astype(np.int32)[:, None]
    scores = weights.topics * shared_topics // np.maximum(need_counts, 1)  # 0 when the mentee named no needs
    scores += weights.language
    scores += _time_points(mentees, mentors, weights.time)
    total = weights.total + sum(c.weight for c in criteria)
    for criterion in criteria:
        scores += criterion.weight * _criterion_holds(criterion, mentees, mentors)
    if total != MAX_SCORE:  # the default weights without questions sum to 100: scores as they always were
        scores = np.maximum(1, scores * MAX_SCORE // max(total, 1))
    scores = scores.astype(np.int16)

    share_language = (
        _indicator(mentees, attrgetter("languages"), language_vocabulary)
        @ _indicator(mentors, attrgetter("languages"), language_vocabulary).T
    ) > 0
    gender_codes = {"": 0}
    preferred = np.array([gender_codes.setdefault(p.preferred_mentor_gender, len(gender_codes)) for p in mentees])
    genders = np.array([gender_codes.setdefault(p.gender, len(gender_codes)) for p in mentors])
    preference_unmet = (preferred[:, None] != 0) & (preferred[:, None] != genders[None, :])
    no_room = np.array([p.remaining_capacity <= 0 for p in mentors])[None, :]
    same_person = np.array([p.user_id for p in mentees])[:, None] == np.array([p.user_id for p in mentors])[None, :]
    allowed = share_language & ~preference_unmet & ~no_room & ~same_person
    scores[~allowed] = 0

    if excluded_pairs:
        mentee_rows = {p.user_id: i for i, p in enumerate(mentees)}
        mentor_columns = {p.user_id: j for j, p in enumerate(mentors)}
        for mentee_user, mentor_user in excluded_pairs:
            if mentee_user in mentee_rows and mentor_user in mentor_columns:
                scores[mentee_rows[mentee_user], mentor_columns[mentor_user]] = 0
    return scores


def _hours_apart(minutes: int) -> str:
    minutes = abs(minutes)
    if minutes == 0:
        return _("same time zone")
    hours, rest = divmod(minutes, 60)
    if rest == 0:
        return ngettext("%(hours)d hour apart", "%(hours)d hours apart", hours) % {"hours": hours}
    return _("%(hours)s hours apart") % {"hours": f"{hours}{'½' if rest == 30 else f':{rest:02d}'}"}


def _list(items: list[str]) -> str:
    return ", ".join(items)


def _and_list(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def explain(
    mentee: Profile,
    mentor: Profile,
    topic_names: dict[int, str],
    excluded_pairs=NO_PAIRS,
    criteria=(),
    weights: Weights = DEFAULT_WEIGHTS,
) -> Compatibility:
    """The score of one pair, with the reasons behind it (or the reason it is excluded)."""
    if mentee.user_id == mentor.user_id:
        return Compatibility(None, [_("the same person")])
    shared_languages = sorted(mentee.languages & mentor.languages)
    if not shared_languages:
        return Compatibility(None, [_("no shared language")])
    if mentee.preferred_mentor_gender and mentee.preferred_mentor_gender != mentor.gender:
        # Never name the gender: it is used for matching only.
        return Compatibility(None, [_("does not meet the mentee's preference for a mentor")])
    if mentor.remaining_capacity <= 0:
        return Compatibility(None, [_("the mentor has no room for another mentee")])
    if (mentee.user_id, mentor.user_id) in excluded_pairs:
        # A mentor who only ever declined this mentee was never matched with them: say what happened.
        if excluded_pairs.get((mentee.user_id, mentor.user_id)) == Match.Status.DECLINED:
            return Compatibility(None, [_("declined this mentee before")])
        return Compatibility(None, [_("matched before")])

    score = int(score_matrix([mentee], [mentor], criteria=criteria, weights=weights)[0, 0])
    reasons = []
    shared_topics = sorted(topic_names.get(t, "?") for t in mentee.topic_ids & mentor.topic_ids)
    if shared_topics:
        reasons.append(
            ngettext("%(count)d shared topic: %(topics)s", "%(count)d shared topics: %(topics)s", len(shared_topics))
            % {"count": len(shared_topics), "topics": _list(shared_topics)}
        )
    elif mentee.topic_ids:
        reasons.append(_("no shared topics"))
    reasons.append(
        _("both speak %(languages)s") % {"languages": _and_list([language_name(c) for c in shared_languages])}
    )
    reasons.append(_hours_apart(mentee.utc_offset_minutes - mentor.utc_offset_minutes))
    reasons.extend(_question_reasons(mentee, mentor, criteria))
    return Compatibility(score, reasons)


def _question_reasons(mentee: Profile, mentor: Profile, criteria) -> list[str]:
    """Only the criteria that hold, in words: a choice is named (the programme wrote it), a short text
    never is (the person wrote it)."""
    reasons = []
    for criterion in criteria:
        if not _criterion_holds(criterion, [mentee], [mentor])[0, 0]:
            continue
        mine, theirs = mentee.answers.get(criterion.question_id, frozenset()), mentor.answers.get(criterion.question_id)
        shared = sorted(mine & (theirs or frozenset()))
        if criterion.rule == "different":
            reasons.append(_("different answers to “%(question)s”") % {"question": criterion.text})
        elif criterion.kind == "text" or not shared:
            reasons.append(_("the same answer to “%(question)s”") % {"question": criterion.text})
        else:
            reasons.append(_("both chose %(choices)s") % {"choices": _and_list([f"\u2018{c}\u2019" for c in shared])})
    return reasons


# --- Loading a pool from the database: a fixed number of queries, whatever its size -----------


def current_load_by_membership(membership_ids, statuses=Match.CURRENT) -> dict[int, int]:
    rows = (
        MatchMember.objects.filter(membership_id__in=membership_ids, match_status__in=statuses)
        .values("membership_id")
        .annotate(n=Count("pk"))
    )
    return {row["membership_id"]: row["n"] for row in rows}


def load_profiles(memberships, at: datetime.datetime | None = None, topic_names: dict | None = None) -> list[Profile]:
    """Profiles for a queryset of memberships (2 queries, plus 1 for mentors' current load).

    Pass a dict as `topic_names` to have it filled with the names of the topics seen.
    """
    at = at or timezone.now()
    memberships = list(memberships.select_related("user").prefetch_related("topics"))
    if topic_names is not None:
        topic_names.update((t.pk, t.name) for m in memberships for t in m.topics.all())
    mentor_ids = [m.pk for m in memberships if m.role == Role.MENTOR]
    load = current_load_by_membership(mentor_ids) if mentor_ids else {}
    return [
        Profile(
            membership_id=m.pk,
            user_id=m.user_id,
            display_name=m.user.display_name,
            topic_ids=frozenset(t.pk for t in m.topics.all()),
            languages=frozenset(m.languages or m.user.languages),
            utc_offset_minutes=utc_offset_minutes(m.user.timezone, at),
            gender=m.gender,
            preferred_mentor_gender=m.preferred_mentor_gender,
            remaining_capacity=(m.capacity - load.get(m.pk, 0)) if m.role == Role.MENTOR else 0,
            answers=answer_sets(m.answers),
        )
        for m in memberships
    ]


def previous_pairs(programme_id: int, mentee_user_ids=None) -> dict[tuple[int, int], str]:
    """(mentee, mentor) user pairs whose match was declined or closed, never proposed again, with how it
    ended: "closed" if they were ever matched, else "declined"."""
    ended = MatchMember.objects.filter(
        match__programme_id=programme_id, match_status__in=[Match.Status.DECLINED, Match.Status.CLOSED]
    )
    if mentee_user_ids is not None:
        ended = ended.filter(Q(role=Role.MENTOR) | Q(user_id__in=mentee_user_ids))
    by_match: dict[int, dict[str, list[int]]] = {}
    how: dict[int, str] = {}
    for match_id, user_id, role, status in ended.values_list("match_id", "user_id", "role", "match_status"):
        by_match.setdefault(match_id, {Role.MENTOR: [], Role.MENTEE: []})[role].append(user_id)
        how[match_id] = status
    pairs: dict[tuple[int, int], str] = {}
    for match_id, roles in by_match.items():
        for mentee in roles[Role.MENTEE]:
            for mentor in roles[Role.MENTOR]:
                if pairs.get((mentee, mentor)) != Match.Status.CLOSED:  # matched once says more than declined
                    pairs[(mentee, mentor)] = how[match_id]
    return pairs


def compatibility(mentee_membership: Membership, mentor_membership: Membership) -> Compatibility:
    """Score and reasons for one mentee and one mentor of the same programme."""
    if mentee_membership.programme_id != mentor_membership.programme_id:
        return Compatibility(None, [_("not in the same programme")])
    topic_names: dict[int, str] = {}
    profiles = load_profiles(
        Membership.objects.filter(pk__in=[mentee_membership.pk, mentor_membership.pk]), topic_names=topic_names
    )
    by_id = {profile.membership_id: profile for profile in profiles}
    excluded = previous_pairs(mentee_membership.programme_id, [mentee_membership.user_id])
    return explain(
        by_id[mentee_membership.pk], by_id[mentor_membership.pk], topic_names, excluded,
        criteria_for(mentee_membership.programme_id), weights_of(mentee_membership.programme),
    )  # fmt: skip


def load_pool(programme, at: datetime.datetime | None = None) -> Pool:
    """Who auto-match may pair: approved mentees with no current match and no open proposal,
    and approved mentors with room (counting open proposals, so drafts never overfill them)."""
    busy_mentees = MatchMember.objects.filter(
        role=Role.MENTEE, match_status__in=[*Match.CURRENT, Match.Status.PROPOSED], match__programme=programme
    ).values("membership_id")
    approved = Membership.objects.filter(programme=programme).matchable().not_away()
    topic_names: dict[int, str] = {}
    mentees = load_profiles(approved.mentees().exclude(pk__in=busy_mentees), at, topic_names)
    mentors = load_profiles(approved.mentors(), at, topic_names)
    proposed = current_load_by_membership([m.membership_id for m in mentors], [Match.Status.PROPOSED])
    mentors = [
        dataclasses.replace(m, remaining_capacity=m.remaining_capacity - proposed.get(m.membership_id, 0))
        for m in mentors
    ]
    mentors = [m for m in mentors if m.remaining_capacity > 0]
    return Pool(
        mentees, mentors, topic_names, previous_pairs(programme.pk), criteria_for(programme.pk), weights_of(programme)
    )
