"""When a person may be e-mailed: their digest time and their quiet hours, in their own zone.

Times are stored in UTC and computed from the local wall clock, so a digest at 08:00 stays at
08:00 local across daylight-saving changes.
"""

import datetime

from django.utils import timezone

MONDAY = 0


def _local_at(day: datetime.date, hour: int, zone) -> datetime.datetime:
    # A wall time that does not exist (the hour skipped in spring) resolves forward, as clocks do.
    local = datetime.datetime.combine(day, datetime.time(hour), tzinfo=zone)
    return local.astimezone(datetime.UTC).astimezone(zone)


def next_digest_at(user, after: datetime.datetime | None = None) -> datetime.datetime | None:
    """The next moment, strictly after `after`, when this person's digest is due; None if they get none."""
    from .models import User

    preference = user.notification_preference
    if preference not in (User.NotificationPreference.DAILY_DIGEST, User.NotificationPreference.WEEKLY_DIGEST):
        return None
    zone = user.zone
    after = (after or timezone.now()).astimezone(zone)
    day = after.date()
    for _ in range(15):
        candidate = _local_at(day, user.digest_hour, zone)
        weekly_ok = preference == User.NotificationPreference.DAILY_DIGEST or day.weekday() == user.digest_weekday
        if candidate > after and weekly_ok:
            return candidate.astimezone(datetime.UTC)
        day += datetime.timedelta(days=1)
    raise AssertionError("a digest day is always found within two weeks")


def in_quiet_hours(user, at: datetime.datetime) -> bool:
    local = at.astimezone(user.zone).time()
    start, end = user.quiet_hours_start, user.quiet_hours_end
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end  # spans midnight, e.g. 21:00-08:00


def next_allowed_time(user, at: datetime.datetime | None = None) -> datetime.datetime:
    """`at`, or the end of the person's quiet hours if `at` falls inside them."""
    at = at or timezone.now()
    if not in_quiet_hours(user, at):
        return at
    local = at.astimezone(user.zone)
    end = datetime.datetime.combine(local.date(), user.quiet_hours_end, tzinfo=user.zone)
    if end <= local:
        end = datetime.datetime.combine(
            local.date() + datetime.timedelta(days=1), user.quiet_hours_end, tzinfo=user.zone
        )
    return end.astimezone(datetime.UTC)
