"""Run the reply receiver: `manage.py receive_email` (the Procfile's "mail" process)."""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from inbound_mail.receiver import ReplyController


class Command(BaseCommand):
    help = "Receive replies by e-mail over SMTP (or LMTP) for REPLY_EMAIL_DOMAIN."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.INBOUND_EMAIL_HOST)
        parser.add_argument("--port", type=int, default=settings.INBOUND_EMAIL_PORT)
        parser.add_argument("--lmtp", action="store_true", default=settings.INBOUND_EMAIL_LMTP)

    def handle(self, *args, host, port, lmtp, **options):
        if not settings.REPLY_EMAIL_DOMAIN:
            self.stderr.write("REPLY_EMAIL_DOMAIN is not set: every recipient would be refused.")
        controller = ReplyController(host, port, lmtp=lmtp)
        controller.start()
        protocol = "LMTP" if lmtp else "SMTP"
        self.stdout.write(
            f"Receiving replies for {settings.REPLY_EMAIL_DOMAIN or '(no domain)'} by {protocol} on {host}:{port}"
        )
        stop = threading.Event()
        for name in (signal.SIGINT, signal.SIGTERM):
            signal.signal(name, lambda *_: stop.set())
        try:
            stop.wait()
        finally:
            controller.stop()
