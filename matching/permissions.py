"""Who coordinates what: the basis of every coordinator's view of the admin."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from .models import Programme, ProgrammeCoordinator

COORDINATORS_GROUP = "Coordinators"


def coordinated_programmes(user) -> QuerySet:
    """The programmes this person may see in the admin: all for superusers, else those they coordinate."""
    if user.is_superuser:
        return Programme.objects.all()
    return Programme.objects.filter(coordinator_roles__user=user)


def people_of(user) -> QuerySet:
    """The people a coordinator may see and pick in the admin: those already in their programmes (as
    members or coordinators), and themselves. Anyone else joins a programme only by an invitation."""
    people = get_user_model().objects.all()
    if user.is_superuser:
        return people
    programmes = coordinated_programmes(user).values("pk")
    return people.filter(
        Q(pk=user.pk) | Q(memberships__programme__in=programmes) | Q(coordinator_roles__programme__in=programmes)
    ).distinct()


def safeguarding_programmes(user) -> QuerySet:
    if user.is_superuser:
        return Programme.objects.all()
    return Programme.objects.filter(coordinator_roles__user=user, coordinator_roles__is_safeguarding_lead=True)


def leads_safeguarding(user, programme_id: int) -> bool:
    return (
        user.is_superuser
        or ProgrammeCoordinator.objects.filter(user=user, programme_id=programme_id, is_safeguarding_lead=True).exists()
    )


def coordinates(user, programme_id: int) -> bool:
    return user.is_superuser or ProgrammeCoordinator.objects.filter(user=user, programme_id=programme_id).exists()
