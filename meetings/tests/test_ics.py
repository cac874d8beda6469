"""Every calendar file we write parses with icalendar and with vobject (an independent parser), and its
times read back exactly, across the spring and autumn daylight-saving changes."""

import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from meetings.ics import CalendarEvent, Party, feed, invitation

LONDON, NEW_YORK, KOLKATA = ZoneInfo("Europe/London"), ZoneInfo("America/New_York"), ZoneInfo("Asia/Kolkata")
ORGANIZER = Party("Waymark", "meetings@waymark.example")
SAM = Party("Sam Patel", "sam@example.org")
STAMP = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)

# Across the changes: London springs forward on 29 March 2026 and falls back on 25 October 2026; New York
# on 8 March and 1 November; Kolkata never changes.
MOMENTS = [
    datetime.datetime(2026, 3, 28, 18, 30, tzinfo=LONDON),  # the day before London's change
    datetime.datetime(2026, 3, 29, 18, 30, tzinfo=LONDON),  # the day of it
    datetime.datetime(2026, 3, 14, 9, 0, tzinfo=NEW_YORK),  # New York has moved, London has not
    datetime.datetime(2026, 10, 24, 8, 0, tzinfo=LONDON),
    datetime.datetime(2026, 10, 25, 8, 0, tzinfo=LONDON),
    datetime.datetime(2026, 10, 31, 12, 0, tzinfo=NEW_YORK),  # London has moved back, New York has not
    datetime.datetime(2026, 3, 29, 21, 0, tzinfo=KOLKATA),
    datetime.datetime(2026, 10, 25, 6, 30, tzinfo=KOLKATA),
]


def event(starts_at, sequence=0, cancelled=False):
    return CalendarEvent(
        uid="3f0c2a9e-1b2d-4c5e-8f90-a1b2c3d4e5f6@waymark.example",
        sequence=sequence,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=45),
        summary="Meeting: Sam and Doreen",
        description="Agenda:\n- my personal statement, 2nd draft\n- a café; commas, and \\ backslashes",
        location="Video call: https://meet.jit.si/waymark-3f0c2a9e",
        url="https://waymark.example/meetings/7/",
        cancelled=cancelled,
    )


@pytest.mark.parametrize("starts_at", MOMENTS, ids=lambda m: f"{m.isoformat()}")
def test_an_invitation_parses_with_both_parsers_and_its_times_round_trip_exactly(starts_at):
    text = invitation(event(starts_at), ORGANIZER, SAM, STAMP, "Waymark")

    parsed = icalendar.Calendar.from_ical(text)
    assert str(parsed["method"]) == "REQUEST"
    (ours,) = parsed.walk("VEVENT")
    assert ours.decoded("dtstart") == starts_at and ours.decoded("dtend") - starts_at == datetime.timedelta(minutes=45)
    assert ours.decoded("dtstart").utcoffset() == datetime.timedelta(0)  # written in UTC

    other = vobject.readOne(text)
    assert other.method.value == "REQUEST"
    assert other.vevent.dtstart.value == starts_at
    assert other.vevent.dtend.value == starts_at + datetime.timedelta(minutes=45)
    assert other.vevent.uid.value == "3f0c2a9e-1b2d-4c5e-8f90-a1b2c3d4e5f6@waymark.example"
    assert other.vevent.description.value == event(starts_at).description  # escaping read back whole
    # Wall-clock times people see: the same instant in each zone.
    assert other.vevent.dtstart.value.astimezone(starts_at.tzinfo).replace(tzinfo=None) == starts_at.replace(
        tzinfo=None
    )


def test_the_organizer_is_the_platform_and_the_only_attendee_the_recipient():
    text = invitation(event(MOMENTS[0]), ORGANIZER, SAM, STAMP, "Waymark")
    other = vobject.readOne(text)
    assert other.vevent.organizer.value == "mailto:meetings@waymark.example"
    assert [a.value for a in other.vevent.contents["attendee"]] == ["mailto:sam@example.org"]
    assert other.vevent.attendee.params["RSVP"] == ["FALSE"]
    assert "doreen" not in text.lower().replace("sam and doreen", "")  # no one else's address


def test_an_update_and_a_cancellation_keep_the_uid_and_raise_the_sequence():
    first = icalendar.Calendar.from_ical(invitation(event(MOMENTS[0]), ORGANIZER, SAM, STAMP, "Waymark"))
    moved = icalendar.Calendar.from_ical(invitation(event(MOMENTS[1], sequence=1), ORGANIZER, SAM, STAMP, "Waymark"))
    cancelled = icalendar.Calendar.from_ical(
        invitation(event(MOMENTS[1], sequence=2, cancelled=True), ORGANIZER, SAM, STAMP, "Waymark")
    )
    events = [calendar.walk("VEVENT")[0] for calendar in (first, moved, cancelled)]
    assert len({str(e["uid"]) for e in events}) == 1
    assert [e.decoded("sequence") for e in events] == [0, 1, 2]
    assert [str(c["method"]) for c in (first, moved, cancelled)] == ["REQUEST", "REQUEST", "CANCEL"]
    assert str(events[2]["status"]) == "CANCELLED"


def test_a_feed_holds_every_meeting_and_parses_with_both():
    items = [event(moment, sequence=n) for n, moment in enumerate(MOMENTS)]
    items = [CalendarEvent(**{**item.__dict__, "uid": f"{n}@waymark.example"}) for n, item in enumerate(items)]
    text = feed(items, ORGANIZER, STAMP, "Waymark: Sam's meetings")
    assert [e.decoded("dtstart") for e in icalendar.Calendar.from_ical(text).walk("VEVENT")] == MOMENTS
    other = vobject.readOne(text)
    assert other.method.value == "PUBLISH"
    assert [e.dtstart.value for e in other.contents["vevent"]] == MOMENTS
    assert "attendee" not in text.lower()


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="aware"):
        invitation(event(datetime.datetime(2026, 3, 1, 10, 0)), ORGANIZER, SAM, STAMP, "Waymark")
