"""Recording checks, and the questions the floors above ask of them.

A change to a person's checks locks that person's row first, as matching does before it decides a
match (matching.services), so that a check revoked at the same moment as a match is accepted is
seen by one or the other, never missed by both.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .models import Check
from .signals import check_recorded


def validate(check: Check, today: datetime.date | None = None) -> None:
    """The rules a recorded check keeps, as form errors by field."""
    today = today or timezone.localdate()
    errors = {}
    if check.verified_on and check.verified_on > today:
        errors["verified_on"] = _("A check cannot be verified in the future.")
    if check.outcome == Check.Outcome.CLEARED and not check.verified_on:
        errors["verified_on"] = _("Say when the check was verified.")
    if check.outcome == Check.Outcome.CLEARED and check.expires_on and check.expires_on < today:
        errors["expires_on"] = _("This date has passed: record the check as it stands now, or a renewed one.")
    if check.expires_on and check.verified_on and check.expires_on <= check.verified_on:
        errors["expires_on"] = _("A check expires after it was verified.")
    if errors:
        raise ValidationError(errors)


def record(check: Check, by: User | None) -> Check:
    """Save a new or changed check. A cleared check with no expiry date gets its kind's."""
    if check.outcome == Check.Outcome.CLEARED:
        if check.verified_by_id is None:
            check.verified_by = by
        if check.expires_on is None and check.verified_on:
            check.expires_on = check.check_type.expiry_for(check.verified_on)
    validate(check)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=check.person_id).first()
        if check.pk:
            before = Check.objects.filter(pk=check.pk).values("expires_on").first()
            if before and before["expires_on"] != check.expires_on:  # a new date: its reminders start over
                check.expiry_reminded_at = check.expiry_alerted_at = None
        check.save()
        check_recorded.send(sender=Check, check=check)
    return check


def in_force_type_ids(person_id: int, on: datetime.date | None = None) -> set[int]:
    return set(Check.objects.in_force(on).filter(person_id=person_id).values_list("check_type_id", flat=True))


def expiring_between(start: datetime.date, end: datetime.date):
    """Cleared checks whose expiry falls in [start, end] and whose reminder has not gone: unless
    the person already has a renewed check of that kind that holds past it."""
    renewed = Check.objects.filter(
        person_id=OuterRef("person_id"),
        check_type_id=OuterRef("check_type_id"),
        outcome=Check.Outcome.CLEARED,
    ).exclude(expires_on__lte=OuterRef("expires_on"))
    return (
        Check.objects.filter(outcome=Check.Outcome.CLEARED, expires_on__range=(start, end), expiry_reminded_at=None)
        .exclude(Exists(renewed))
        .select_related("person", "check_type")
    )


def lapsed(on: datetime.date):
    """Cleared checks that expired before `on`, not yet alerted, and not renewed."""
    renewed = Check.objects.in_force(on).filter(
        person_id=OuterRef("person_id"), check_type_id=OuterRef("check_type_id")
    )
    return (
        Check.objects.filter(outcome=Check.Outcome.CLEARED, expires_on__lt=on, expiry_alerted_at=None)
        .exclude(Exists(renewed))
        .select_related("person", "check_type")
    )


def mark_reminded(check_ids) -> None:
    Check.objects.filter(pk__in=check_ids).update(expiry_reminded_at=timezone.now())


def mark_alerted(check_ids) -> None:
    Check.objects.filter(pk__in=check_ids).update(expiry_alerted_at=timezone.now())


def forget(person_id: int) -> int:
    """An erased account's checks go with it (the evidence itself was never stored here)."""
    return Check.objects.filter(person_id=person_id).delete()[0]


def of_person(person_id: int) -> list[dict]:
    return [
        {"check": c.check_type.name, "outcome": c.outcome, "evidence_reference": c.evidence_reference,
         "verified_on": c.verified_on.isoformat() if c.verified_on else None,
         "expires_on": c.expires_on.isoformat() if c.expires_on else None}
        for c in Check.objects.filter(person_id=person_id).select_related("check_type")
    ]  # fmt: skip
