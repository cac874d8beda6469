"""matching reacts to the person-level records below it (accounts' away mode, screening, consent); they never
import it."""

from django.dispatch import receiver

from accounts.signals import away_changed
from consent.signals import consent_declined, consent_given, consent_withdrawn
from screening.models import Check
from screening.signals import check_recorded

from . import away, guardians
from .check_expiry import alert_for_current_matches


@receiver(consent_given)
def guardian_gave_consent(sender, consent, **kwargs):
    guardians.given(consent)


@receiver(consent_declined)
def guardian_declined_consent(sender, consent, **kwargs):
    guardians.declined(consent)


@receiver(consent_withdrawn)
def guardian_withdrew_consent(sender, consent, **kwargs):
    guardians.withdrawn(consent)


@receiver(check_recorded)
def check_no_longer_holds(sender, check, **kwargs):
    """A check recorded as not cleared, or dated so that it has already run out, for someone in a
    current match: their coordinators hear at once (a match never ends silently over a check)."""
    if not check.is_in_force() and check.outcome != Check.Outcome.PENDING:
        alert_for_current_matches([check], f"recorded:{check.pk}:{check.outcome}")


@receiver(away_changed)
def person_went_away(sender, user, **kwargs):
    away.away_changed(user)
