"""Who may be matched: an approved enrolment, every check the programme requires for the role cleared
and in date, every required training module completed, and, for a young mentee below the programme's
consent age, a parent's or guardian's consent.

One rule in two shapes: `matchable_q` filters a pool in SQL (suggestions, automatic matching, the
admin's lists), `readiness` says for one person what is missing (their own page, the coordinators'
approval screen, the services' refusals). test_readiness holds the two to the same answers.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import DateField, Exists, ExpressionWrapper, F, Func, OuterRef, Q, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from consent.models import GuardianConsent
from screening.models import Check, CheckType
from training.models import Attempt, Module
from training.services import completed_module_ids
from ui.content import in_reader_language

from .models import Membership, RequiredCheck, RequiredTraining, Role

CONSENT_PURPOSE = "enrolment"  # a guardian's consent is for one enrolment (consent.purpose_id = its id)


def _consent_cutoff(on: datetime.date):
    """The date of birth that makes a person exactly the programme's consent age on `on`: anyone born
    after it is younger."""
    years = Func(F("programme__consent_age"), template="make_interval(years => %(expressions)s)")
    return ExpressionWrapper(Value(on) - years, output_field=DateField())


def consent_needed_q(on: datetime.date) -> Q:
    """A mentee in a programme for young people who is below its consent age, or whose age we do not
    know (no date of birth: we cannot tell, so we ask)."""
    young = Q(user__date_of_birth__isnull=True) | Q(user__date_of_birth__gt=_consent_cutoff(on))
    return Q(programme__for_young_people=True, role=Role.MENTEE) & young


def missing_check_q(on: datetime.date) -> Q:
    """A check the programme requires of the role is not cleared and in date."""
    in_force = Check.objects.in_force(on).filter(
        person_id=OuterRef(OuterRef("user_id")), check_type_id=OuterRef("check_type_id")
    )
    return Q(
        Exists(
            RequiredCheck.objects.filter(programme_id=OuterRef("programme_id"), role=OuterRef("role")).filter(
                ~Exists(in_force)
            )
        )
    )


def missing_training_q() -> Q:
    completed = Attempt.objects.counting().filter(
        person_id=OuterRef(OuterRef("user_id")), module_id=OuterRef("module_id")
    )
    return Q(
        Exists(
            RequiredTraining.objects.filter(
                programme_id=OuterRef("programme_id"), role=OuterRef("role"), module__is_active=True
            ).filter(~Exists(completed))
        )
    )


def consent_missing_q(on: datetime.date) -> Q:
    consented = GuardianConsent.objects.filter(
        purpose=CONSENT_PURPOSE, purpose_id=OuterRef("pk"), status=GuardianConsent.Status.GIVEN
    )
    return consent_needed_q(on) & ~Exists(consented)


def matchable_q(on: datetime.date | None = None) -> Q:
    on = on or timezone.localdate()
    return Q(status=Membership.Status.APPROVED) & ~missing_check_q(on) & ~missing_training_q() & ~consent_missing_q(on)


@dataclass
class Readiness:
    membership: Membership
    approved: bool
    required_checks: list[CheckType] = field(default_factory=list)
    required_training: list[Module] = field(default_factory=list)
    missing_checks: list[CheckType] = field(default_factory=list)
    # Required checks with a cleared record that has expired (a subset of missing_checks).
    expired_checks: list[CheckType] = field(default_factory=list)
    missing_training: list[Module] = field(default_factory=list)
    # None when no consent is needed; else "date_of_birth", "needed", or a GuardianConsent status.
    consent: str | None = None
    consent_record: GuardianConsent | None = None

    @property
    def consent_missing(self) -> bool:
        return self.consent is not None and self.consent != GuardianConsent.Status.GIVEN

    @property
    def training_checklist(self) -> list[tuple[Module, bool]]:
        return [(module, module not in self.missing_training) for module in self.required_training]

    @property
    def check_checklist(self) -> list[tuple[CheckType, str]]:
        """Each required check with "cleared", "expired" or "to_do"."""
        return [
            (t, "expired" if t in self.expired_checks else "to_do" if t in self.missing_checks else "cleared")
            for t in self.required_checks
        ]

    @property
    def ready(self) -> bool:
        return self.approved and not self.missing_checks and not self.missing_training and not self.consent_missing

    def reasons(self) -> list[str]:
        """What stands between this person and a match, in words for a coordinator."""
        reasons = [] if self.approved else [_("enrolment not approved yet")]
        for check_type in self.missing_checks:
            if check_type in self.expired_checks:
                reasons.append(_("%(check)s has expired") % {"check": check_type.name})
            else:
                reasons.append(_("%(check)s not cleared") % {"check": check_type.name})
        reasons += [
            _("training “%(title)s” not completed") % {"title": in_reader_language(module.title)}
            for module in self.missing_training
        ]
        if self.consent == "date_of_birth":
            reasons.append(_("date of birth not given"))
        elif self.consent_missing:
            reasons.append(
                {
                    "needed": _("a guardian's consent has not been asked for"),
                    GuardianConsent.Status.REQUESTED: _("waiting for a guardian's consent"),
                    GuardianConsent.Status.DECLINED: _("a guardian declined consent"),
                    GuardianConsent.Status.WITHDRAWN: _("a guardian withdrew consent"),
                }[self.consent]
            )
        return reasons


def consent_needed(membership: Membership, on: datetime.date | None = None) -> str | None:
    """None, "date_of_birth" (we cannot tell) or "needed", by the same rule as consent_needed_q."""
    on = on or timezone.localdate()
    programme = membership.programme
    if not programme.for_young_people or membership.role != Role.MENTEE:
        return None
    age = membership.user.age_on(on)
    if age is None:
        return "date_of_birth"
    return "needed" if age < programme.consent_age else None


def readiness(membership: Membership, on: datetime.date | None = None) -> Readiness:
    on = on or timezone.localdate()
    person_id = membership.user_id
    requirements = {"programme_id": membership.programme_id, "role": membership.role}
    required = [r.check_type for r in RequiredCheck.objects.filter(**requirements).select_related("check_type")]
    cleared = list(
        Check.objects.filter(person_id=person_id, outcome=Check.Outcome.CLEARED).values_list(
            "check_type_id", "expires_on"
        )
    )
    in_force = {kind for kind, expires_on in cleared if expires_on is None or expires_on >= on}  # as in_force()
    ever_cleared = {kind for kind, _expires_on in cleared}
    missing_checks = [t for t in required if t.pk not in in_force]
    completed = completed_module_ids(person_id)
    modules = [
        r.module
        for r in RequiredTraining.objects.filter(**requirements, module__is_active=True).select_related("module")
    ]
    result = Readiness(
        membership=membership,
        approved=membership.status == Membership.Status.APPROVED,
        required_checks=required,
        required_training=modules,
        missing_checks=missing_checks,
        expired_checks=[t for t in missing_checks if t.pk in ever_cleared],
        missing_training=[m for m in modules if m.pk not in completed],
    )
    need = consent_needed(membership, on)
    if need is not None:
        record = GuardianConsent.objects.filter(purpose=CONSENT_PURPOSE, purpose_id=membership.pk).first()
        result.consent_record = record
        result.consent = record.status if record is not None else need
    return result
