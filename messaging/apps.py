from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = _("Messaging")

    def ready(self):
        from accounts.delivery import register_send_hook

        from . import receivers  # noqa: F401 - connects to matching's signals
        from .notifications import NEW_MESSAGE_TEMPLATE, refresh_new_message_email

        register_send_hook(NEW_MESSAGE_TEMPLATE, refresh_new_message_email)
