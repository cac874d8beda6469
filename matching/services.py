"""Use cases of the matching app: enrol, request, propose, accept, decline, expire, close.

Each runs in one transaction. Rules that two people could race on (a mentor's capacity, one
current match per mentee) are checked under row locks on the memberships involved, and the
database refuses a second current match for a mentee even if a check were ever missed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.text_screening import policies_for, screen_free_text
from consent.services import ConsentError
from ui.dates import local_date

from . import notifications
from .automatch import Assignment, assign_pool
from .models import Goal, Match, MatchMember, MatchNote, Membership, Milestone, Programme, Role
from .readiness import consent_needed, readiness
from .scoring import compatibility, current_load_by_membership, explain, load_pool
from .signals import match_activated, match_closed


class MatchingError(Exception):
    """A rule stopped the action; the message is for the person who tried it."""


# --- Enrolment ------------------------------------------------------------------------------


def enrol(user: User, programme: Programme, *, role: str, topics, invitation=None, join_code=None,
          date_of_birth=None, guardian_email: str = "", guardian_name: str = "", **details) -> Membership:  # fmt: skip
    """Enrol a person. With an invitation (matching.invitations) to their address, in its role, the
    enrolment is approved at once, also in a programme that takes no open enrolments. In a programme
    for young people the date of birth is kept, and a mentee below its consent age gives a guardian's
    address: the guardian is asked at once (matching.guardians), and the mentee waits for them. With a
    join code (matching.join_codes) that still works for them, a person enrols also where open enrolment
    is closed; the programme's approval rule applies as usual, and the code counts one use."""
    from . import guardians, invitations, join_codes

    invited = invitation is not None
    if invited and not (invitations.is_for(invitation, user) and invitation.programme_id == programme.pk):
        raise MatchingError(_("This invitation is for someone else."))
    if invited and role != invitation.role:
        raise MatchingError(_("You were invited as a %(role)s.") % {"role": invitation.get_role_display().lower()})
    if join_code is not None:
        try:
            join_codes.check(join_code, user)
        except join_codes.JoinCodeError as error:
            raise MatchingError(str(error)) from None
        if join_code.programme_id != programme.pk:
            raise MatchingError(_("That code is for another programme."))
        if join_code.role and role != join_code.role:
            raise MatchingError(_("This code is for %(role)ss.") % {"role": join_code.get_role_display().lower()})
    if not invited and join_code is None and not programme.is_taking_enrolments:
        raise MatchingError(_("This programme is not taking enrolments."))
    with transaction.atomic():
        if Membership.objects.filter(user=user, programme=programme).exists():
            raise MatchingError(_("You are already enrolled in this programme."))
        approve_now = invited or not programme.enrolment_requires_approval
        hopes = details.pop("goals", "")
        membership = Membership.objects.create(
            user=user,
            programme=programme,
            role=role,
            status=Membership.Status.APPROVED if approve_now else Membership.Status.APPLIED,
            approved_at=timezone.now() if approve_now else None,
            agreement_accepted_at=timezone.now(),
            **details,
        )
        membership.topics.set(topics)
        if programme.for_young_people and date_of_birth is not None and date_of_birth != user.date_of_birth:
            user.date_of_birth = date_of_birth
            user.save(update_fields=["date_of_birth"])
        if consent_needed(membership) == "needed":
            if not guardian_email:
                raise MatchingError(_("Please give your parent's or guardian's e-mail address."))
            try:
                guardians.ask(membership, guardian_email, guardian_name)
            except ConsentError as error:
                raise MatchingError(str(error)) from None
        if hopes.strip():  # read by coordinators and, in time, by a mentor: screened like a message
            screen_free_text(membership, "goals", hopes, user, policies_for(programme=programme))
            membership.save(update_fields=["goals"])
        if join_code is not None:
            try:
                join_codes.count_use(join_code)
            except join_codes.JoinCodeError as error:
                raise MatchingError(str(error)) from None
        if invited:
            try:
                invitations.accepted(invitation, membership)
            except invitations.InvitationError as error:
                raise MatchingError(str(error)) from None
    return membership


