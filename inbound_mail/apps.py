from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboundMailConfig(AppConfig):
    name = "inbound_mail"
    verbose_name = _("Replies by e-mail")

    def ready(self):
        from . import webhooks  # noqa: F401 - connects to anymail's inbound signal
