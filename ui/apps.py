from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UiConfig(AppConfig):
    """The look every floor shares: the platform's name, icons and initials avatars. Knows no app of ours."""

    name = "ui"
    verbose_name = _("Look and feel")
