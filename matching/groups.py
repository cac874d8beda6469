"""Groups and co-mentoring: one match with a mentor (and co-mentors) and several mentees.

A coordinator forms a group and adds or removes its members; a mentor in a match invites another mentor
of the programme to co-mentor, who accepts or declines. Everyone passes the same gates as a pair
(approved, ready: checks, training, a guardian's consent), and a mentor's capacity counts mentees,
however they are grouped. Messaging follows the members (signals.member_joined / member_left): a person
who joins takes part in every conversation of the group from then on; one who leaves can no longer open
them, and what they wrote stays for the others. Every change is a MatchNote (the coordinators' record).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from notices.models import Notice
from notices.services import notify

from . import notifications
from .models import CoMentorInvitation, Match, MatchMember, MatchNote, Membership, Programme, Role
from .services import MatchingError, _lock_memberships, _require_ready
from .signals import match_activated, member_joined, member_left


def mentees_of(mentor: Membership) -> int:
    """The mentees a mentor has now, in pairs and groups together (what their capacity counts)."""
    current = MatchMember.objects.filter(membership=mentor, match_status__in=Match.CURRENT).values("match_id")
    return MatchMember.objects.filter(match_id__in=current, role=Role.MENTEE).count()


def could_join(match: Match):
    """The programme's approved people not in this match: whom a coordinator or a mentor may pick."""
    return (
        Membership.objects.filter(programme_id=match.programme_id, status=Membership.Status.APPROVED)
        .exclude(user__match_members__match=match)
        .select_related("user")
    )


def _check_joins(programme: Programme, membership: Membership, role: str) -> None:
    if membership.programme_id != programme.pk:
        raise MatchingError(_("%(name)s is not in this programme.") % {"name": membership.user.display_name})
    if membership.role != role:
        raise MatchingError(
            _("%(name)s is enrolled as a %(role)s.") % {"name": membership.user.display_name,
                                                       "role": membership.get_role_display().lower()}
        )  # fmt: skip
    if membership.status != Membership.Status.APPROVED:
        raise MatchingError(_("%(name)s's enrolment is not approved.") % {"name": membership.user.display_name})
    _require_ready(membership)
    if role == Role.MENTEE and MatchMember.objects.filter(membership=membership, match_status__in=Match.CURRENT):
        raise MatchingError(_("%(name)s already has a mentor.") % {"name": membership.user.display_name})


def _check_room(mentor: Membership, more: int) -> None:
    room = max(0, mentor.capacity - mentees_of(mentor))
    if more > room:
        raise MatchingError(
            _("%(name)s has room for %(room)s more mentee(s).") % {"name": mentor.user.display_name, "room": room}
        )


def form_group(mentor: Membership, mentees: list[Membership], by) -> Match:
    """A coordinator's group: it starts at once, with a first conversation for everyone."""
    programme = mentor.programme
    if programme.format != Programme.Format.GROUP:
        raise MatchingError(_("This programme matches pairs: make it a group programme first."))
    if not mentees:
        raise MatchingError(_("Choose the mentees for the group."))
    with transaction.atomic():
        locked = _lock_memberships([mentor.pk, *(m.pk for m in mentees)])
        mentor, mentees = locked[mentor.pk], [locked[m.pk] for m in mentees]
        _check_joins(programme, mentor, Role.MENTOR)
        for mentee in mentees:
            _check_joins(programme, mentee, Role.MENTEE)
        _check_room(mentor, len(mentees))
        now = timezone.now()
        match = Match.objects.create(
            programme=programme, status=Match.Status.ACTIVE, source=Match.Source.COORDINATOR, proposed_by=by,
            decided_by=by, decided_at=now, activated_at=now, reasons=[_("formed as a group by a coordinator")],
        )  # fmt: skip
        MatchMember.objects.bulk_create(
            [MatchMember(match=match, membership=mentor, user_id=mentor.user_id, role=Role.MENTOR,
                         match_status=Match.Status.ACTIVE)]
            + [MatchMember(match=match, membership=m, user_id=m.user_id, role=Role.MENTEE,
                           match_status=Match.Status.ACTIVE) for m in mentees]
        )  # fmt: skip
        match_activated.send(sender=Match, match=match)
        notifications.match_started(match, accepted_by=by)
    return match


