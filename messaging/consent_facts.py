"""What a guardian is told about messages when asked for consent (matching.extensions.consent_facts):
that they are kept, who can read them, what e-mails say, and for how long (the templates say the days)."""

from django.utils.translation import gettext as _

from .models import messaging_policy_for


def consent_facts(programme) -> dict:
    policy = messaging_policy_for(programme)
    safeguarding = [_("The programme's coordinators can read every conversation, to keep everyone safe.")]
    if not policy.emails_include_message_text:
        safeguarding.append(_("Notification e-mails say that a message has arrived, never what it says."))
    return {
        "kept": [_("Their messages with their mentor.")],
        "safeguarding": safeguarding,
        "retention_days": policy.retention_days,
    }