MAX_GUARDIAN_REQUESTS = 5  # e-mails to a guardian for one enrolment: asking again is not pestering


def ask_guardian_again(membership: Membership, guardian_email: str, date_of_birth=None) -> str:
    """From the programme page: give a missing date of birth, and ask (or ask again) a guardian.
    Returns "asked" or "not_needed"."""
    from . import guardians

    user = membership.user
    if date_of_birth is not None and user.date_of_birth is None:
        user.date_of_birth = date_of_birth
        user.save(update_fields=["date_of_birth"])
    need = consent_needed(membership)
    if need is None:
        return "not_needed"
    if need == "date_of_birth":
        raise MatchingError(_("Please give your date of birth."))
    asked = guardians.consent_of(membership)
    if asked is not None and asked.status == asked.Status.WITHDRAWN:
        raise MatchingError(_("Your parent or guardian withdrew their agreement: your coordinator will be in touch."))
    if asked is not None and asked.requests_sent >= MAX_GUARDIAN_REQUESTS:
        raise MatchingError(_("We have e-mailed them several times already: please speak to your coordinator."))
    try:
        guardians.ask(membership, guardian_email)
    except ConsentError as error:
        raise MatchingError(str(error)) from None
    return "asked"


def approve_memberships(memberships) -> int:
    now = timezone.now()
    with transaction.atomic():
        ids = list(memberships.filter(status=Membership.Status.APPLIED).values_list("pk", flat=True))
        Membership.objects.filter(pk__in=ids).update(status=Membership.Status.APPROVED, approved_at=now)
        for membership in Membership.objects.filter(pk__in=ids).select_related("user", "programme"):
            notifications.enrolment_approved(membership)
    return len(ids)


# --- Proposals and requests -----------------------------------------------------------------


def _set_status(match: Match, status: str, **fields) -> None:
    """The one place a match's status changes: the members' mirror changes with it."""
    match.status = status
    for name, value in fields.items():
        setattr(match, name, value)
    match.save(update_fields=["status", *fields])
    match.members.update(match_status=status)


def _lock_people(user_ids) -> None:
    """Lock the people's rows, in primary-key order. Screening, training and consent lock the same row
    before they change a person's records (see screening.services), so a match decided at the same
    moment as a check is revoked or a consent withdrawn sees the change or happens before it."""
    list(User.objects.select_for_update().filter(pk__in=list(user_ids)).order_by("pk").values_list("pk"))


def _lock_memberships(membership_ids) -> dict[int, Membership]:
    # The people first, then their enrolments, always in primary-key order: no two transactions deadlock.
    _lock_people(Membership.objects.filter(pk__in=membership_ids).values_list("user_id", flat=True))
    locked = Membership.objects.select_for_update().filter(pk__in=membership_ids).order_by("pk")
    return {membership.pk: membership for membership in locked}


def _require_ready(membership: Membership) -> None:
    """The gate every way into a match passes (requests, proposals, "Match now", automatic matching,
    acceptance): matching.readiness says what is missing."""
    state = readiness(membership)
    if not state.ready:
        raise MatchingError(
            _("%(name)s cannot be matched yet: %(reasons)s.")
            % {"name": membership.user.display_name, "reasons": "; ".join(state.reasons())}
        )


def _current_load(membership_id: int, *, include_proposed: bool = False) -> int:
    statuses = [*Match.CURRENT, Match.Status.PROPOSED] if include_proposed else list(Match.CURRENT)
    return MatchMember.objects.filter(membership_id=membership_id, match_status__in=statuses).count()


