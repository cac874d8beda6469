from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from matching.extensions import register_match_panel

        from . import match_panel

        # The match page shows the next meeting and the way to suggest one.
        register_match_panel(match_panel.TEMPLATE, match_panel.context)
