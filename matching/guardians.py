"""A young mentee's parent or guardian: asked for consent when the mentee enrols below the programme's
consent age, and what follows from their answer (consent.signals, connected in receivers.py).

What the guardian is told is composed here, where the programme is known, with what the floors above
add (matching.extensions.consent_facts: how long messages are kept), and kept with their answer.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from consent import services as consent_services
from consent.models import GuardianConsent

from . import notifications
from .models import Match, MatchMember, Membership
from .readiness import CONSENT_PURPOSE


def explanation(membership: Membership) -> dict:
    """What the guardian reads, in the young person's language (the e-mail and the consent page)."""
    from .extensions import consent_facts

    programme = membership.programme
    coordinator = programme.coordinator_roles.select_related("user").order_by("-is_safeguarding_lead", "pk").first()
    with override(membership.user.language):
        facts = consent_facts(programme)
        return {
            "programme": programme.name,
            "description": programme.description,
            "young_person": membership.user.display_name,
            "coordinator": coordinator.user.display_name if coordinator else "",
            "safeguarding": [
                _(
                    "Every mentor is screened (for example an enhanced background check and references) and trained "
                    "before they can be matched."
                ),
                _(
                    "Mentoring happens in writing on this platform. Messages are checked for phone numbers, "
                    "addresses and social media accounts, and ones that contain them wait for a coordinator."
                ),
                _("Your child can report anything that worries them, at any time, to the programme's coordinators."),
                *facts["safeguarding"],
            ],
            "kept": [
                _("Their name, e-mail address and date of birth, and what they tell the programme when they enrol."),
                _("Who they are matched with, and the goals they set."),
                *facts["kept"],
            ],
            "retention_days": facts.get("retention_days"),
        }


def ask(membership: Membership, guardian_email: str, guardian_name: str = "") -> GuardianConsent:
    return consent_services.request(
        membership.user,
        purpose=CONSENT_PURPOSE,
        purpose_id=membership.pk,
        guardian_email=guardian_email,
        guardian_name=guardian_name,
        explained=explanation(membership),
    )


def consent_of(membership: Membership) -> GuardianConsent | None:
    return consent_services.for_purpose(CONSENT_PURPOSE, membership.pk)


def _membership_of(consent: GuardianConsent) -> Membership | None:
    if consent.purpose != CONSENT_PURPOSE:
        return None
    return Membership.objects.select_related("user", "programme").filter(pk=consent.purpose_id).first()


def given(consent: GuardianConsent) -> None:
    membership = _membership_of(consent)
    if membership is not None:
        notifications.guardian_answered(membership, consent, given=True)


def declined(consent: GuardianConsent) -> None:
    membership = _membership_of(consent)
    if membership is not None:
        notifications.guardian_answered(membership, consent, given=False)


def withdrawn(consent: GuardianConsent) -> None:
    """The guardian takes consent back: the mentee's current match pauses (nobody writes in it until a
    coordinator has spoken with the family and consent is given again), open proposals lapse, and the
    coordinators are told at once."""
    membership = _membership_of(consent)
    if membership is None:
        return
    from .services import pause_for_consent, withdraw_request

    with transaction.atomic():
        for member in MatchMember.objects.filter(membership=membership).select_related("match"):
            match = member.match
            if match.status == Match.Status.ACTIVE:
                pause_for_consent(match)
            elif match.status == Match.Status.PROPOSED:
                withdraw_request(match, membership.user)
        notifications.guardian_withdrew(membership, consent)
