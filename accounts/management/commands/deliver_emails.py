from django.core.management.base import BaseCommand

from accounts.delivery import deliver_due_emails
from accounts.models import OutboundEmail


class Command(BaseCommand):
    help = "Deliver every due e-mail now (what the beat sweeper does each minute), until none is left."

    def handle(self, *args, **options):
        totals: dict[str, int] = {}
        while outcome := deliver_due_emails():
            for status, count in outcome.items():
                totals[status] = totals.get(status, 0) + count
        waiting = OutboundEmail.objects.filter(status__in=["pending", "sending"]).count()
        self.stdout.write(f"Delivered: {totals or 'nothing due'}; still pending or sending (not yet due): {waiting}")
