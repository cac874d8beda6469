"""How soon a reply is expected in a match: the window its pair agreed (agreements), or else the
programme's (MessagingPolicy)."""

import datetime

from agreements.services import reply_windows

from .models import messaging_policy_for


def reply_window(match) -> datetime.timedelta:
    agreed = reply_windows([match.pk]).get(match.pk)
    return datetime.timedelta(hours=agreed or messaging_policy_for(match.programme).response_expectation_hours)


def programme_reply_days(programme) -> int:
    """The programme's window in whole days, for an agreement's first draft."""
    return max(1, round(messaging_policy_for(programme).response_expectation_hours / 24))
