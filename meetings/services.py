"""Meeting use cases: propose up to three times, answer with one of them or with others, confirm (after a
coordinator's approval where a programme asks it for meetings in person), move, cancel, and say how it
went. Every step locks the meeting's match row first, so two answers at once cannot both win; every
change people's calendars must take raises the meeting's SEQUENCE and sends each person an invitation
(.ics, METHOD:REQUEST) or a cancellation (METHOD:CANCEL) through the outbox."""

from __future__ import annotations

import datetime
import itertools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.email_kinds import EmailKind
from accounts.emails import absolute_url, queue_email
from accounts.models import OutboundEmail, User
from accounts.schedule import next_allowed_time
from accounts.text_screening import policies_for, refuse_contact_details, validate_single_line
from matching.models import Goal, Match, MatchMember
from matching.permissions import coordinates
from matching.services import add_goal_step, clear_at_risk, mark_at_risk
from notices.services import notify

from . import calendar, extensions, times
from .models import MAX_SLOTS, AgendaItem, Meeting, MeetingPolicy, Slot

EARLIEST = datetime.timedelta(hours=1)  # a slot must leave at least this long to get ready


class MeetingError(Exception):
    """The step cannot be taken; the message is for the person who tried."""


def policy_of(match: Match) -> MeetingPolicy:
    return MeetingPolicy.objects.filter(programme_id=match.programme_id).first() or MeetingPolicy(
        programme=match.programme
    )


def modes_allowed(match: Match) -> list[str]:
    policy = policy_of(match)
    modes = []
    if policy.video_link_template:
        modes.append(Meeting.Mode.VIDEO)
    if policy.phone_arrangements:
        modes.append(Meeting.Mode.PHONE)
    if policy.allow_in_person:
        modes.append(Meeting.Mode.IN_PERSON)
    return modes


def needs_approval(meeting: Meeting) -> bool:
    if meeting.mode != Meeting.Mode.IN_PERSON:
        return False
    programme = meeting.match.programme
    return programme.for_young_people or policy_of(meeting.match).in_person_needs_approval


def video_link(meeting: Meeting) -> str:
    template = policy_of(meeting.match).video_link_template
    return template.replace("{room}", meeting.room) if template and meeting.mode == Meeting.Mode.VIDEO else ""


def members(match: Match) -> list[User]:
    ids = MatchMember.objects.filter(match=match, match_status__in=Match.CURRENT).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=list(ids)).order_by("pk"))


def _locked(meeting_or_match, by: User) -> tuple[Match, list[User]]:
    match_id = meeting_or_match.match_id if isinstance(meeting_or_match, Meeting) else meeting_or_match.pk
    match = Match.objects.select_for_update().select_related("programme").get(pk=match_id)
    people = members(match)
    if by.pk not in {p.pk for p in people}:
        raise MeetingError(_("Only the people in this match can arrange its meetings."))
    if match.status != Match.Status.ACTIVE:
        raise MeetingError(_("Meetings can be arranged only while the match is active."))
    return match, people


def programme_end(match: Match) -> datetime.datetime | None:
    """The moment the programme ends (midnight after its last day, in its zone): no meeting runs past it."""
    ends_on = match.programme.ends_on
    if ends_on is None:
        return None
    return datetime.datetime.combine(
        ends_on + datetime.timedelta(days=1), datetime.time(0), tzinfo=match.programme.zone
    )


