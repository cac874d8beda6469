"""What the matching app tells people by e-mail. Every e-mail goes through the accounts outbox,
inside the transaction of the event, with a key that makes a repeat a no-op."""

from django.urls import reverse
from django.utils.translation import gettext_noop

from accounts.email_kinds import EmailKind
from accounts.emails import absolute_url, queue_email
from accounts.schedule import next_allowed_time
from notices.models import Notice
from notices.services import notify

from .models import Match, Membership, Role


def _members(match: Match):
    return list(match.members.select_related("user"))


def _names(members) -> str:
    return ", ".join(member.user.display_name for member in members)


def mentor_requested(match: Match) -> None:
    members = _members(match)
    mentee = next(m for m in members if m.role == Role.MENTEE)
    for mentor in (m for m in members if m.role == Role.MENTOR):
        queue_email(
            mentor.user,
            EmailKind.MATCH_UPDATES,
            "emails/match_request",
            {
                "mentee_name": mentee.user.display_name,
                "programme_name": match.programme.name,
                "note": match.request_note,
                "reasons": match.reasons,
                "expires_at": match.expires_at,
                "requests_url": absolute_url(reverse("matching:requests")),
            },
            f"match-request:{match.pk}",
        )
        notify(
            mentor.user,
            Notice.Kind.REQUEST,
            gettext_noop("%(name)s asked you to be their mentor."),
            {"name": mentee.user.display_name},
            url=reverse("matching:requests"),
            key=f"match-request:{match.pk}",
        )


def request_reminder(match: Match, number: int) -> None:
    members = _members(match)
    mentee = next(m for m in members if m.role == Role.MENTEE)
    for mentor in (m for m in members if m.role == Role.MENTOR):
        queue_email(
            mentor.user,
            EmailKind.MATCH_UPDATES,
            "emails/match_request_reminder",
            {
                "mentee_name": mentee.user.display_name,
                "programme_name": match.programme.name,
                "expires_at": match.expires_at,
                "requests_url": absolute_url(reverse("matching:requests")),
            },
            f"match-request-reminder:{match.pk}:{number}",
            send_after=next_allowed_time(mentor.user),
        )


def _tell_mentee(match: Match, template: str, key: str, notice: str) -> None:
    members = _members(match)
    mentors = [m for m in members if m.role == Role.MENTOR]
    for mentee in (m for m in members if m.role == Role.MENTEE):
        suggestions = reverse("matching:suggestions", args=[match.programme.slug])
        notify(
            mentee.user,
            Notice.Kind.REQUEST,
            notice,
            {"name": _names(mentors)},
            url=suggestions,
            key=f"{key}:{match.pk}",
        )
        queue_email(
            mentee.user,
            EmailKind.MATCH_UPDATES,
            template,
            {
                "mentor_name": _names(mentors),
                "programme_name": match.programme.name,
                "suggestions_url": absolute_url(reverse("matching:suggestions", args=[match.programme.slug])),
            },
            f"{key}:{match.pk}",
        )


def request_declined(match: Match) -> None:
    _tell_mentee(
        match,
        "emails/match_request_declined",
        "match-declined",
        gettext_noop("%(name)s cannot take your request: choose another mentor from your suggestions."),
    )


def request_expired(match: Match) -> None:
    _tell_mentee(
        match,
        "emails/match_request_expired",
        "match-expired",
        gettext_noop("Your request to %(name)s has lapsed without an answer: choose another mentor."),
    )


def match_started(match: Match, accepted_by) -> None:
    members = _members(match)
    for member in members:
        others = [m for m in members if m.user_id != member.user_id]
        queue_email(
            member.user,
            EmailKind.MATCH_UPDATES,
            "emails/match_started",
            {
                "other_names": _names(others),
                "programme_name": match.programme.name,
                "role": member.role,
                "match_url": absolute_url(match.get_absolute_url()),
            },
            f"match-started:{match.pk}:{member.user_id}",
        )
        notify(
            member.user,
            Notice.Kind.MATCH,
            gettext_noop("You are matched with %(names)s: say hello."),
            {"names": _names(others)},
            url=match.get_absolute_url(),
            key=f"match-started:{match.pk}",
        )


