"""The providers' way in: django-anymail's inbound webhooks, one URL per provider named in
INBOUND_EMAIL_PROVIDERS (inbound_mail/urls.py).

Anymail checks each post (HTTP basic auth with ANYMAIL_WEBHOOK_SECRET for all, and Mailgun's HMAC
signature) before it sends the `inbound` signal; a post that fails is answered 400 and reaches no code
of ours. The message it parsed is read like one from the receiver, with the provider's own SPF and DKIM
verdicts where it reports them.
"""

import logging

from anymail.exceptions import AnymailError
from anymail.signals import inbound
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseBadRequest

from messaging import email_replies
from messaging.email_replies import verdict

from . import reading

logger = logging.getLogger(__name__)


def _first_word(value) -> str:
    return str(value or "").strip().split(" ", 1)[0].split(";", 1)[0].lower()


def provider_verdict(esp_name: str, event) -> bool | None:
    message = event.message
    if esp_name == "Mailgun":
        return verdict(
            _first_word(message.get("X-Mailgun-Spf")), _first_word(message.get("X-Mailgun-Dkim-Check-Result"))
        )
    if esp_name == "Postmark":
        return verdict(_first_word(message.get("Received-SPF")))
    return None


@receiver(inbound, dispatch_uid="inbound_mail.reply_by_email")
def reply_by_email(sender, event, esp_name, **kwargs):
    message = event.message
    try:
        raw_size = len(message.as_bytes())
    except Exception:  # noqa: BLE001 - a message the provider parsed but that cannot be re-serialised
        raw_size = 0
    envelope_recipient = getattr(message, "envelope_recipient", None)
    incoming = reading.read(
        message,
        channel=esp_name.lower().replace(" ", "_"),
        size=raw_size,
        recipients=[envelope_recipient] if envelope_recipient else None,
        envelope_sender=getattr(message, "envelope_sender", None),
        authenticated=provider_verdict(esp_name, event),
    )
    email_replies.receive(incoming)


def refusing_malformed(view_class):
    """An anymail inbound view that answers 400 to a post it cannot parse (anymail lets a missing field
    or broken JSON become a 500, which providers take as "try again later", forever). Checked first,
    as anymail does: an unsigned post is refused before anything in it is read."""

    class InboundView(view_class):
        def post(self, request, *args, **kwargs):
            try:
                self.run_validators(request)
            except AnymailError:
                logger.warning("An unsigned or forged %s inbound post was refused", self.esp_name)
                return HttpResponseBadRequest("Not signed.", content_type="text/plain")
            try:
                events = self.parse_events(request)
            except (KeyError, IndexError, ValueError, TypeError, AttributeError, AnymailError):
                logger.warning("A malformed %s inbound post was refused", self.esp_name, exc_info=True)
                return HttpResponseBadRequest("Malformed inbound e-mail post.", content_type="text/plain")
            for event in events:
                self.signal.send(sender=view_class, event=event, esp_name=self.esp_name)
            return HttpResponse()

    InboundView.__name__ = InboundView.__qualname__ = view_class.__name__
    return InboundView