def add_member(match: Match, membership: Membership, by, *, note: str = "") -> MatchMember:
    """Someone joins a current group: a mentee (room permitting) or a co-mentor. `note`: the coordinators'
    record of it (their name, by default)."""
    with transaction.atomic():
        _lock_memberships([membership.pk, *match.members.values_list("membership_id", flat=True)])
        match = Match.objects.select_for_update().get(pk=match.pk)
        if match.status not in Match.CURRENT:
            raise MatchingError(_("Only a current match can take new members."))
        if match.members.filter(user_id=membership.user_id).exists():
            raise MatchingError(_("%(name)s is already in this match.") % {"name": membership.user.display_name})
        _check_joins(match.programme, membership, membership.role)
        if membership.role == Role.MENTEE:
            if match.programme.format != Programme.Format.GROUP:
                raise MatchingError(_("A pair has one mentee: make the programme a group programme first."))
            for mentor in Membership.objects.filter(match_members__match=match, match_members__role=Role.MENTOR):
                _check_room(mentor, 1)
        member = MatchMember.objects.create(match=match, membership=membership, user_id=membership.user_id,
                                            role=membership.role, match_status=match.status)  # fmt: skip
        member_joined.send(sender=Match, match=match, user_id=membership.user_id, role=membership.role)
        notifications.match_started(match, accepted_by=by)  # the newcomer's welcome (the others had theirs)
        MatchNote.objects.create(match=match, author=by, action=MatchNote.Action.ADDED,
                                 text=note or membership.user.display_name)  # fmt: skip
    return member


def remove_member(match: Match, membership: Membership, by) -> None:
    """Someone leaves a group. A group keeps a mentor and a mentee: to end it, close the match."""
    with transaction.atomic():
        match = Match.objects.select_for_update().get(pk=match.pk)
        member = match.members.filter(membership=membership).first()
        if member is None:
            raise MatchingError(_("%(name)s is not in this match.") % {"name": membership.user.display_name})
        staying = match.members.exclude(pk=member.pk)
        if not staying.filter(role=Role.MENTOR).exists() or not staying.filter(role=Role.MENTEE).exists():
            raise MatchingError(_("A match needs a mentor and a mentee: close it instead."))
        member.delete()
        member_left.send(sender=Match, match=match, user_id=membership.user_id, role=membership.role)
        MatchNote.objects.create(match=match, author=by, action=MatchNote.Action.REMOVED,
                                 text=membership.user.display_name)  # fmt: skip
        notify(
            membership.user,
            Notice.Kind.MATCH,
            gettext_noop("You are no longer in the group in %(programme)s. Your coordinator can tell you more."),
            {"programme": match.programme.name},
            url="/",
            key=f"left-group:{match.pk}:{timezone.now().timestamp()}",
        )


def invite_co_mentor(match: Match, by, co_mentor: Membership) -> CoMentorInvitation:
    """A mentor asks another of the programme's mentors to co-mentor with them; they answer on the site."""
    if not match.members.filter(user=by, role=Role.MENTOR).exists():
        raise MatchingError(_("Only a mentor in this match can invite a co-mentor."))
    if match.status not in Match.CURRENT:
        raise MatchingError(_("Only a current match can take a co-mentor."))
    if match.members.filter(user_id=co_mentor.user_id).exists():
        raise MatchingError(_("%(name)s is already in this match.") % {"name": co_mentor.user.display_name})
    _check_joins(match.programme, co_mentor, Role.MENTOR)
    invitation, created = CoMentorInvitation.objects.get_or_create(
        match=match, membership=co_mentor, answered_at=None, defaults={"invited_by": by}
    )
    if created:
        notify(co_mentor.user, Notice.Kind.REQUEST,
               gettext_noop("%(name)s invites you to co-mentor with them in %(programme)s."),
               {"name": by.display_name, "programme": match.programme.name}, url="/requests/",
               key=f"co-mentor:{invitation.pk}")  # fmt: skip
    return invitation


def answer_co_mentoring(invitation: CoMentorInvitation, by, *, accept: bool) -> CoMentorInvitation:
    with transaction.atomic():
        invitation = CoMentorInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.membership.user_id != by.pk or invitation.answered_at is not None:
            raise MatchingError(_("This invitation has already been answered."))
        invitation.answered_at, invitation.accepted = timezone.now(), accept
        invitation.save(update_fields=["answered_at", "accepted"])
        if accept:
            # Recorded as the inviting mentor's doing, as before they accepted.
            add_member(invitation.match, invitation.membership, invitation.invited_by,
                       note=_("%(name)s, as co-mentor") % {"name": by.display_name})  # fmt: skip
    return invitation
