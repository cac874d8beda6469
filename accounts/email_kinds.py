"""The kinds of e-mail the platform sends, and which of them a person may turn off."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailKind(models.TextChoices):
    WELCOME = "welcome", _("Welcome and getting started")
    MATCH_UPDATES = "match_updates", _("Match requests and changes to your matches")
    NEW_MESSAGE = "new_message", _("New messages")
    DIGEST = "digest", _("Daily or weekly digests")
    REPLY_REMINDER = "reply_reminder", _("Reminders when someone is waiting for your reply")
    GOAL_REMINDER = "goal_reminder", _("Reminders about goals that are due")
    COORDINATOR_ALERT = "coordinator_alert", _("Alerts for coordinators about pairs that need help")
    SAFEGUARDING = "safeguarding", _("Safeguarding and moderation notices")
    ACCOUNT = "account", _("Confirming your address and resetting your password")


# A person cannot turn these off: a programme must be able to tell them about a concern or a
# decision on something they wrote, and they must be able to get into their account. They carry
# no List-Unsubscribe header.
ESSENTIAL_KINDS = frozenset({EmailKind.SAFEGUARDING, EmailKind.ACCOUNT})

OPTIONAL_KINDS = [kind for kind in EmailKind if kind not in ESSENTIAL_KINDS]
