from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Mentoring agreements")

    def ready(self):
        from matching.extensions import register_match_panel

        from . import match_panel

        # The match page shows the pair's agreement, or asks them to make one.
        register_match_panel(match_panel.TEMPLATE, match_panel.context)