def _check_can_start(mentee: Membership, mentor: Membership) -> None:
    if mentee.programme_id != mentor.programme_id:
        raise MatchingError(_("These two people are not in the same programme."))
    if mentee.role != Role.MENTEE or mentor.role != Role.MENTOR:
        raise MatchingError(_("A match needs a mentee and a mentor."))
    if mentee.status != Membership.Status.APPROVED or mentor.status != Membership.Status.APPROVED:
        raise MatchingError(_("Both enrolments must be approved first."))
    if _current_load(mentee.pk):
        raise MatchingError(_("%(name)s already has a mentor.") % {"name": mentee.user.display_name})
    _require_ready(mentee)
    _require_ready(mentor)


def _create_match(programme, mentee, mentor, *, status, source, proposed_by, score, reasons, **fields) -> Match:
    match = Match.objects.create(
        programme=programme,
        status=status,
        source=source,
        proposed_by=proposed_by,
        score=score,
        reasons=reasons,
        **fields,
    )
    MatchMember.objects.bulk_create(
        [
            MatchMember(match=match, membership=mentor, user_id=mentor.user_id, role=Role.MENTOR, match_status=status),
            MatchMember(match=match, membership=mentee, user_id=mentee.user_id, role=Role.MENTEE, match_status=status),
        ]
    )
    return match


def request_mentor(mentee: Membership, mentor: Membership, note: str = "") -> Match:
    """A mentee asks a suggested mentor; the mentor is e-mailed and answers on the site."""
    programme = mentee.programme
    if not programme.mentee_requests_enabled:
        raise MatchingError(_("In this programme, coordinators make the matches."))
    try:
        with transaction.atomic():
            locked = _lock_memberships([mentee.pk, mentor.pk])
            mentee, mentor = locked[mentee.pk], locked[mentor.pk]
            if not readiness(mentor).ready:  # what a mentor still lacks is not the mentee's to read
                raise MatchingError(_("This mentor cannot take requests at the moment."))
            if mentor.user.is_away:
                raise MatchingError(
                    _("%(name)s is away until %(date)s. Ask again then, or ask another mentor.")
                    % {"name": mentor.user.display_name, "date": local_date(mentor.user.away_until, "j F")}
                )
            _check_can_start(mentee, mentor)
            if _current_load(mentee.pk, include_proposed=True):
                raise MatchingError(_("You already have a request waiting for an answer."))
            fit = compatibility(mentee, mentor)
            if fit.score is None:
                raise MatchingError(_("This mentor cannot take your request: %(reason)s.") % {"reason": fit.reasons[0]})
            match = _create_match(
                programme,
                mentee,
                mentor,
                status=Match.Status.PROPOSED,
                source=Match.Source.REQUEST,
                proposed_by=mentee.user,
                score=fit.score,
                reasons=fit.reasons,
                expires_at=timezone.now() + datetime.timedelta(days=programme.request_expiry_days),
            )
            # The note is read by the mentor: screened like a message (held notes wait for a coordinator).
            if note.strip():
                screen_free_text(match, "request_note", note, mentee.user, policies_for(programme=programme))
                match.save(update_fields=["request_note"])
            notifications.mentor_requested(match)
    except IntegrityError:
        raise MatchingError(_("You already have a request waiting for an answer.")) from None
    return match


def propose(mentee: Membership, mentor: Membership, *, by: User | None, source: str) -> Match:
    """A coordinator's or auto-match's draft, for a coordinator to approve."""
    with transaction.atomic():
        locked = _lock_memberships([mentee.pk, mentor.pk])
        mentee, mentor = locked[mentee.pk], locked[mentor.pk]
        _check_can_start(mentee, mentor)
        if _current_load(mentee.pk, include_proposed=True):
            raise MatchingError(
                _("%(name)s already has a proposal waiting for an answer.") % {"name": mentee.user.display_name}
            )
        fit = compatibility(mentee, mentor)
        if fit.score is None:
            raise MatchingError(_("This pair cannot be matched: %(reason)s.") % {"reason": fit.reasons[0]})
        return _create_match(
            mentee.programme,
            mentee,
            mentor,
            status=Match.Status.PROPOSED,
            source=source,
            proposed_by=by,
            score=fit.score,
            reasons=fit.reasons,
        )


