from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    """The in-app notifications page: what happened that needs a person (requests, matches, reviews,
    check-ins, meetings). A person-level record: every floor above tells people through it."""

    name = "notices"
    verbose_name = _("Notifications")
