"""Sending check-ins when they are due, taking the answers, and telling coordinators what needs a look.

The sweep (beat, hourly) asks each member of each active match: the first check-in `days_after_start`
days after the match started, then the pulse every `days_after_start` days (only the latest one due,
never a backlog); the closure check-in within a week of the end. Each ask is a Round, unique per
(survey, match, person, number), and its e-mail has a key per round: a second sweep sends nothing.
"""

from __future__ import annotations

import datetime
import re

from django.core import signing
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts.email_kinds import EmailKind
from accounts.emails import absolute_url, queue_email
from matching.models import Match, MatchMember, ProgrammeCoordinator
from matching.services import mark_at_risk
from notices.models import Notice
from notices.services import notify

from .models import Answer, Question, Round, Survey

BATCH = 500
LINK_DAYS = 30
CLOSURE_WINDOW = datetime.timedelta(days=7)
FIT_WINDOW_DAYS = 14
MIN_ANSWERS_SHOWN = 3  # aggregates only where at least this many people answered
_SALT = "checkins.answer"
# Words in a free-text answer that a safeguarding lead should read at once (whole words, any case).
CONCERNING = re.compile(
    r"\b(unsafe|scared|afraid|frightened|threat\w*|hurt\w*|harm\w*|abus\w*|bull(?:y|ied|ying)|uncomfortable|creepy|"
    r"secret|suicid\w*|self[- ]harm|kill myself|groom\w*)\b",
    re.IGNORECASE,
)


def surveys() -> dict:
    """{(programme id or None, kind, audience): survey}, every survey, in one query."""
    return {(s.programme_id, s.kind, s.audience): s for s in Survey.objects.all()}


def survey_for(catalogue: dict, programme_id: int, kind: str, role: str) -> Survey | None:
    """The programme's own survey of this kind for the role (or everyone), else the platform's default;
    a programme's own survey turned off means none."""
    for owner in (programme_id, None):
        for audience in (role, Survey.Audience.EVERYONE):
            survey = catalogue.get((owner, kind, audience))
            if survey is not None:
                return survey if survey.is_active else None
    return None


