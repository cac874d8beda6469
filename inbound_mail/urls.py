"""One inbound webhook per provider named in INBOUND_EMAIL_PROVIDERS; none at all by default, so an
unconfigured provider's URL does not exist (anymail would otherwise take posts with only a warning)."""

from anymail.webhooks.brevo import BrevoInboundWebhookView
from anymail.webhooks.mailgun import MailgunInboundWebhookView
from anymail.webhooks.mailjet import MailjetInboundWebhookView
from anymail.webhooks.postmark import PostmarkInboundWebhookView
from anymail.webhooks.sparkpost import SparkPostInboundWebhookView
from django.conf import settings
from django.urls import path

from .webhooks import refusing_malformed

app_name = "inbound_mail"

VIEWS = {
    "brevo": BrevoInboundWebhookView,
    "mailgun": MailgunInboundWebhookView,
    "mailjet": MailjetInboundWebhookView,
    "postmark": PostmarkInboundWebhookView,
    "sparkpost": SparkPostInboundWebhookView,
}

urlpatterns = [
    path(f"email/inbound/{provider}/", refusing_malformed(VIEWS[provider]).as_view(), name=f"{provider}_inbound")
    for provider in settings.INBOUND_EMAIL_PROVIDERS
]
