"""Screening checks that run out: coordinators hear 30 days before, and at once when a check lapses
(or is found not cleared) for someone in a current match. A lapsed check never ends a match: the
pair go on, and the person cannot be matched again until the check is renewed (matching.readiness)."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.emails import absolute_url
from screening import services as screening
from screening.models import Check

from . import notifications
from .models import Match, MatchMember, Membership, RequiredCheck

REMIND_DAYS_BEFORE = 30


def _check_url(check: Check) -> str:
    return absolute_url(reverse("admin:screening_check_change", args=[check.pk]))


def _programmes_requiring(checks, memberships) -> dict:
    """{programme: [(check, membership)]}: each check under the programmes that require it of the
    person in their role there."""
    required = set(
        RequiredCheck.objects.filter(programme_id__in={m.programme_id for m in memberships}).values_list(
            "programme_id", "role", "check_type_id"
        )
    )
    by_person = defaultdict(list)
    for membership in memberships:
        by_person[membership.user_id].append(membership)
    found = defaultdict(list)
    for check in checks:
        for membership in by_person[check.person_id]:
            if (membership.programme_id, membership.role, check.check_type_id) in required:
                found[membership.programme].append((check, membership))
    return found


def remind_expiring(today: datetime.date | None = None) -> int:
    """Checks that expire within 30 days, for people enrolled where they are required."""
    today = today or timezone.localdate()
    with transaction.atomic():
        due = list(screening.expiring_between(today, today + datetime.timedelta(days=REMIND_DAYS_BEFORE)))
        memberships = Membership.objects.filter(
            user_id__in={c.person_id for c in due}, status__in=[Membership.Status.APPLIED, Membership.Status.APPROVED]
        ).select_related("programme")
        reminded = set()
        for programme, pairs in _programmes_requiring(due, list(memberships)).items():
            rows = [(check.person.display_name, check.check_type.name, check.expires_on, _check_url(check))
                    for check, _membership in pairs]  # fmt: skip
            for coordinator in notifications._coordinators(programme):
                notifications.checks_expiring(programme, coordinator, rows, today)
            reminded |= {check.pk for check, _membership in pairs}
        screening.mark_reminded(reminded)
    return len(reminded)


def alert_lapsed(today: datetime.date | None = None) -> int:
    """Checks that have expired, unrenewed, for people in a current match where they are required."""
    today = today or timezone.localdate()
    with transaction.atomic():
        lapsed = list(screening.lapsed(today))
        alerted = alert_for_current_matches(lapsed, f"lapsed:{today.isoformat()}")
        screening.mark_alerted([check.pk for check in lapsed])  # the others need nobody to act: no new match starts
    return alerted


def alert_for_current_matches(checks, key: str) -> int:
    current = MatchMember.objects.filter(
        user_id__in={c.person_id for c in checks}, match_status__in=Match.CURRENT
    ).values_list("membership_id", flat=True)
    memberships = list(Membership.objects.filter(pk__in=current).select_related("programme"))
    alerted = 0
    for programme, pairs in _programmes_requiring(checks, memberships).items():
        # An expiry date for a check that ran out; none for one found not cleared.
        rows = [(check.person.display_name, check.check_type.name,
                 check.expires_on if check.outcome == Check.Outcome.CLEARED else None, _check_url(check))
                for check, _membership in pairs]  # fmt: skip
        for coordinator in notifications._coordinators(programme):
            notifications.check_lapsed_in_match(programme, coordinator, rows, key)
        alerted += len(pairs)
    return alerted
