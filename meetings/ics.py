"""Calendar files (RFC 5545) for a meeting: the invitation each person gets by e-mail (iTIP, RFC 5546:
METHOD:REQUEST, and METHOD:CANCEL when it is called off) and each person's private feed.

One meeting keeps one UID for its whole life; SEQUENCE goes up with every change that people's calendars
must take (a new time, a new place, a cancellation), so a calendar replaces the event it already has
instead of adding a second one. Times are written in UTC ("Z"): every calendar shows them in its owner's
zone, and they read back exactly. The organizer is the platform's own address and the only attendee
named is the invitation's recipient: no one's address reaches anyone else.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//Waymark//Meetings 1.0//EN"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    sequence: int
    starts_at: datetime.datetime  # aware
    ends_at: datetime.datetime  # aware
    summary: str
    description: str
    location: str
    url: str
    cancelled: bool = False


@dataclass(frozen=True)
class Party:
    name: str
    address: str


def _utc(moment: datetime.datetime) -> datetime.datetime:
    if moment.tzinfo is None:
        raise ValueError("calendar times must be aware")
    return moment.astimezone(datetime.UTC)


def _event(item: CalendarEvent, organizer: Party, attendee: Party | None, stamp: datetime.datetime) -> Event:
    event = Event()
    event.add("uid", item.uid)
    event.add("sequence", item.sequence)
    event.add("dtstamp", _utc(stamp))
    event.add("dtstart", _utc(item.starts_at))
    event.add("dtend", _utc(item.ends_at))
    event.add("summary", item.summary)
    event.add("description", item.description)
    if item.location:
        event.add("location", item.location)
    event.add("url", item.url)
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    who = vCalAddress(f"mailto:{organizer.address}")
    who.params["cn"] = vText(organizer.name)
    event["organizer"] = who
    if attendee is not None:
        guest = vCalAddress(f"mailto:{attendee.address}")
        guest.params["cn"] = vText(attendee.name)
        guest.params["role"] = vText("REQ-PARTICIPANT")
        guest.params["partstat"] = vText("ACCEPTED")  # they agreed the time on the platform
        guest.params["rsvp"] = vText("FALSE")  # answers are given on the platform, not by calendar reply
        event.add("attendee", guest, encode=0)
    return event


def invitation(
    item: CalendarEvent, organizer: Party, attendee: Party, stamp: datetime.datetime, calendar_name: str
) -> str:
    """An iTIP message for one recipient: REQUEST (new or changed) or CANCEL (called off)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if item.cancelled else "REQUEST")
    calendar.add("x-wr-calname", calendar_name)
    calendar.add_component(_event(item, organizer, attendee, stamp))
    return calendar.to_ical().decode()


def feed(items: list[CalendarEvent], organizer: Party, stamp: datetime.datetime, calendar_name: str) -> str:
    """A person's private calendar feed (subscribed by webcal): METHOD:PUBLISH, every meeting in it."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", calendar_name)
    calendar.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    for item in items:
        calendar.add_component(_event(item, organizer, None, stamp))
    return calendar.to_ical().decode()
