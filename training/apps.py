from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    """Short modules people complete before they are matched, and the record of who completed which
    version. Knows people, never programmes: matching decides which modules a role needs."""

    name = "training"
    verbose_name = _("Training")
