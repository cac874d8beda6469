from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Programmes and matching")

    def ready(self):
        from . import receivers  # noqa: F401 - connects to screening's and consent's signals
