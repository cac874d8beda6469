from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    """Person-level records of the checks a person has passed (a background check, references, an
    interview). Knows people, never programmes: matching decides which checks a role needs."""

    name = "screening"
    verbose_name = _("Screening")