def check_slots(match: Match, starts: list[datetime.datetime], duration: datetime.timedelta) -> list[datetime.datetime]:
    """The offered times, sorted; a ValidationError that says what is wrong with any of them."""
    if not 1 <= len(starts) <= MAX_SLOTS:
        raise ValidationError(_("Offer one, two or three times."), code="slot_count")
    now = timezone.now()
    starts = sorted(starts)
    for start in starts:
        if start.tzinfo is None:
            raise ValidationError(_("A time needs its time zone."), code="naive")
        if start < now + EARLIEST:
            raise ValidationError(
                _("%(time)s is in the past or less than an hour away: offer a later time.")
                % {"time": timezone.localtime(start).strftime("%Y-%m-%d %H:%M")},
                code="past",
            )
    last = programme_end(match)
    if last is not None:
        ends_on = match.programme.ends_on
        for start in starts:
            if start + duration > last:
                raise ValidationError(
                    _("%(time)s is after the programme ends on %(date)s.")
                    % {"time": timezone.localtime(start).strftime("%Y-%m-%d %H:%M"), "date": ends_on.isoformat()},
                    code="after_end",
                )
    for earlier, later in itertools.pairwise(starts):
        if later < earlier + duration:
            raise ValidationError(
                _("Two of the times overlap: offer times at least one meeting apart."), code="overlap"
            )
    return starts


def _check_place(match: Match, mode: str, place: str) -> str:
    if mode == Meeting.Mode.IN_PERSON:
        return _screened_line(match, "place", place, _("Say where you will meet."))
    return ""


def _put_slots(meeting: Meeting, starts: list[datetime.datetime]) -> None:
    meeting.slots.all().delete()
    Slot.objects.bulk_create(Slot(meeting=meeting, starts_at=start) for start in starts)


def propose(match: Match, by: User, starts: list[datetime.datetime], *, duration_minutes: int = 45,
            mode: str = Meeting.Mode.VIDEO, place: str = "") -> Meeting:  # fmt: skip
    with transaction.atomic():
        match, people = _locked(match, by)
        if mode not in modes_allowed(match):
            raise ValidationError({"mode": _("This programme does not arrange meetings this way.")})
        if not 15 <= duration_minutes <= 180:
            raise ValidationError({"duration_minutes": _("A meeting lasts between 15 minutes and 3 hours.")})
        duration = datetime.timedelta(minutes=duration_minutes)
        starts = check_slots(match, starts, duration)
        meeting = Meeting.objects.create(
            match=match, proposed_by=by, mode=mode, place=_check_place(match, mode, place),
            duration_minutes=duration_minutes,
        )  # fmt: skip
        _put_slots(meeting, starts)
        _ask_the_others(meeting, by, people, first=True)
    return meeting


def offer_other_times(meeting: Meeting, by: User, starts: list[datetime.datetime]) -> Meeting:
    """The other person's answer when none of the times suits them; or the proposer's new times; or a
    confirmed meeting moved (its calendars keep the agreed time until a new one is agreed)."""
    with transaction.atomic():
        match, people = _locked(meeting, by)
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status == Meeting.Status.CANCELLED:
            raise MeetingError(_("This meeting was cancelled."))
        starts = check_slots(match, starts, meeting.duration)
        meeting.proposed_by, meeting.status = by, Meeting.Status.PROPOSED
        meeting.save(update_fields=["proposed_by", "status"])
        _put_slots(meeting, starts)
        _ask_the_others(meeting, by, people, first=False)
    return meeting


def choose(meeting: Meeting, by: User, starts_at: datetime.datetime) -> Meeting:
    """One of the offered times, chosen by someone who did not offer it: the meeting is agreed."""
    with transaction.atomic():
        _match, people = _locked(meeting, by)
        meeting = Meeting.objects.select_for_update().select_related("match__programme").get(pk=meeting.pk)
        if meeting.status != Meeting.Status.PROPOSED:
            raise MeetingError(_("There is no time to choose: this meeting is not waiting for one."))
        if meeting.proposed_by_id == by.pk:
            raise MeetingError(_("You offered these times: the others choose one."))
        if not meeting.slots.filter(starts_at=starts_at).exists():
            raise MeetingError(_("That time is not one of those offered."))
        if starts_at < timezone.now() + EARLIEST:
            raise MeetingError(_("That time is too soon now: offer other times."))
        moved = meeting.starts_at is not None  # a confirmed meeting that was moved
        meeting.starts_at = starts_at
        if moved:
            meeting.sequence += 1
        if needs_approval(meeting) and meeting.approved_at is None:
            meeting.status = Meeting.Status.AWAITING_APPROVAL
            meeting.save(update_fields=["starts_at", "sequence", "status"])
            _ask_coordinators(meeting)
            for person in people:
                notify(person, "meeting", gettext_noop("A meeting in person is waiting for a coordinator's approval."),
                       url=meeting_url(meeting), key=f"meeting:{meeting.pk}:approval:{meeting.sequence}")  # fmt: skip
        else:
            meeting.status = Meeting.Status.CONFIRMED
            meeting.save(update_fields=["starts_at", "sequence", "status"])
            _send_invitations(meeting, people)
    return meeting