def accept(match: Match, by: User) -> Match:
    """Start a proposed match: the mentor accepting a request, or a coordinator approving a draft.

    Safe when two acceptances race: both lock the same membership rows, so the second sees the
    first's result and is refused with a clear message.
    """
    try:
        with transaction.atomic():
            # The people before the match (see _lock_people): the order every other path takes.
            _lock_memberships(
                list(MatchMember.objects.filter(match_id=match.pk).values_list("membership_id", flat=True))
            )
            match = Match.objects.select_for_update().get(pk=match.pk)
            if match.status != Match.Status.PROPOSED:
                raise MatchingError(_("This request has already been answered."))
            members = list(match.members.select_related("membership__programme", "membership__user", "user"))
            for member in members:
                # A check may have expired, or a consent been withdrawn, since the proposal was made.
                _require_ready(member.membership)
            for member in members:
                if member.role == Role.MENTOR:
                    if _current_load(member.membership_id) >= member.membership.capacity:
                        raise MatchingError(
                            _("%(name)s has no room for another mentee right now.") % {"name": member.user.display_name}
                        )
                elif _current_load(member.membership_id):
                    raise MatchingError(_("%(name)s already has a mentor.") % {"name": member.user.display_name})
            now = timezone.now()
            _set_status(match, Match.Status.ACTIVE, decided_by=by, decided_at=now, activated_at=now)
            match_activated.send(sender=Match, match=match)
            notifications.match_started(match, accepted_by=by)
    except IntegrityError:
        raise MatchingError(_("One of these people was matched a moment ago.")) from None
    return match


def may_answer(match: Match, user: User) -> bool:
    """Only the requested mentor answers a mentee's request on the site (coordinators, in the admin)."""
    return match.source == Match.Source.REQUEST and match.members.filter(user=user, role=Role.MENTOR).exists()


def decline(match: Match, by: User) -> Match:
    with transaction.atomic():
        match = Match.objects.select_for_update().get(pk=match.pk)
        if match.status != Match.Status.PROPOSED:
            raise MatchingError(_("This request has already been answered."))
        _set_status(match, Match.Status.DECLINED, decided_by=by, decided_at=timezone.now())
        if match.source == Match.Source.REQUEST:
            notifications.request_declined(match)
    return match


def may_withdraw(match: Match, user: User) -> bool:
    """Only the mentee who asked withdraws a request on the site."""
    return match.members.filter(user=user, role=Role.MENTEE).exists()


def withdraw_request(match: Match, by: User) -> Match:
    with transaction.atomic():
        match = Match.objects.select_for_update().get(pk=match.pk)
        if match.status != Match.Status.PROPOSED:
            raise MatchingError(_("This request has already been answered."))
        _set_status(match, Match.Status.EXPIRED, decided_by=by, decided_at=timezone.now())
    return match


def add_goal_step(goal: Goal, title: str) -> Milestone:
    """A step added at the end of a goal (the caller has screened the title: the others read it)."""
    last = goal.milestones.order_by("-position").values_list("position", flat=True).first()
    return Milestone.objects.create(goal=goal, title=title[:200], position=0 if last is None else last + 1)


def toggle_step(step: Milestone) -> None:
    """A step of a goal is ticked or unticked; the goals of an ended match stay as they were."""
    if step.goal.match.is_current:
        step.done = not step.done
        step.save(update_fields=["done"])


def leave_every_programme(user: User) -> None:
    """Someone leaves the platform (an erasure): their current matches close (the others are told),
    proposals involving them lapse, and their enrolments are withdrawn and emptied of what they said."""
    with transaction.atomic():
        for match in Match.objects.filter(members__user=user, status__in=Match.CURRENT):
            close(match, user, reason=Match.CloseReason.NO_LONGER_NEEDED, rating=None)
        for match in Match.objects.filter(members__user=user, status=Match.Status.PROPOSED):
            withdraw_request(match, user)
        Membership.objects.filter(user=user).update(
            status=Membership.Status.WITHDRAWN, goals="", gender="", preferred_mentor_gender="", languages=[]
        )


