import json
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from messaging.models import Participant
from tools import audit
from tools.smtp_sink import free_port
from tools.soak import wait_for_port


class Command(BaseCommand):
    help = "Lighthouse on the main pages, phone and desktop (see tools/audit.py): docs/audit.md."

    def handle(self, *args, **options):
        if not audit.LIGHTHOUSE.exists():
            raise CommandError("Lighthouse is missing: run `make audit`, which installs it.")
        mentee = (
            User.objects.filter(is_staff=False, participations__isnull=False).order_by("pk").first()
            or User.objects.filter(is_staff=False).order_by("pk").first()
        )
        if mentee is None:
            raise CommandError("No demo people: run `manage.py seed_demo` first (make audit does).")
        client = Client()
        client.force_login(mentee)
        cookie = f"sessionid={client.cookies['sessionid'].value}"
        conversation = Participant.objects.filter(user=mentee).values_list("conversation_id", flat=True).first()
        pages = [  # (name, path, signed in?): the landing page is the home page signed out
            ("landing", "/", False),
            ("sign-in", reverse("account_login"), False),
            ("dashboard", "/", True),
            ("inbox", reverse("messaging:inbox"), True),
            *([("thread", reverse("messaging:thread", args=[conversation]), True)] if conversation else []),
            ("search", reverse("messaging:search") + "?q=week", True),
            ("profile", reverse("accounts:profile"), True),
            ("programme list", reverse("matching:programmes"), True),
        ]
        port = free_port()
        server = audit.serve(port, settings.SECRET_KEY)
        try:
            wait_for_port(port)
            results = audit.run(pages, cookie, port)
            taken = audit.screenshots(pages, cookie, port)
        finally:
            server.terminate()
            server.wait(timeout=15)
        text = audit.markdown(results, timezone.now().strftime("%Y-%m-%d %H:%M UTC"))
        (audit.PROJECT / "docs" / "audit.md").write_text(text)
        (audit.PROJECT / "bench" / "results" / "audit.json").write_text(
            json.dumps([result.__dict__ for result in results], indent=2) + "\n"
        )
        self.stdout.write(text)
        self.stdout.write(f"{len(taken)} screenshots in docs/screenshots/.\n")
        short = [r for r in results if min(r.scores.values()) < 100]
        if short:
            sys.stderr.write(f"{len(short)} of {len(results)} audits are below 100 (docs/audit.md says where).\n")
            raise CommandError("Lighthouse found pages below 100.")
