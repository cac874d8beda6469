import os

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tools.soak import PROJECT, markdown, run_soak


class Command(BaseCommand):
    help = "Load and fault run on loopback (see mentoring/soak.py); --write-docs updates docs/reliability.md."

    def add_arguments(self, parser):
        parser.add_argument("--pairs", type=int, default=25)
        parser.add_argument("--duration", type=float, default=180)
        parser.add_argument("--redis-outage", type=float, default=60)
        parser.add_argument("--no-kill", action="store_true")
        parser.add_argument("--write-docs", action="store_true")

    def handle(self, *args, pairs, duration, redis_outage, no_kill, write_docs, **options):
        report = run_soak(pairs=pairs, duration=duration, redis_outage=redis_outage, kill_worker=not no_kill)
        text = markdown(report, timezone.now().strftime("%Y-%m-%d %H:%M UTC"), os.cpu_count() or 0)
        self.stdout.write(text)
        if write_docs:
            (PROJECT / "docs").mkdir(exist_ok=True)
            (PROJECT / "docs" / "reliability.md").write_text(text)
        if not report.ok():
            raise CommandError("The soak run found lost, duplicated or failed work (see above).")