def approve(meeting: Meeting, by: User) -> Meeting:
    """A coordinator of the programme approves a meeting in person."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().select_related("match__programme").get(pk=meeting.pk)
        if not coordinates(by, meeting.match.programme_id):
            raise MeetingError(_("Only the programme's coordinators can approve its meetings."))
        if meeting.status != Meeting.Status.AWAITING_APPROVAL:
            raise MeetingError(_("This meeting is not waiting for approval."))
        meeting.status, meeting.approved_by, meeting.approved_at = Meeting.Status.CONFIRMED, by, timezone.now()
        meeting.save(update_fields=["status", "approved_by", "approved_at"])
        _send_invitations(meeting, members(meeting.match))
    return meeting


def cancel(meeting: Meeting, by: User) -> Meeting:
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().select_related("match__programme").get(pk=meeting.pk)
        is_coordinator = coordinates(by, meeting.match.programme_id)
        people = members(meeting.match)
        if not is_coordinator and by.pk not in {p.pk for p in people}:
            raise MeetingError(_("Only the people in this match can cancel its meetings."))
        if meeting.status == Meeting.Status.CANCELLED:
            return meeting
        was_in_calendars = meeting.status == Meeting.Status.CONFIRMED or (
            meeting.status == Meeting.Status.PROPOSED and meeting.starts_at is not None
        )
        meeting.status, meeting.cancelled_by, meeting.cancelled_at = Meeting.Status.CANCELLED, by, timezone.now()
        if was_in_calendars:
            meeting.sequence += 1
        meeting.save(update_fields=["status", "cancelled_by", "cancelled_at", "sequence"])
        for person in people:
            if person.pk != by.pk:
                notify(person, "meeting", gettext_noop("%(name)s cancelled your meeting."), {"name": by.display_name},
                       url=meeting_url(meeting), key=f"meeting:{meeting.pk}:cancelled")  # fmt: skip
            if was_in_calendars:
                _queue_calendar_email(meeting, person, people, by)
    return meeting


def meeting_url(meeting: Meeting) -> str:
    return reverse("meetings:meeting", args=[meeting.pk])


def _ask_the_others(meeting: Meeting, by: User, people: list[User], first: bool) -> None:
    url = absolute_url(meeting_url(meeting))
    for person in people:
        if person.pk == by.pk:
            continue
        notify(person, "meeting", gettext_noop("%(name)s suggests times to meet."), {"name": by.display_name},
               url=meeting_url(meeting), key=f"meeting:{meeting.pk}:times:{meeting.slots.first().pk}")  # fmt: skip
        queue_email(
            person, EmailKind.MEETINGS, "emails/meeting_times",
            {"name": by.display_name, "first": first, "url": url, "mode": meeting.get_mode_display(),
             "slots": [slot.starts_at for slot in meeting.slots.all()], "minutes": meeting.duration_minutes},
            f"meeting:{meeting.pk}:times:{meeting.slots.first().pk}:{person.pk}",
        )  # fmt: skip


def _ask_coordinators(meeting: Meeting) -> None:
    url = absolute_url(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    for coordinator in meeting.match.programme.coordinators.all():
        queue_email(
            coordinator, EmailKind.COORDINATOR_ALERT, "emails/meeting_approval",
            {"programme_name": meeting.match.programme.name, "url": url, "place": meeting.place,
             "starts_at": meeting.starts_at},
            f"meeting:{meeting.pk}:approval:{meeting.sequence}:{coordinator.pk}",
        )  # fmt: skip


def _send_invitations(meeting: Meeting, people: list[User]) -> None:
    for person in people:
        notify(person, "meeting", gettext_noop("Your meeting is confirmed."), url=meeting_url(meeting),
               key=f"meeting:{meeting.pk}:confirmed:{meeting.sequence}")  # fmt: skip
        _queue_calendar_email(meeting, person, people, None)


def _queue_calendar_email(meeting: Meeting, person: User, people: list[User], by: User | None) -> None:
    """The invitation, update or cancellation for one person, with its .ics made now: the e-mail carries
    the meeting as this change left it, whatever happens before it leaves."""
    others = [p.display_name for p in people if p.pk != person.pk]
    cancelled = meeting.status == Meeting.Status.CANCELLED
    ics = calendar.invitation_for(meeting, person, others)
    queue_email(
        person, EmailKind.MEETINGS, "emails/meeting_cancelled" if cancelled else "emails/meeting_invitation",
        {"others": others, "starts_at": meeting.starts_at, "ends_at": meeting.ends_at, "update": meeting.sequence > 0,
         "mode": meeting.get_mode_display(), "place": meeting.place, "video_link": video_link(meeting),
         "phone": policy_of(meeting.match).phone_arrangements if meeting.mode == Meeting.Mode.PHONE else "",
         "url": absolute_url(meeting_url(meeting)), "by": by.display_name if by else "",
         "google": "" if cancelled else calendar.google_link(meeting, others),
         "outlook": "" if cancelled else calendar.outlook_link(meeting, others),
         "attachments": [{"filename": "meeting.ics", "content": ics, "method": "CANCEL" if cancelled else "REQUEST"}]},
        f"meeting:{meeting.pk}:calendar:{meeting.sequence}:{person.pk}",
    )  # fmt: skip


def slot_problems(match: Match, starts_at: datetime.datetime, duration: datetime.timedelta) -> dict[int, list[str]]:
    """{person id: ["quiet hours", "night"]} for each person the time does not suit."""
    found = {}
    for person in members(match):
        if problems := times.problems(person, starts_at, duration):
            found[person.pk] = problems
    return found


def organizer_address() -> str:
    return settings.MEETINGS_FROM_EMAIL


MAX_AGENDA_ITEMS = 20


def add_item(
    meeting: Meeting,
    by: User,
    text: str,
    *,
    kind: str = "agenda",
    message_id: int | None = None,
    goal: Goal | None = None,
) -> AgendaItem:
    """An agenda point (or, after the meeting, a next step), screened like a message: the others read it.
    A next step given a goal of the match becomes one of its steps too."""
    with transaction.atomic():
        match, _people = _locked(meeting, by)
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status == Meeting.Status.CANCELLED:
            raise MeetingError(_("This meeting was cancelled."))
        if kind == AgendaItem.Kind.NEXT_STEP and not _has_begun(meeting):
            raise MeetingError(_("Next steps come after the meeting has begun."))
        text = _screened_line(match, "text", text, _("Write a few words."))[:300]
        if meeting.items.count() >= MAX_AGENDA_ITEMS:
            raise MeetingError(_("A meeting has at most %(count)d points.") % {"count": MAX_AGENDA_ITEMS})
        milestone = None
        if goal is not None:
            if kind != AgendaItem.Kind.NEXT_STEP or goal.match_id != match.pk or goal.status != Goal.Status.OPEN:
                raise MeetingError(_("Choose one of this match's open goals."))
            milestone = add_goal_step(goal, text)
        return AgendaItem.objects.create(meeting=meeting, author=by, text=text, kind=kind, message_id=message_id,
                                         milestone=milestone)  # fmt: skip


def _screened_line(match: Match, field: str, text: str, when_empty: str) -> str:
    """A single-line text the others read, its spaces collapsed, screened like a message (control
    characters, contact details under the programme's policies); errors name the form's field."""
    text = " ".join(text.split())
    if not text:
        raise ValidationError({field: when_empty})
    try:
        validate_single_line(text)
        refuse_contact_details(text, policies_for(programme=match.programme))
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error
    return text


def _has_begun(meeting: Meeting) -> bool:
    return meeting.status == Meeting.Status.CONFIRMED and meeting.starts_at <= timezone.now()


def make_goal_step(item: AgendaItem, by: User, goal: Goal) -> AgendaItem:
    """A next step noted earlier becomes a step of one of the match's open goals (once)."""
    with transaction.atomic():
        match, _people = _locked(item.meeting, by)
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if item.kind != AgendaItem.Kind.NEXT_STEP or item.milestone_id is not None:
            raise MeetingError(_("This point is already a goal step, or is not a next step."))
        if goal.match_id != match.pk or goal.status != Goal.Status.OPEN:
            raise MeetingError(_("Choose one of this match's open goals."))
        item.milestone = add_goal_step(goal, item.text)
        item.save(update_fields=["milestone"])
    return item


def add_from_messages(meeting: Meeting, by: User, message_ids: list[int]) -> list[AgendaItem]:
    """Agenda points picked from the pair's conversation: each is the message's opening words, read through
    the agenda source messaging registers (meetings never imports messaging), so only messages of this
    match that the person can read are found; a message picked twice is added once."""
    found = extensions.messages_by_id(meeting.match, by, message_ids)
    if not found:
        raise MeetingError(_("Pick one of the messages shown."))
    already = set(meeting.items.filter(message_id__in=list(found)).values_list("message_id", flat=True))
    return [add_item(meeting, by, found[pk], message_id=pk) for pk in found if pk not in already]


def record_outcome(meeting: Meeting, by: User, outcome: str, notes: str = "", missed_by: User | None = None) -> Meeting:
    """After the meeting: held, or someone did not come; notes both can read. A no-show puts the pair on
    the coordinators' at-risk list; a meeting held ends a quiet spell as a message does."""
    with transaction.atomic():
        match, people = _locked(meeting, by)
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if not _has_begun(meeting):
            raise MeetingError(_("You can say how it went once the meeting has begun."))
        if outcome not in Meeting.Outcome.values:
            raise ValidationError({"outcome": _("Choose how it went.")})
        if notes:
            try:
                refuse_contact_details(notes, policies_for(programme=match.programme))
            except ValidationError as error:
                raise ValidationError({"notes": error.messages}) from error
        if outcome == Meeting.Outcome.NO_SHOW and missed_by is None:
            raise ValidationError({"missed_by": _("Say who did not come.")})
        if missed_by is not None and missed_by.pk not in {p.pk for p in people}:
            raise MeetingError(_("Only someone in this match can have missed it."))
        meeting.outcome, meeting.notes = outcome, notes.strip()
        meeting.missed_by = missed_by if outcome == Meeting.Outcome.NO_SHOW else None
        meeting.save(update_fields=["outcome", "notes", "missed_by"])
        if outcome == Meeting.Outcome.NO_SHOW:
            mark_at_risk(match, Match.AtRisk.MISSED_MEETING, override=True)
        else:
            clear_at_risk(match.pk, Match.AtRisk.INACTIVE, Match.AtRisk.MISSED_MEETING)
    return meeting


def held_count(match_ids) -> dict[int, int]:
    """{match id: meetings held} (one query): for the dashboard and the at-risk rules."""
    from django.db.models import Count

    rows = Meeting.objects.filter(match_id__in=list(match_ids), outcome=Meeting.Outcome.HELD)
    return dict(rows.values("match_id").annotate(n=Count("pk")).values_list("match_id", "n"))


def programme_figures(programme, now: datetime.datetime, since: datetime.datetime) -> dict[str, int]:
    """A programme's meetings for its dashboard, in one query: held (all, and since `since`), no-shows,
    confirmed ones to come, those waiting for a coordinator's approval, and current pairs that have met."""
    from django.db.models import Count, Q

    rows = Meeting.objects.filter(match__programme=programme).exclude(match__status=Match.Status.SUPPORT)
    held = Q(outcome=Meeting.Outcome.HELD)
    return rows.aggregate(
        held=Count("pk", filter=held),
        held_recently=Count("pk", filter=held & Q(starts_at__gte=since)),
        no_shows=Count("pk", filter=Q(outcome=Meeting.Outcome.NO_SHOW)),
        upcoming=Count("pk", filter=Q(status=Meeting.Status.CONFIRMED, starts_at__gt=now)),
        awaiting_approval=Count("pk", filter=Q(status=Meeting.Status.AWAITING_APPROVAL)),
        pairs_met=Count("match", distinct=True, filter=held & Q(match__status__in=Match.CURRENT)),
    )


# Reminders: a day before (not for a meeting agreed less than two hours before that), and an hour before.
REMINDERS = {"day": (datetime.timedelta(hours=24), datetime.timedelta(hours=2)),
             "hour": (datetime.timedelta(hours=1), datetime.timedelta(0))}  # fmt: skip


DAY_REMINDER_LATEST = datetime.timedelta(hours=3)  # before the start: later, the hour's reminder will do


def _reminder_time(person: User, which: str, starts_at: datetime.datetime, now: datetime.datetime):
    """The day-before reminder waits out the person's quiet hours (a 02:00 sweep does not wake them), but
    leaves three hours before the start; the hour-before one goes at once: they agreed to that time."""
    if which == "hour":
        return now
    return max(now, min(next_allowed_time(person, now), starts_at - DAY_REMINDER_LATEST))


def send_due_reminders() -> int:
    """Queue the reminders now due; the outbox key (meeting, its sequence, which reminder, whom) makes a
    second sweep, or a sweep run twice, queue nothing more. A moved meeting is reminded again."""
    now = timezone.now()
    queued = 0
    upcoming = (
        Meeting.objects.filter(status=Meeting.Status.CONFIRMED, starts_at__gt=now,
                               starts_at__lte=now + REMINDERS["day"][0], match__status=Match.Status.ACTIVE)
        .select_related("match__programme")
    )  # fmt: skip
    for meeting in upcoming:
        before = meeting.starts_at - now
        which = "hour" if before <= REMINDERS["hour"][0] else "day" if before > REMINDERS["day"][1] else None
        if which is None:
            continue
        people = members(meeting.match)
        keys = {person.pk: f"meeting:{meeting.pk}:reminder:{which}:{meeting.sequence}:{person.pk}" for person in people}
        done = set(OutboundEmail.objects.filter(dedupe_key__in=keys.values()).values_list("dedupe_key", flat=True))
        for person in people:
            if keys[person.pk] in done:
                continue
            others = [p.display_name for p in people if p.pk != person.pk]
            queued += queue_email(
                person, EmailKind.MEETINGS, "emails/meeting_reminder",
                {"others": others, "starts_at": meeting.starts_at, "which": which, "mode": meeting.get_mode_display(),
                 "place": meeting.place, "video_link": video_link(meeting), "url": absolute_url(meeting_url(meeting)),
                 "agenda": [item.text for item in meeting.items.filter(kind="agenda")]},
                keys[person.pk], send_after=_reminder_time(person, which, meeting.starts_at, now),
            ) is not None  # fmt: skip
    return queued
