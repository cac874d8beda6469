from django.dispatch import Signal

# Sent in the transaction that puts a version in force: agreement.
agreement_in_force = Signal()
