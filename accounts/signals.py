from django.dispatch import Signal

# Sent inside the transaction that turns a person's away mode on, changes it or ends it: user.
away_changed = Signal()
