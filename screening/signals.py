"""What the screening records tell the floors above (matching listens: it knows who is matched)."""

from django.dispatch import Signal

# Sent inside the transaction that records or changes a check: check=<Check>.
check_recorded = Signal()
