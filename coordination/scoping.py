"""How the admin keeps each coordinator to their programmes: their rows, their filters, and every
picker's choices (a submitted id outside them is refused by the form field itself)."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from matching.models import Match, Membership, Programme
from matching.permissions import coordinated_programmes, people_of


def choices_for(model, user) -> QuerySet | None:
    """What a picker of `model` may offer (and accept) to this person in the admin; None: no limit."""
    if user.is_superuser:
        return None
    programmes = coordinated_programmes(user).values("pk")
    if model is Programme:
        return coordinated_programmes(user)
    if model is get_user_model():
        return people_of(user)
    if model is Membership:
        return Membership.objects.filter(programme__in=programmes)
    if model is Match:
        return Match.objects.filter(programme__in=programmes)
    return None


class ScopedChoicesMixin:
    """Every person, programme, enrolment and match picker of an admin page or inline, limited to the
    viewer's programmes in the form field's own queryset: a submitted id outside it is refused (the
    autocomplete widget only limits what is suggested)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        choices = choices_for(db_field.related_model, request.user)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        choices = choices_for(db_field.related_model, request.user)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ProgrammeScopedAdminMixin(ScopedChoicesMixin):
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