def match_closed(match: Match, closed_by) -> None:
    members = _members(match)
    for member in members:
        if member.user_id == closed_by.pk:
            continue
        queue_email(
            member.user,
            EmailKind.MATCH_UPDATES,
            "emails/match_closed",
            {
                "closed_by_name": closed_by.display_name,
                "other_names": _names([m for m in members if m.user_id != member.user_id]),
                "programme_name": match.programme.name,
                "reason": match.close_reason,
                "match_url": absolute_url(match.get_absolute_url()),
            },
            f"match-closed:{match.pk}:{member.user_id}",
        )
        notify(
            member.user,
            Notice.Kind.MATCH,
            gettext_noop("%(name)s closed your match in %(programme)s."),
            {"name": closed_by.display_name, "programme": match.programme.name},
            url=match.get_absolute_url(),
            key=f"match-closed:{match.pk}",
        )
    member_ids = {member.user_id for member in members}
    for role in match.programme.coordinator_roles.select_related("user"):
        if role.user_id in member_ids or role.user_id == closed_by.pk:
            continue
        queue_email(
            role.user,
            EmailKind.COORDINATOR_ALERT,
            "emails/match_closed_coordinator",
            {
                "names": _names(members),
                "closed_by_name": closed_by.display_name,
                "programme_name": match.programme.name,
                "reason": match.close_reason,
                "rating": match.closing_rating,
                "admin_url": absolute_url(reverse("admin:matching_match_change", args=[match.pk])),
            },
            f"match-closed-coordinator:{match.pk}:{role.user_id}",
        )


def enrolment_approved(membership: Membership) -> None:
    queue_email(
        membership.user,
        EmailKind.MATCH_UPDATES,
        "emails/enrolment_approved",
        {
            "programme_name": membership.programme.name,
            "role": membership.role,
            "programme_url": absolute_url(membership.programme.get_absolute_url()),
        },
        f"enrolment-approved:{membership.pk}",
    )
    notify(
        membership.user,
        Notice.Kind.PROGRAMME,
        gettext_noop("You are in %(programme)s: your enrolment is approved."),
        {"programme": membership.programme.name},
        url=membership.programme.get_absolute_url(),
        key=f"enrolment-approved:{membership.pk}",
    )


def _coordinators(programme):
    return [role.user for role in programme.coordinator_roles.select_related("user").order_by("pk")]


def _membership_admin_url(membership: Membership) -> str:
    return absolute_url(reverse("admin:matching_membership_change", args=[membership.pk]))


def guardian_answered(membership: Membership, consent, *, given: bool) -> None:
    """The mentee hears what their guardian decided; so do the coordinators (a declined consent is
    theirs to follow up)."""
    template = "emails/guardian_consent_answered"
    context = {
        "given": given,
        "programme_name": membership.programme.name,
        "name": membership.user.display_name,
        "programme_url": absolute_url(membership.programme.get_absolute_url()),
        "admin_url": _membership_admin_url(membership),
    }
    queue_email(membership.user, EmailKind.MATCH_UPDATES, template, {**context, "for_coordinator": False},
                f"consent-answer:{consent.pk}:{consent.nonce}:mentee")  # fmt: skip
    for coordinator in _coordinators(membership.programme):
        queue_email(coordinator, EmailKind.COORDINATOR_ALERT, template, {**context, "for_coordinator": True},
                    f"consent-answer:{consent.pk}:{consent.nonce}:{coordinator.pk}")  # fmt: skip


def guardian_withdrew(membership: Membership, consent) -> None:
    """At once, and whatever the coordinators' preferences: a young person's match has paused."""
    for coordinator in _coordinators(membership.programme):
        queue_email(
            coordinator,
            EmailKind.SAFEGUARDING,
            "emails/guardian_consent_withdrawn",
            {
                "name": membership.user.display_name,
                "programme_name": membership.programme.name,
                "admin_url": _membership_admin_url(membership),
            },
            f"consent-withdrawn:{consent.pk}:{consent.nonce}:{coordinator.pk}",
        )


def checks_expiring(programme, coordinator, rows, day) -> None:
    """One e-mail per programme and coordinator a day: the checks that expire within 30 days.
    rows: [(person name, check name, expires_on, admin url)]."""
    queue_email(
        coordinator,
        EmailKind.COORDINATOR_ALERT,
        "emails/checks_expiring",
        {"programme_name": programme.name, "rows": rows},
        f"checks-expiring:{programme.pk}:{coordinator.pk}:{day.isoformat()}",
    )


def check_lapsed_in_match(programme, coordinator, rows, key: str) -> None:
    """A check has expired for someone in a current match: the match goes on, nothing new starts.
    rows: [(person name, check name, expired_on, admin url)]."""
    queue_email(
        coordinator,
        EmailKind.SAFEGUARDING,
        "emails/check_lapsed",
        {"programme_name": programme.name, "rows": rows},
        f"check-lapsed:{programme.pk}:{coordinator.pk}:{key}",
    )
