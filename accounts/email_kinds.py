"""The kinds of e-mail the platform sends, and which of them a person may turn off."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailKind(models.TextChoices):
    WELCOME = "welcome", _("Welcome and getting started")
    MATCH_UPDATES = "match_updates", _("Match requests and changes to your matches")
    NEW_MESSAGE = "new_message", _("New messages")
    DIGEST = "digest", _("Daily or weekly digests")
    REPLY_REMINDER = "reply_reminder", _("Reminders when someone is waiting for your reply")
    CHECK_IN = "check_in", _("Short check-ins: how your mentoring is going")
    MEETINGS = "meetings", _("Meetings: times offered, invitations, changes and reminders")
    ANNOUNCEMENT = "announcement", _("Announcements from your programme's coordinators")
    COORDINATOR_ALERT = "coordinator_alert", _("Alerts for coordinators about pairs that need help")
    MODERATION = "moderation", _("Coordinators: messages and texts held or flagged for review")
    SAFEGUARDING = "safeguarding", _("Safeguarding notices and decisions about what you wrote")
    ACCOUNT = "account", _("Confirming your address and resetting your password")
    INVITATION = "invitation", _("Invitations to join a programme")
    GUARDIAN = "guardian", _("Asking a parent or guardian for consent")


# A person cannot turn these off: a programme must be able to tell them about a concern or a
# decision on something they wrote, and they must be able to get into their account. They carry
# no List-Unsubscribe header. An invitation goes to someone with no account (so no preferences):
# it is one e-mail a coordinator chose to send, with a link to decline. A guardian has no account
# either: they are asked for consent, and told how to withdraw it.
ESSENTIAL_KINDS = frozenset({EmailKind.SAFEGUARDING, EmailKind.ACCOUNT, EmailKind.INVITATION, EmailKind.GUARDIAN})

OPTIONAL_KINDS = [kind for kind in EmailKind if kind not in ESSENTIAL_KINDS]
# Only staff (coordinators) get these, so only they are offered a choice about them.
STAFF_KINDS = frozenset({EmailKind.COORDINATOR_ALERT, EmailKind.MODERATION})


def optional_kinds_for(user) -> list[EmailKind]:
    """The kinds this person may choose to receive or not, on their preferences page."""
    return [kind for kind in OPTIONAL_KINDS if user.is_staff or kind not in STAFF_KINDS]
