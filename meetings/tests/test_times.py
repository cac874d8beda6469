"""Suggested times for people hours apart: outside everyone's quiet hours and night, inside their weekly
availability, and at the same local hour on both sides of a daylight-saving change."""

import datetime
from zoneinfo import ZoneInfo

from accounts.models import User
from meetings.times import Window, problems, suggestions

UTC = datetime.UTC


def person(pk, zone, quiet=(datetime.time(21, 0), datetime.time(8, 0))):
    return User(pk=pk, timezone=zone, quiet_hours_start=quiet[0], quiet_hours_end=quiet[1])


def local(moment, who):
    return moment.astimezone(who.zone)


def test_london_and_new_york_get_evenings_in_london_and_afternoons_in_new_york():
    sam, doreen = person(1, "Europe/London"), person(2, "America/New_York")
    found = suggestions([sam, doreen], {}, datetime.timedelta(hours=1), datetime.datetime(2026, 3, 2, 9, tzinfo=UTC))
    assert len(found) == 3
    assert len({local(m, sam).date() for m in found}) == 3  # one a day
    for moment in found:
        assert not problems(sam, moment, datetime.timedelta(hours=1))
        assert not problems(doreen, moment, datetime.timedelta(hours=1))
        assert datetime.time(8) <= local(moment, sam).time() and local(
            moment + datetime.timedelta(hours=1), sam
        ).time() <= datetime.time(21)
        assert datetime.time(8) <= local(moment, doreen).time()
    # The earliest that suits both on 3 March: 08:00 in New York is 13:00 in London.
    assert local(found[0], doreen) == datetime.datetime(2026, 3, 3, 8, 0, tzinfo=ZoneInfo("America/New_York"))


def test_weekly_availability_keeps_the_local_hour_across_the_changes():
    """Sam is free on Thursdays 13:00-15:00 London time; Priya in Kolkata gave no availability. Before and
    after 29 March (London's change) the suggestion stays at 13:00 in London; in Kolkata it moves an hour."""
    sam, priya = person(1, "Europe/London"), person(2, "Asia/Kolkata")
    sam_free = {1: [Window(3, datetime.time(13), datetime.time(15))]}
    found = suggestions([sam, priya], sam_free, datetime.timedelta(hours=1),
                        datetime.datetime(2026, 3, 20, 9, tzinfo=UTC), count=2)  # fmt: skip
    assert [local(m, sam).strftime("%a %d %b %H:%M") for m in found] == ["Thu 26 Mar 13:00", "Thu 02 Apr 13:00"]
    assert [local(m, priya).strftime("%H:%M") for m in found] == ["18:30", "17:30"]  # GMT+5:30, then BST+4:30
    assert [m.utcoffset() for m in found] == [datetime.timedelta(0)] * 2


def test_problems_name_quiet_hours_and_night_for_the_person_it_falls_on():
    sam, doreen = person(1, "Europe/London"), person(2, "America/New_York")
    slot = datetime.datetime(2026, 10, 31, 7, 30, tzinfo=ZoneInfo("Europe/London"))  # New York: 03:30
    assert problems(sam, slot, datetime.timedelta(minutes=45)) == ["quiet hours"]
    assert problems(doreen, slot, datetime.timedelta(minutes=45)) == ["quiet hours", "night"]
    ends_in_quiet = datetime.datetime(2026, 10, 31, 20, 30, tzinfo=ZoneInfo("Europe/London"))
    assert problems(sam, ends_in_quiet, datetime.timedelta(hours=1)) == ["quiet hours"]  # runs past 21:00
    assert problems(sam, ends_in_quiet, datetime.timedelta(minutes=30)) == []


def test_nothing_is_suggested_beyond_the_end_it_is_given():
    sam, doreen = person(1, "Europe/London"), person(2, "America/New_York")
    after = datetime.datetime(2026, 3, 2, 9, tzinfo=UTC)
    assert (
        suggestions([sam, doreen], {}, datetime.timedelta(hours=1), after, until=after + datetime.timedelta(days=1))
        == []
    )
