from django.core.management.base import BaseCommand

from messaging.retention import matches_past_retention, purge_expired_messages


class Command(BaseCommand):
    help = "Delete messages of matches closed longer ago than their programme's retention period (holds excepted)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only say how many matches are past retention.")

    def handle(self, *args, dry_run: bool = False, **options):
        if dry_run:
            self.stdout.write(f"{matches_past_retention().count()} closed matches are past their retention period.")
            return
        self.stdout.write(f"Deleted {purge_expired_messages()} messages past their retention period.")