def _due(match: Match, member: MatchMember, catalogue: dict, now) -> list[tuple[Survey, int]]:
    due = []
    if match.status == Match.Status.ACTIVE and match.activated_at:
        days = (now - match.activated_at).days
        fit = survey_for(catalogue, match.programme_id, Survey.Kind.FIT, member.role)
        # Only near its day: a pair long past it (check-ins turned on later) is not asked if it is "a good fit".
        if fit is not None and fit.days_after_start <= days < fit.days_after_start + FIT_WINDOW_DAYS:
            due.append((fit, 1))
        pulse = survey_for(catalogue, match.programme_id, Survey.Kind.PULSE, member.role)
        if pulse is not None and days >= pulse.days_after_start:
            due.append((pulse, days // pulse.days_after_start))
    if match.status == Match.Status.CLOSED and match.closed_at and now - match.closed_at <= CLOSURE_WINDOW:
        closure = survey_for(catalogue, match.programme_id, Survey.Kind.CLOSURE, member.role)
        if closure is not None:
            due.append((closure, 1))
    return due


def send_due(now: datetime.datetime | None = None, batch: int = BATCH) -> int:
    """Beat: ask everyone whose check-in is due. Returns how many were asked."""
    now = now or timezone.now()
    catalogue = surveys()
    if not any(s.is_active for s in catalogue.values()):
        return 0
    members = MatchMember.objects.select_related("user")
    matches = (
        Match.objects.filter(
            Q(status=Match.Status.ACTIVE, activated_at__lte=now - datetime.timedelta(days=1))
            | Q(status=Match.Status.CLOSED, closed_at__gte=now - CLOSURE_WINDOW)
        )
        .select_related("programme")
        .prefetch_related(Prefetch("members", members))
        .order_by("pk")
    )
    asked = 0
    last_pk = 0
    while True:
        chunk = list(matches.filter(pk__gt=last_pk)[:batch])
        if not chunk:
            return asked
        last_pk = chunk[-1].pk
        wanted = [
            Round(survey=survey, match=match, person_id=member.user_id, number=number, created_at=now)
            for match in chunk
            for member in match.members.all()
            if not member.user.is_away  # nobody is asked while away; the next one comes after
            for survey, number in _due(match, member, catalogue, now)
        ]
        if not wanted:
            continue

        def key(r):
            return (r.survey_id, r.match_id, r.person_id, r.number)

        with transaction.atomic():
            existing = set(
                Round.objects.filter(match__in=chunk).values_list("survey_id", "match_id", "person_id", "number")
            )
            new = {key(r) for r in wanted} - existing
            # A sweep running at the same moment may insert the same rounds: theirs stand, ours are skipped.
            Round.objects.bulk_create([r for r in wanted if key(r) in new], ignore_conflicts=True)
            fresh = (
                Round.objects.filter(match__in=chunk, created_at=now, answered_at__isnull=True)
                .select_related("survey", "person", "match__programme")
                .prefetch_related(Prefetch("match__members", members))
            )
            for check_in in fresh:
                if key(check_in) in new and _ask(check_in):
                    asked += 1


def _ask(check_in: Round) -> bool:
    others = [m.user.display_name for m in check_in.match.members.all() if m.user_id != check_in.person_id]
    notify(
        check_in.person,
        Notice.Kind.CHECK_IN,
        gettext_noop("How is it going with %(names)s? Two minutes to tell us."),
        {"names": ", ".join(others)},
        url=reverse("checkins:answer", args=[link_token(check_in)]),
        key=f"check-in:{check_in.pk}",
    )
    return (
        queue_email(
            check_in.person,
            EmailKind.CHECK_IN,
            "emails/check_in",
            {
                "title": check_in.survey.title,
                "kind": check_in.survey.kind,
                "names": ", ".join(others),
                "programme_name": check_in.match.programme.name,
                "link": absolute_url(reverse("checkins:answer", args=[link_token(check_in)])),
            },
            f"check-in:{check_in.pk}",
        )
        is not None
    )


def link_token(check_in: Round) -> str:
    return signing.dumps({"r": check_in.pk}, salt=_SALT, compress=True)


def find(token: str) -> tuple[Round | None, str]:
    """The check-in a link is for, or why it no longer works: "invalid", "expired", "answered"."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=datetime.timedelta(days=LINK_DAYS))
    except signing.SignatureExpired:
        return None, "expired"
    except signing.BadSignature:
        return None, "invalid"
    check_in = (
        Round.objects.filter(pk=data.get("r"))
        .select_related("survey", "person", "match__programme")
        .prefetch_related("survey__questions")
        .first()
    )
    if check_in is None:
        return None, "invalid"
    if check_in.answered_at is not None:
        return check_in, "answered"
    return check_in, ""


def findings(check_in: Round, answers: dict[int, tuple[str, str]]) -> dict[str, list[dict]]:
    """What needs a look, by who should look: {"safeguarding": [...], "coordinator": [...]}.

    Each finding is what was seen ("what") and the question and value it concerns, never a sentence: the
    alert's template says it in the language of the coordinator who reads it, not of the person answering.
    """
    found = {"safeguarding": [], "coordinator": []}
    for question in check_in.survey.questions.all():
        value, text = answers.get(question.pk, ("", ""))
        if question.kind == Question.Kind.SAFE and value == "no":
            found["safeguarding"].append({"what": "not_safe", "q": question.text})
        elif question.kind == Question.Kind.FIT and value == "not_good":
            found["coordinator"].append({"what": "not_a_good_fit"})
        elif question.kind == Question.Kind.SCALE and value in {"1", "2"}:
            found["coordinator"].append({"what": "low", "q": question.text, "v": value})
        elif question.kind == Question.Kind.TEXT and CONCERNING.search(text or ""):
            found["safeguarding"].append({"what": "concerning_text"})
    return found


def answer(check_in: Round, answers: dict[int, tuple[str, str]]) -> Round | None:
    """Save the answers once (a second submission changes nothing: None) and alert if they signal trouble."""
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=check_in.pk)
        if locked.answered_at is not None:
            return None
        Answer.objects.bulk_create(
            Answer(round=locked, question_id=pk, value=value, text=text.strip())
            for pk, (value, text) in answers.items()
            if value or text.strip()
        )
        locked.answered_at = timezone.now()
        locked.save(update_fields=["answered_at"])
        found = findings(check_in, answers)
        if found["safeguarding"] or found["coordinator"]:
            _alert(check_in, found)
    return locked


def _alert(check_in: Round, found: dict) -> None:
    match = check_in.match
    mark_at_risk(match, Match.AtRisk.CHECK_IN, override=True)
    roles = list(ProgrammeCoordinator.objects.filter(programme_id=match.programme_id).select_related("user"))
    safety = bool(found["safeguarding"])
    leads = [r.user for r in roles if r.is_safeguarding_lead] if safety else []
    recipients = leads or [r.user for r in roles]
    context = {
        "name": check_in.person.display_name,
        "programme_name": match.programme.name,
        "survey": check_in.survey.title,
        "found": found["safeguarding"] + found["coordinator"],
        "safety": safety,
        "url": absolute_url(reverse("admin:matching_match_at_risk") + f"?programme={match.programme_id}"),
    }
    kind = EmailKind.SAFEGUARDING if safety else EmailKind.COORDINATOR_ALERT
    for person in recipients:
        queue_email(person, kind, "emails/check_in_alert", context, f"check-in-alert:{check_in.pk}:{person.pk}")


def aggregates(programme) -> list[dict]:
    """Per question of the programme's check-ins: answers by value, only where at least three people
    answered (fewer could be told apart). The relationship-quality score is the mean of the scale
    questions marked for it, from 1 to 5."""
    counts = (
        Answer.objects.filter(round__match__programme=programme)
        .values("question_id", "question__text", "question__kind", "question__survey__title", "value")
        .annotate(n=Count("pk"), people=Count("round__person", distinct=True))
        .order_by("question__survey__kind", "question__position", "question_id", "value")
    )
    people = dict(
        Answer.objects.filter(round__match__programme=programme)
        .values("question_id")
        .annotate(people=Count("round__person", distinct=True))
        .values_list("question_id", "people")
    )
    rows: dict[int, dict] = {}
    for row in counts:
        if row["question__kind"] == Question.Kind.TEXT:
            continue  # free text is read in the admin, never counted here
        entry = rows.setdefault(row["question_id"], {
            "survey": row["question__survey__title"], "question": row["question__text"],
            "kind": row["question__kind"], "people": people.get(row["question_id"], 0), "values": {},
        })  # fmt: skip
        entry["values"][row["value"]] = row["n"]
    return [entry for entry in rows.values() if entry["people"] >= MIN_ANSWERS_SHOWN]


def quality(programme) -> tuple[float | None, int]:
    """(mean of relationship-quality answers, people who answered); None below three people."""
    answers = Answer.objects.filter(round__match__programme=programme, question__quality=True,
                                    question__kind=Question.Kind.SCALE).exclude(value="")  # fmt: skip
    values = list(answers.values_list("value", "round__person"))
    people = len({person for _value, person in values})
    if people < MIN_ANSWERS_SHOWN:
        return None, people
    return round(sum(int(v) for v, _p in values) / len(values), 2), people


def of_person(person_id: int) -> list[dict]:
    """A person's own check-in answers, for their copy of their data."""
    answers = Answer.objects.filter(round__person_id=person_id).select_related("question", "round__survey")
    return [{"check_in": a.round.survey.title, "asked_at": a.round.created_at.isoformat(),
             "question": a.question.text, "answer": a.value, "text": a.text} for a in answers]  # fmt: skip


def forget(person_id: int) -> int:
    """An erased account's check-ins and answers go with it."""
    return Round.objects.filter(person_id=person_id).delete()[0]
