"""What a guardian's answer tells the floors above (matching listens: it knows the enrolment)."""

from django.dispatch import Signal

# Each sent inside the transaction that records the answer: consent=<GuardianConsent>.
consent_given = Signal()
consent_declined = Signal()
consent_withdrawn = Signal()