def match_directly(mentee: Membership, mentor: Membership, by: User) -> Match:
    """A coordinator matches two people at once (coordinator mode: propose and approve in one)."""
    with transaction.atomic():
        return accept(propose(mentee, mentor, by=by, source=Match.Source.COORDINATOR), by=by)


# --- Unanswered requests --------------------------------------------------------------------


FIRST_REMINDER_AFTER = datetime.timedelta(days=3)
LAST_REMINDER_BEFORE_EXPIRY = datetime.timedelta(days=2)


def remind_and_expire_requests(now: datetime.datetime | None = None) -> dict[str, int]:
    """Beat: remind mentors of requests waiting for them, and expire the ones left too long.

    Each step is claimed under a row lock and recorded on the match (and the e-mail has a
    unique key), so a second sweep does nothing twice.
    """
    now = now or timezone.now()
    outcome = {"reminded": 0, "expired": 0}
    open_requests = Match.objects.filter(status=Match.Status.PROPOSED, source=Match.Source.REQUEST)
    for match_id in open_requests.filter(expires_at__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            match = Match.objects.select_for_update(skip_locked=True).filter(pk=match_id).first()
            if match is None or match.status != Match.Status.PROPOSED:
                continue
            _set_status(match, Match.Status.EXPIRED, decided_at=now)
            notifications.request_expired(match)
            outcome["expired"] += 1

    due = open_requests.filter(expires_at__gt=now).filter(
        Q(reminders_sent=0, proposed_at__lte=now - FIRST_REMINDER_AFTER)
        | Q(reminders_sent=1, expires_at__lte=now + LAST_REMINDER_BEFORE_EXPIRY)
    )
    for match_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            match = Match.objects.select_for_update(skip_locked=True).filter(pk=match_id).first()
            if match is None or match.status != Match.Status.PROPOSED:
                continue
            number = match.reminders_sent + 1
            match.reminders_sent = number
            match.save(update_fields=["reminders_sent"])
            notifications.request_reminder(match, number)
            outcome["reminded"] += 1
    return outcome


# --- Closing and pausing --------------------------------------------------------------------


# --- Goals ----------------------------------------------------------------------------------


def save_goal(match: Match, form, milestones, author: User) -> str:
    """A goal and its steps, together (one transaction). Its details are a free text the other member
    reads: screened like a message. Returns what screening did with them ("allow", "flag", "hold")."""
    with transaction.atomic():
        goal = form.save(commit=False)
        details = goal.description
        goal.match = match
        if goal.pk is None:
            goal.created_by = author
            goal.description = ""
        else:
            goal.description = Goal.objects.filter(pk=goal.pk).values_list("description", flat=True).get()
        goal.save()
        outcome = "unchanged"
        if details.strip() != goal.description:
            outcome = screen_free_text(goal, "description", details, author, policies_for(programme=match.programme))
            goal.save(update_fields=["description"])
        milestones.instance = goal
        for position, step in enumerate(milestones.save(commit=False)):
            step.position = position
            step.save()
        for removed in milestones.deleted_objects:
            removed.delete()
    return outcome


# --- Pairs that need a coordinator ----------------------------------------------------------


def mark_at_risk(match: Match, reason: str, now: datetime.datetime | None = None, *, override: bool = False) -> None:
    """Mark a pair at risk (Match.AtRisk). A pair already at risk keeps its reason, unless `override`
    (a long silence outranks an overdue reply); it keeps the time it has been at risk since."""
    if reason not in Match.AtRisk.values:
        raise ValueError(f"Unknown at-risk reason {reason!r}")
    now = now or timezone.now()
    Match.objects.filter(pk=match.pk, at_risk_since__isnull=True).update(at_risk_since=now, at_risk_reason=reason)
    if override:
        Match.objects.filter(pk=match.pk).update(at_risk_reason=reason)


def clear_at_risk(match_id: int, *reasons: str) -> None:
    """The pair is no longer at risk for these reasons (writing again ends a quiet spell, or time away)."""
    Match.objects.filter(pk=match_id, at_risk_reason__in=reasons).update(at_risk_since=None, at_risk_reason="")


def add_note(match: Match, by: User, action: str, text: str = "") -> MatchNote:
    """A coordinator's note on a pair; "resolved" also takes the pair off the at-risk list."""
    if action not in MatchNote.Action.values:
        raise MatchingError(_("Choose what you did."))
    text = (text or "").strip()
    if action == MatchNote.Action.NOTE and not text:
        raise MatchingError(_("Write the note."))
    with transaction.atomic():
        match = Match.objects.select_for_update().get(pk=match.pk)
        note = MatchNote.objects.create(match=match, author=by, action=action, text=text,
                                        at_risk_reason=match.at_risk_reason)  # fmt: skip
        if action == MatchNote.Action.RESOLVED:
            Match.objects.filter(pk=match.pk).update(at_risk_since=None, at_risk_reason="")
    return note


# --- Safeguarding holds ---------------------------------------------------------------------


def hold_for_safeguarding(match: Match, reason: str) -> None:
    """Keep every record of the match until the safeguarding lead releases it (nothing is purged)."""
    Match.objects.filter(pk=match.pk, safeguarding_hold=False).update(
        safeguarding_hold=True, safeguarding_hold_since=timezone.now(), safeguarding_hold_reason=reason[:200]
    )


def release_safeguarding_hold(match: Match, by: User) -> None:
    """Only the programme's safeguarding lead (or a superuser) may let a match's records go again."""
    from .permissions import leads_safeguarding

    if not leads_safeguarding(by, match.programme_id):
        raise MatchingError(_("Only the programme's safeguarding lead can release a safeguarding hold."))
    Match.objects.filter(pk=match.pk).update(
        safeguarding_hold=False, safeguarding_hold_since=None, safeguarding_hold_reason=""
    )


def close(match: Match, by: User, *, reason: str, rating: int | None, reflection: str = "") -> Match:
    """End a match. Its conversations become read-only (messaging listens for match_closed)."""
    if reason not in Match.CloseReason.values:
        raise MatchingError(_("Choose why the match is ending."))
    if rating is not None and not 1 <= rating <= 5:
        raise MatchingError(_("A rating is from 1 to 5."))
    with transaction.atomic():
        match = Match.objects.select_for_update().get(pk=match.pk)
        if match.status not in Match.CURRENT:
            raise MatchingError(_("This match is not active."))
        _set_status(
            match, Match.Status.CLOSED, closed_at=timezone.now(), closed_by=by, close_reason=reason,
            closing_rating=rating,
        )  # fmt: skip
        if reflection.strip() and by is not None:
            screen_free_text(match, "closing_reflection", reflection, by, policies_for(programme=match.programme))
            match.save(update_fields=["closing_reflection"])
        if reason == Match.CloseReason.SAFEGUARDING:
            hold_for_safeguarding(match, "closed for safeguarding")
        match_closed.send(sender=Match, match=match)
        notifications.match_closed(match, closed_by=by)
    return match


def pause(match: Match, by: User | None, reason: str = Match.PauseReason.COORDINATOR) -> Match:
    with transaction.atomic():
        match = Match.objects.select_for_update().get(pk=match.pk)
        if match.status != Match.Status.ACTIVE:
            raise MatchingError(_("Only an active match can be paused."))
        _set_status(match, Match.Status.PAUSED, pause_reason=reason)
    return match


def pause_for_consent(match: Match) -> Match:
    return pause(match, None, Match.PauseReason.CONSENT_WITHDRAWN)


def resume(match: Match, by: User) -> Match:
    """Only when everyone in it may be matched again: a withdrawn consent must be given anew first."""
    with transaction.atomic():
        _lock_memberships(list(match.members.values_list("membership_id", flat=True)))
        match = Match.objects.select_for_update().get(pk=match.pk)
        if match.status != Match.Status.PAUSED:
            raise MatchingError(_("Only a paused match can be resumed."))
        for member in match.members.select_related("membership__programme", "membership__user"):
            _require_ready(member.membership)
        _set_status(match, Match.Status.ACTIVE, pause_reason="")
    return match


# --- Automatic matching ---------------------------------------------------------------------


@dataclass
class AutomatchReport:
    pool_mentees: int
    pool_mentors: int
    ours: Assignment
    greedy: Assignment
    proposals_created: int = 0


def run_automatch(programme: Programme, *, apply: bool = False, by: User | None = None) -> AutomatchReport:
    """Draft the best assignment for the programme's unmatched mentees; with `apply`, save it as
    proposals for a coordinator to approve."""
    pool = load_pool(programme)
    ours, greedy, _scores = assign_pool(pool)
    report = AutomatchReport(len(pool.mentees), len(pool.mentors), ours, greedy)
    if apply and ours.pairs:
        report.proposals_created = _save_proposals(programme, pool, ours, by)
    return report


def _save_proposals(programme: Programme, pool, assignment: Assignment, by: User | None) -> int:
    mentee_ids = [pool.mentees[i].membership_id for i, _j, _s in assignment.pairs]
    mentor_ids = sorted({pool.mentors[j].membership_id for _i, j, _s in assignment.pairs})
    with transaction.atomic():
        # Lock everyone involved, then re-check: someone may have been matched since the pool was read.
        _lock_memberships([*mentee_ids, *mentor_ids])
        busy = set(
            MatchMember.objects.filter(
                membership_id__in=mentee_ids, match_status__in=[*Match.CURRENT, Match.Status.PROPOSED]
            ).values_list("membership_id", flat=True)
        )
        capacity = dict(Membership.objects.filter(pk__in=mentor_ids).values_list("pk", "capacity"))
        # A check may have lapsed or a consent been withdrawn since the pool was read.
        ready = set(
            Membership.objects.filter(pk__in=[*mentee_ids, *mentor_ids]).matchable().values_list("pk", flat=True)
        )
        load = current_load_by_membership(mentor_ids, [*Match.CURRENT, Match.Status.PROPOSED])
        now = timezone.now()
        drafts = []
        for i, j, score in assignment.pairs:
            mentee, mentor = pool.mentees[i], pool.mentors[j]
            if mentee.membership_id in busy or load.get(mentor.membership_id, 0) >= capacity[mentor.membership_id]:
                continue
            if not {mentee.membership_id, mentor.membership_id} <= ready:
                continue
            busy.add(mentee.membership_id)
            load[mentor.membership_id] = load.get(mentor.membership_id, 0) + 1
            fit = explain(mentee, mentor, pool.topic_names, pool.excluded_pairs, pool.criteria, pool.weights)
            match = Match(
                programme=programme,
                status=Match.Status.PROPOSED,
                source=Match.Source.AUTOMATIC,
                proposed_by=by,
                proposed_at=now,
                score=score,
                reasons=fit.reasons,
            )
            drafts.append((match, mentee, mentor))
        Match.objects.bulk_create([match for match, _mentee, _mentor in drafts])
        MatchMember.objects.bulk_create(
            member
            for match, mentee, mentor in drafts
            for member in (
                MatchMember(match=match, membership_id=mentor.membership_id, user_id=mentor.user_id, role=Role.MENTOR),
                MatchMember(match=match, membership_id=mentee.membership_id, user_id=mentee.user_id, role=Role.MENTEE),
            )
        )
    return len(drafts)
