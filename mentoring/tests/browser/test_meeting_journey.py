"""A meeting from first offer to cancellation, in real Chromium and through a real SMTP server: Doreen in
New York offers times in her zone (a time in the past is refused), Sam in London picks one on his phone
from the e-mail's link, both receive an invitation whose .ics reads back exactly in icalendar and vobject;
Doreen moves it, Sam agrees the new time (the same UID, SEQUENCE 1), then Sam cancels (METHOD:CANCEL)."""

import datetime
import re
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from accounts.tests.factories import DEFAULT_PASSWORD
from meetings.models import Meeting, MeetingPolicy
from messaging.tests.helpers import one_to_one

from .test_journey import sign_in
from .test_safe_lifecycle import mail_to

NEW_YORK, LONDON = ZoneInfo("America/New_York"), ZoneInfo("Europe/London")
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def in_days(days, hour):
    """A wall-clock time in New York, `days` from today there."""
    day = datetime.datetime.now(NEW_YORK).date() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=NEW_YORK)


def calendar_sent_to(sink, address):
    """The newest calendar file the SMTP server received for the address: (method, icalendar event, vobject)."""
    received = [r for r in sink.received if any(address in to for to in r.rcpt_tos)]
    (part,) = [p for p in received[-1].message.walk() if p.get_content_type() == "text/calendar"]
    text = part.get_payload(decode=True).decode()
    return part.get_param("method"), icalendar.Calendar.from_ical(text).walk("VEVENT")[0], vobject.readOne(text).vevent


@pytest.mark.django_db(transaction=True)
def test_offer_pick_move_and_cancel_a_meeting_across_time_zones(new_page, smtp_sink, screenshot):
    conversation, sam, doreen = one_to_one(mentee_name="Sam Patel", mentor_name="Doreen Okafor")
    sam.timezone, doreen.timezone = "Europe/London", "America/New_York"
    sam.save(update_fields=["timezone"])
    doreen.save(update_fields=["timezone"])
    MeetingPolicy.objects.create(programme=conversation.match.programme,
                                 video_link_template="https://meet.jit.si/waymark-{room}")  # fmt: skip
    first, second, moved = in_days(3, 14), in_days(4, 14), in_days(6, 15)

    mentor = new_page()
    sign_in(mentor, doreen.email, DEFAULT_PASSWORD)
    mentor.goto(f"/messages/{conversation.pk}/")
    mentor.get_by_role("link", name="Meetings").click()
    mentor.wait_for_url("**/meetings/")
    mentor.fill(
        "input[name=slot_1]", (datetime.datetime.now(NEW_YORK) - datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    )
    mentor.click("button:has-text('Offer these times')")
    assert "in the past or less than an hour away" in mentor.inner_text("main")
    assert not Meeting.objects.exists()
    mentor.fill("input[name=slot_1]", first.strftime("%Y-%m-%dT%H:%M"))
    mentor.fill("input[name=slot_2]", second.strftime("%Y-%m-%dT%H:%M"))
    mentor.click("button:has-text('Offer these times')")
    mentor.wait_for_url("**/meetings/*/")
    screenshot(mentor, "meeting-01-offered")
    meeting = Meeting.objects.get()

    text, html = mail_to(smtp_sink, sam.email)
    sams_first = first.astimezone(LONDON)
    assert f"{sams_first:%A} {sams_first.day} {sams_first:%B, %H:%M}" in text and "Doreen Okafor" in html
    link = re.search(r"https?://[^/\s]+(/meetings/\d+/)", text).group(1)

    mentee = new_page(**PHONE)
    sign_in(mentee, sam.email, DEFAULT_PASSWORD)
    mentee.goto(link)
    page_text = mentee.inner_text("main")
    assert f"Sam Patel: {sams_first:%a} {sams_first.day} {sams_first:%b, %H:%M}" in page_text
    assert f"Doreen Okafor: {first:%a} {first.day} {first:%b, %H:%M}" in page_text  # both zones side by side
    screenshot(mentee, "meeting-02-choose")
    mentee.locator("button:has-text('This one')").first.click()
    mentee.wait_for_load_state()
    assert "Agreed" in mentee.inner_text("main")

    for person in (sam, doreen):
        text, html = mail_to(smtp_sink, person.email)
        assert "Your meeting with" in text and f"https://meet.jit.si/waymark-{meeting.room}" in html
        method, event, other = calendar_sent_to(smtp_sink, person.email)
        assert method == "REQUEST" and event.decoded("dtstart") == first and other.dtstart.value == first
        assert other.sequence.value == "0" and [a.value for a in other.contents["attendee"]] == [
            f"mailto:{person.email}"
        ]
    uid = str(event["uid"])

    # Doreen moves it; until Sam agrees the new time, the calendars keep the old one.
    mentor.goto(link)
    mentor.click("summary:has-text('Move this meeting')")
    mentor.fill("details input[name=slot_1]", moved.strftime("%Y-%m-%dT%H:%M"))
    mentor.click("details button:has-text('Offer these times')")
    mentor.wait_for_load_state()
    mentee.goto(link)
    mentee.locator("button:has-text('This one')").click()
    mentee.wait_for_load_state()
    mail_to(smtp_sink, sam.email)
    method, event, other = calendar_sent_to(smtp_sink, sam.email)
    assert (method, str(event["uid"]), other.sequence.value) == ("REQUEST", uid, "1")
    assert other.dtstart.value == moved

    mentee.goto(link)
    mentee.click("button:has-text('Cancel this meeting')")
    mentee.wait_for_load_state()
    text, _html = mail_to(smtp_sink, doreen.email)
    assert "Sam Patel cancelled the meeting" in text
    method, event, other = calendar_sent_to(smtp_sink, doreen.email)
    assert (method, str(event["uid"]), other.sequence.value, other.status.value) == ("CANCEL", uid, "2", "CANCELLED")
    screenshot(mentee, "meeting-03-cancelled")
