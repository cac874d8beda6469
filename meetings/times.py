"""Times for two (or more) people hours apart: what a slot is in each one's zone, whether it falls in
anyone's quiet hours or night, and which slots suit everyone (each person's waking hours, outside their
quiet hours, and inside their weekly availability if they gave one).

Everything here takes aware datetimes and returns UTC ones; wall-clock times are worked out in each
person's own zone, so a suggestion at 18:00 in London stays at 18:00 across the daylight-saving changes.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from accounts.schedule import in_quiet_hours

STEP = datetime.timedelta(minutes=30)  # suggestions start on the hour or the half hour
CHECK_EVERY = datetime.timedelta(minutes=15)
NIGHT_STARTS, NIGHT_ENDS = datetime.time(23, 0), datetime.time(6, 0)
SEARCH_DAYS = 14


@dataclass(frozen=True)
class Window:
    """A stretch of a week a person said suits them, in their own zone (Monday is 0)."""

    weekday: int
    start: datetime.time
    end: datetime.time


def _moments(starts_at: datetime.datetime, duration: datetime.timedelta) -> list[datetime.datetime]:
    """The slot's start, every quarter of an hour within it, and its last minute."""
    moments, moment = [], starts_at
    while moment < starts_at + duration:
        moments.append(moment)
        moment += CHECK_EVERY
    return [*moments, starts_at + duration - datetime.timedelta(minutes=1)]


def _at_night(person, moment: datetime.datetime) -> bool:
    local = moment.astimezone(person.zone).time()
    return local >= NIGHT_STARTS or local < NIGHT_ENDS


def problems(person, starts_at: datetime.datetime, duration: datetime.timedelta) -> list[str]:
    """What is wrong with the slot for this person: "quiet hours", "night", both or neither."""
    moments = _moments(starts_at, duration)
    found = []
    if any(in_quiet_hours(person, moment) for moment in moments):
        found.append("quiet hours")
    if any(_at_night(person, moment) for moment in moments):
        found.append("night")
    return found


def _inside_windows(person, windows: Sequence[Window], starts_at, duration) -> bool:
    if not windows:
        return True  # no availability given: any waking time outside quiet hours will do
    local_start = starts_at.astimezone(person.zone)
    local_end = (starts_at + duration).astimezone(person.zone)
    if local_end.date() != local_start.date():
        return False
    return any(
        window.weekday == local_start.weekday()
        and window.start <= local_start.time()
        and local_end.time() <= window.end
        for window in windows
    )


def suits(person, windows: Sequence[Window], starts_at, duration) -> bool:
    return not problems(person, starts_at, duration) and _inside_windows(person, windows, starts_at, duration)


def suggestions(
    people: Iterable,
    windows: dict[int, Sequence[Window]],
    duration: datetime.timedelta,
    after: datetime.datetime,
    until: datetime.datetime | None = None,
    count: int = 3,
) -> list[datetime.datetime]:
    """Up to `count` starts that suit everyone, the earliest of each day from the day after `after`, never
    beyond `until`: for the proposer to pick from."""
    people = list(people)
    first = (after + datetime.timedelta(days=1)).astimezone(datetime.UTC)
    moment = first.replace(minute=0, second=0, microsecond=0)
    while moment < first:
        moment += STEP
    last = after + datetime.timedelta(days=SEARCH_DAYS + 1)
    if until is not None:
        last = min(last, until)
    found, days = [], set()
    while moment + duration <= last and len(found) < count:
        day = moment.astimezone(people[0].zone).date()
        if day not in days and all(suits(p, windows.get(p.pk, ()), moment, duration) for p in people):
            found.append(moment)
            days.add(day)
        moment += STEP
    return found
