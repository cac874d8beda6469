"""The built-in receiver: an SMTP (or, behind one's own mail server, LMTP) server by aiosmtpd, run as the
Procfile's "mail" process (`manage.py receive_email`).

It takes mail only for reply addresses (any other recipient is refused at RCPT TO, so it never relays
and never accepts what it would then have to bounce) and only up to INBOUND_EMAIL_MAX_BYTES (552 at
MAIL FROM's SIZE or during DATA). What it accepts, it hands to messaging's one use case; an e-mail that
is refused there is still accepted here (250): its sender is told why by e-mail, once.
"""

import asyncio
import logging

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP
from django.conf import settings
from django.db import close_old_connections

from messaging import email_replies, reply_addresses

from . import reading

logger = logging.getLogger(__name__)


def read_raw(raw: bytes, recipients: list[str], envelope_sender: str | None, channel: str):
    message = reading.parse_bytes(raw)
    return reading.read(
        message,
        channel=channel,
        size=len(raw),
        recipients=recipients,
        envelope_sender=envelope_sender,
        authenticated=reading.authentication_from(message, settings.INBOUND_EMAIL_AUTHSERV_ID),
    )


def receive_raw(raw: bytes, recipients: list[str], envelope_sender: str | None, channel: str):
    """One e-mail, in a worker thread: Django's database connections are per thread."""
    close_old_connections()
    try:
        return email_replies.receive(read_raw(raw, recipients, envelope_sender, channel))
    finally:
        close_old_connections()


class ReplyHandler:
    def __init__(self, channel: str):
        self.channel = channel

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if not reply_addresses.is_reply_address(address):
            return "550 5.1.1 Not a reply address: this server only takes replies"
        if reply_addresses.key_of(address) is None:
            # Altered or made up: refused here, so that no answer is ever sent to whoever forged it.
            return "550 5.1.1 No such reply address"
        if len(envelope.rcpt_tos) >= 10:
            return "452 4.5.3 Too many recipients"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content or b""
        # RFC 5321: the reverse-path of a bounce is empty ("MAIL FROM:<>"), which aiosmtpd reads as "".
        sender = (envelope.mail_from or "").strip().strip("<>").lower()
        try:
            await asyncio.to_thread(receive_raw, raw, list(envelope.rcpt_tos), sender, self.channel)
        except Exception:
            logger.exception("A reply by e-mail could not be handled")
            return "451 4.3.0 Could not take it now, try again later"
        if self.channel == "lmtp":  # RFC 2033: one answer per recipient
            return "\r\n".join("250 2.0.0 OK" for _ in envelope.rcpt_tos)
        return "250 2.0.0 OK"


class ReplyController(Controller):
    def __init__(self, host: str, port: int, lmtp: bool = False):
        self.lmtp = lmtp
        super().__init__(
            ReplyHandler("lmtp" if lmtp else "smtp"),
            hostname=host,
            port=port,
            data_size_limit=settings.INBOUND_EMAIL_MAX_BYTES,
            decode_data=False,
            enable_SMTPUTF8=True,
            ident=f"{settings.PLATFORM_NAME} reply receiver",
        )

    def factory(self):
        server_class = LMTP if self.lmtp else SMTP
        return server_class(self.handler, **self.SMTP_kwargs)
