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

    def add_arguments(self, parser):
        parser.add_argument(
            "--page", action="append", default=[],
            help="Audit only this page (repeatable), a given number of times, and write no files: for a closer look.",
        )  # fmt: skip
        parser.add_argument("--times", type=int, default=1, help="With --page: how many runs of each.")

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
        if options["page"]:
            unknown = set(options["page"]) - {name for name, _path, _signed_in in pages}
            if unknown:
                raise CommandError(f"No such page: {', '.join(sorted(unknown))}.")
            return self.closer_look([p for p in pages if p[0] in options["page"]], options["times"], cookie)
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

    def closer_look(self, pages, times, cookie):
        """Each page's scores and its main timings, run after run; the full reports stay in .venv/audit/reports."""
        port = free_port()
        server = audit.serve(port, settings.SECRET_KEY)
        try:
            wait_for_port(port)
            for _run in range(times):
                for result, timings in audit.run_with_timings(pages, cookie, port, runs=1):
                    scores = " ".join(f"{name}={score}" for name, score in result.scores.items())
                    self.stdout.write(f"{result.page} {result.form_factor}: {scores} · {timings}\n")
        finally:
            server.terminate()
            server.wait(timeout=15)
