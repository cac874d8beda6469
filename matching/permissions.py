"""Who coordinates what: the basis of every coordinator's view of the admin."""

from django.db.models import QuerySet

from .models import Programme, ProgrammeCoordinator

COORDINATORS_GROUP = "Coordinators"


def coordinated_programmes(user) -> QuerySet:
    """The programmes this person may see in the admin: all for superusers, else those they coordinate."""
    if user.is_superuser:
        return Programme.objects.all()
    return Programme.objects.filter(coordinator_roles__user=user)


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


class ProgrammeScopedAdminMixin:
    """Limit an admin's rows, choices and filters to the programmes the viewer coordinates.

    `programme_path` is the lookup from the model to its Programme ("programme",
    "match__programme", ...; "pk" for Programme itself).
    """

    programme_path = "programme"

    def scope(self, queryset, request):
        if request.user.is_superuser:
            return queryset
        programmes = coordinated_programmes(request.user).values("pk")
        lookup = "pk__in" if self.programme_path == "pk" else f"{self.programme_path}__in"
        return queryset.filter(**{lookup: programmes}).distinct()

    def get_queryset(self, request):
        return self.scope(super().get_queryset(request), request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Programme and not request.user.is_superuser:
            kwargs["queryset"] = coordinated_programmes(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
