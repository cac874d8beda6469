"""Meetings from first offer to cancellation: times in each person's zone, invitations with a calendar file
that keeps one UID and a rising SEQUENCE, approval of meetings in person, bad input, and who may see what."""

import datetime
import re
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
import vobject
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from accounts import delivery
from accounts.models import OutboundEmail
from accounts.tests.factories import UserFactory
from matching.models import ProgrammeCoordinator
from matching.permissions import COORDINATORS_GROUP
from matching.tests.factories import MenteeFactory
from meetings import calendar, services
from meetings.models import Meeting, MeetingPolicy
from messaging.tests.helpers import coordinator_of, one_to_one

# Monday 2 March 2026, 09:00 UTC: London on GMT, New York on EST until 8 March, Kolkata at +05:30.
NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
LONDON, NEW_YORK = ZoneInfo("Europe/London"), ZoneInfo("America/New_York")


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def pair(frozen):
    conversation, sam, doreen = one_to_one(mentee_name="Sam", mentor_name="Doreen")
    sam.timezone, doreen.timezone = "Europe/London", "America/New_York"
    sam.save(update_fields=["timezone"])
    doreen.save(update_fields=["timezone"])
    match = conversation.match
    MeetingPolicy.objects.create(programme=match.programme, video_link_template="https://meet.jit.si/waymark-{room}",
                                 phone_arrangements="The programme calls you both and joins the call.")  # fmt: skip
    return match, sam, doreen


def at(day, hour, minute=0, zone=LONDON):
    return datetime.datetime(2026, 3, day, hour, minute, tzinfo=zone)


def sent(template, to):
    """Deliver the queued e-mail and return what the recipient's mail server got."""
    row = OutboundEmail.objects.filter(template=template, recipient=to).latest("pk")
    assert delivery.deliver(row.pk) == OutboundEmail.Status.SENT
    return mail.outbox[-1]


def calendar_of(message):
    (part,) = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
    text = part.get_payload(decode=True).decode()
    return part, icalendar.Calendar.from_ical(text), vobject.readOne(text)


@pytest.mark.django_db
def test_offer_choose_move_and_cancel_with_one_uid_and_a_rising_sequence(pair, frozen):
    match, sam, doreen = pair
    meeting = services.propose(match, doreen, [at(10, 18), at(11, 18), at(12, 7, 30)], duration_minutes=45)

    offer = sent("emails/meeting_times", sam)
    html = offer.alternatives[0][0]
    assert offer.subject == "Doreen suggests times to meet"
    for part in (offer.body, html):
        assert "Doreen would like to meet (Video call, 45 minutes)" in part
        assert "Tuesday 10 March, 18:00" in part and "Thursday 12 March, 07:30" in part  # Sam's London times
        assert f"/meetings/{meeting.pk}/" in part
    problems = services.slot_problems(match, at(12, 7, 30), meeting.duration)
    assert problems == {sam.pk: ["quiet hours"], doreen.pk: ["quiet hours", "night"]}  # 02:30 in New York

    with pytest.raises(services.MeetingError, match="the others choose"):
        services.choose(meeting, doreen, at(10, 18))
    services.choose(meeting, sam, at(10, 18))
    meeting.refresh_from_db()
    assert (meeting.status, meeting.starts_at, meeting.sequence) == ("confirmed", at(10, 18), 0)

    to_doreen = sent("emails/meeting_invitation", doreen)
    assert to_doreen.subject == "Meeting agreed: Tue 10 Mar, 14:00"  # her New York time
    for part in (to_doreen.body, to_doreen.alternatives[0][0]):
        assert "Your meeting with Sam: Tuesday 10 March, 14:00 to 14:45 (your time zone)." in part
        assert f"https://meet.jit.si/waymark-{meeting.room}" in part
        assert "calendar.google.com/calendar/render?action=TEMPLATE" in part and "outlook.live.com" in part
    part, parsed, other = calendar_of(to_doreen)
    assert part.get_param("method") == "REQUEST" and part.get_filename() == "meeting.ics"
    assert other.vevent.dtstart.value == at(10, 18) and other.vevent.sequence.value == "0"
    assert other.vevent.organizer.value == "mailto:meetings@mentoring.localhost"
    assert [a.value for a in other.vevent.contents["attendee"]] == [f"mailto:{doreen.email}"]
    assert sam.email not in to_doreen.message().as_string()  # nobody's address reaches anyone else
    uid = str(parsed.walk("VEVENT")[0]["uid"])

    # Moved: until a new time is agreed the calendars keep the old one; then an update, same UID, SEQUENCE 1.
    services.offer_other_times(meeting, sam, [at(24, 19)])  # after London's clocks change (29 March)...
    services.offer_other_times(meeting, doreen, [at(31, 18)])  # ...both sides of it: 31 March is BST
    services.choose(meeting, sam, at(31, 18))
    moved = sent("emails/meeting_invitation", sam)
    assert moved.subject == "Meeting moved: now Tue 31 Mar, 18:00"
    _part, parsed, other = calendar_of(moved)
    assert str(parsed.walk("VEVENT")[0]["uid"]) == uid and other.vevent.sequence.value == "1"
    assert other.vevent.dtstart.value == datetime.datetime(2026, 3, 31, 17, 0, tzinfo=datetime.UTC)

    services.cancel(meeting, doreen)
    cancelled = sent("emails/meeting_cancelled", sam)
    assert cancelled.subject == "Meeting cancelled: Tue 31 Mar, 18:00"
    for part in (cancelled.body, cancelled.alternatives[0][0]):
        assert "Doreen cancelled the meeting on Tuesday 31 March, 18:00." in part
    part, parsed, other = calendar_of(cancelled)
    assert part.get_param("method") == "CANCEL" and str(parsed["method"]) == "CANCEL"
    assert str(parsed.walk("VEVENT")[0]["uid"]) == uid and other.vevent.sequence.value == "2"
    assert other.vevent.status.value == "CANCELLED"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("starts", "message"),
    [
        ([at(2, 8)], "in the past or less than an hour away"),
        ([at(2, 9, 30)], "in the past or less than an hour away"),
        ([at(10, 18), at(10, 18, 30)], "overlap"),
        ([at(10, 18), at(11, 18), at(12, 18), at(13, 18)], "one, two or three times"),
        ([], "one, two or three times"),
        ([datetime.datetime(2026, 3, 10, 18, 0)], "time zone"),
    ],
)
def test_bad_times_get_a_clear_message(pair, starts, message):
    match, _sam, doreen = pair
    with pytest.raises(services.ValidationError, match=message):
        services.propose(match, doreen, starts)
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_a_time_after_the_programme_ends_is_refused(pair):
    match, _sam, doreen = pair
    match.programme.ends_on = datetime.date(2026, 3, 20)
    match.programme.save(update_fields=["ends_on"])
    services.propose(match, doreen, [at(20, 22)])  # the last evening still counts
    with pytest.raises(services.ValidationError, match="after the programme ends on 2026-03-20"):
        services.propose(match, doreen, [at(21, 10)])
    match.programme.ends_on = datetime.date(2026, 3, 3)  # the day after "now": one day left to suggest
    match.programme.save(update_fields=["ends_on"])
    last = datetime.datetime(2026, 3, 4, 0, 0, tzinfo=LONDON)
    suggested = times_suggested(match, doreen)
    assert suggested and all(moment + datetime.timedelta(minutes=45) <= last for moment in suggested)


def times_suggested(match, viewer):
    from django.test import Client

    client = Client()
    client.force_login(viewer)
    page = client.get(reverse("meetings:match_meetings", args=[match.pk]))
    return [s["moment"] for s in page.context["suggested"]]


@pytest.mark.django_db
def test_agenda_points_and_places_refuse_control_characters(pair):
    match, sam, doreen = pair
    meeting = services.propose(match, doreen, [at(10, 18)])
    with pytest.raises(services.ValidationError, match="one line"):
        services.add_item(meeting, sam, "my draft\x00 please")
    with pytest.raises(services.ValidationError, match="one line"):
        services.propose(match, doreen, [at(11, 18)], mode="in_person", place="The café\u202e")
    assert not meeting.items.exists()


@pytest.mark.django_db
def test_the_form_turns_bad_input_into_messages_and_keeps_nothing(client, pair):
    match, _sam, doreen = pair
    client.force_login(doreen)
    url = reverse("meetings:match_meetings", args=[match.pk])
    for slot in ("not a time", "2026-02-30T10:00", "2026-03-01T10:00"):
        response = client.post(url, {"mode": "video", "duration_minutes": "45", "slot_1": slot})
        assert response.status_code == 200
        assert response.context["form"].errors, slot
    # 02:30 on 8 March does not exist in New York (clocks go from 02:00 to 03:00): said, not guessed.
    response = client.post(url, {"mode": "video", "duration_minutes": "45", "slot_1": "2026-03-08T02:30"})
    assert "may not exist" in str(response.context["form"].errors["slot_1"])
    response = client.post(url, {"mode": "in_person", "duration_minutes": "45", "slot_1": "2026-03-10T18:00",
                                 "place": "Call me on 07700 900123"})  # fmt: skip
    assert "cannot contain contact details" in str(response.context["form"].errors["place"])
    assert not Meeting.objects.exists()
    response = client.post(url, {"mode": "video", "duration_minutes": "45", "slot_1": "2026-03-10T14:00"})
    assert response.status_code == 302
    assert Meeting.objects.get().slots.get().starts_at == at(10, 14, zone=NEW_YORK)  # read in Doreen's zone


@pytest.mark.django_db
def test_in_person_in_a_programme_for_young_people_waits_for_a_coordinator(pair):
    match, sam, doreen = pair
    match.programme.for_young_people = True
    match.programme.save(update_fields=["for_young_people"])
    coordinator = coordinator_of(match.programme)
    meeting = services.propose(match, doreen, [at(10, 16)], mode="in_person", place="The library café")
    services.choose(meeting, sam, at(10, 16))
    meeting.refresh_from_db()
    assert meeting.status == "approval"
    assert not OutboundEmail.objects.filter(template="emails/meeting_invitation").exists()
    ask = sent("emails/meeting_approval", coordinator)
    assert "agreed to meet in person on Tuesday 10 March, 16:00 at: The library café" in ask.body
    with pytest.raises(services.MeetingError, match="coordinators"):
        services.approve(meeting, sam)
    services.approve(meeting, coordinator)
    meeting.refresh_from_db()
    assert meeting.status == "confirmed" and meeting.approved_by == coordinator
    assert OutboundEmail.objects.filter(template="emails/meeting_invitation").count() == 2


@pytest.mark.django_db
def test_only_the_pair_see_a_meeting_and_the_proposer_cannot_choose(client, pair):
    match, sam, doreen = pair
    meeting = services.propose(match, doreen, [at(10, 18)])
    stranger = MenteeFactory(programme=match.programme).user
    client.force_login(stranger)
    for name in ("meeting", "download"):
        assert client.get(reverse(f"meetings:{name}", args=[meeting.pk])).status_code == 404
    assert client.post(reverse("meetings:cancel", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("meetings:match_meetings", args=[match.pk])).status_code == 404
    client.force_login(sam)
    page = client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    assert "Sam: <strong>Tue 10 Mar, 18:00</strong>" in page and "Doreen: <strong>Tue 10 Mar, 14:00</strong>" in page
    response = client.post(reverse("meetings:choose", args=[meeting.pk]), {"starts_at": "garbage"})
    assert response.status_code == 302
    response = client.post(reverse("meetings:choose", args=[meeting.pk]), {"starts_at": at(10, 18).isoformat()})
    assert Meeting.objects.get().status == "confirmed"


@pytest.mark.django_db
def test_the_private_feed_lists_agreed_meetings_and_stops_when_revoked(client, pair):
    match, sam, doreen = pair
    meeting = services.propose(match, doreen, [at(10, 18)])
    services.choose(meeting, sam, at(10, 18))
    token = calendar.new_feed_token(sam)
    response = client.get(reverse("meetings:feed", args=[token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    feed = vobject.readOne(response.content.decode())
    assert [e.dtstart.value for e in feed.contents["vevent"]] == [at(10, 18)]
    assert "attendee" not in response.content.decode().lower()
    newer = calendar.new_feed_token(sam)
    assert client.get(reverse("meetings:feed", args=[token])).status_code == 404  # the old link is revoked
    assert client.get(reverse("meetings:feed", args=[newer])).status_code == 200
    calendar.revoke_feed(sam)
    assert client.get(reverse("meetings:feed", args=[newer])).status_code == 404
    assert client.get("/calendar/" + "x" * 43 + ".ics").status_code == 404
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", newer)


@pytest.mark.django_db
def test_weekly_availability_is_saved_in_ones_own_zone_and_shapes_the_suggestions(client, pair):
    match, sam, doreen = pair
    client.force_login(sam)
    url = reverse("meetings:availability")
    assert client.get(url).status_code == 200
    form = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0", "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "14",
            "form-0-weekday": "3", "form-0-start": "19:00", "form-0-end": "18:00"}  # fmt: skip
    response = client.post(url, form)
    assert response.status_code == 200 and "End after it starts" in response.content.decode()
    assert client.post(url, {**form, "form-0-start": "17:00", "form-0-end": "19:00"}).status_code == 302
    (window,) = sam.availability.all()
    assert (window.weekday, str(window.start), str(window.end)) == (3, "17:00:00", "19:00:00")

    page = client.get(reverse("meetings:match_meetings", args=[match.pk])).content.decode()
    # Thursdays 17:00-19:00 in London, 12:00-14:00 in New York: the first suggestion is Thursday 5 March.
    assert "Sam: <strong>Thu 5 Mar, 17:00</strong>" in page and "Doreen: <strong>Thu 5 Mar, 12:00</strong>" in page
    client.force_login(doreen)
    assert not client.get(url).context["formset"].queryset.exists()  # each person's own


@pytest.mark.django_db
def test_a_coordinator_approves_on_the_meetings_own_admin_page(client, pair):
    match, sam, doreen = pair
    match.programme.for_young_people = True
    match.programme.save(update_fields=["for_young_people"])
    coordinator = UserFactory(is_staff=True)  # with the second factor the admin asks of staff
    coordinator.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    ProgrammeCoordinator.objects.create(programme=match.programme, user=coordinator)
    meeting = services.propose(match, doreen, [at(10, 16)], mode="in_person", place="The library café")
    services.choose(meeting, sam, at(10, 16))
    client.force_login(coordinator)
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert "Approve this meeting in person" in page
    listing = client.get(reverse("admin:meetings_meeting_changelist"),
                         {"status__exact": "approval", "match__programme__id__exact": match.programme_id})  # fmt: skip
    assert [m.pk for m in listing.context["cl"].result_list] == [meeting.pk]

    response = client.post(url, {"_approve": "1"}, follow=True)
    assert "Approved: everyone is sent an invitation." in response.content.decode()
    meeting.refresh_from_db()
    assert (meeting.status, meeting.approved_by) == ("confirmed", coordinator)
    assert "Approve this meeting in person" not in response.content.decode()
    response = client.post(url, {"_approve": "1"}, follow=True)  # twice: told, nothing sent again
    assert "not waiting for approval" in response.content.decode()
    assert OutboundEmail.objects.filter(template="emails/meeting_invitation").count() == 2


@pytest.mark.django_db
def test_reminders_a_day_and_an_hour_before_in_each_persons_time_and_never_twice(pair, frozen):
    match, sam, doreen = pair
    meeting = services.propose(match, doreen, [at(10, 18)])
    services.choose(meeting, sam, at(10, 18))
    services.add_item(meeting, sam, "My personal statement")
    OutboundEmail.objects.all().delete()

    frozen.move_to(at(9, 17, 59))
    assert services.send_due_reminders() == 0  # more than a day ahead
    frozen.move_to(at(9, 18, 5))
    assert services.send_due_reminders() == 2
    assert services.send_due_reminders() == 0  # a second sweep queues nothing more
    for person, subject, when in (
        (sam, "Tomorrow: your meeting, Tue 10 Mar, 18:00", "Tuesday 10 March, 18:00"),
        (doreen, "Tomorrow: your meeting, Tue 10 Mar, 14:00", "Tuesday 10 March, 14:00"),
    ):
        message = sent("emails/meeting_reminder", person)
        assert message.subject == subject
        for part in (message.body, message.alternatives[0][0]):
            assert f"on {when} (your time zone)" in part and "My personal statement" in part
            assert f"/meetings/{meeting.pk}/" in part and "https://meet.jit.si/waymark-" in part  # fmt: skip

    frozen.move_to(at(10, 17, 5))
    assert services.send_due_reminders() == 2
    assert sent("emails/meeting_reminder", doreen).subject == "In an hour: your meeting at 14:00"
    assert services.send_due_reminders() == 0

    services.offer_other_times(meeting, doreen, [at(11, 18)])  # moved: reminded again for the new time
    services.choose(meeting, sam, at(11, 18))
    frozen.move_to(at(10, 18, 5))
    assert services.send_due_reminders() == 2


@pytest.mark.django_db
def test_the_day_before_reminder_waits_out_quiet_hours_but_the_hour_before_does_not(pair, frozen):
    match, sam, doreen = pair
    meeting = services.propose(match, sam, [at(12, 7, 30)])  # 03:30 in New York (EDT from 8 March)
    services.choose(meeting, doreen, at(12, 7, 30))
    OutboundEmail.objects.all().delete()

    frozen.move_to(at(11, 7, 31))  # Sam: 07:31, in quiet hours until 08:00; Doreen: 03:31
    assert services.send_due_reminders() == 2
    day = {row.recipient: row.send_after for row in OutboundEmail.objects.filter(template="emails/meeting_reminder")}
    assert day[sam] == at(11, 8)
    assert day[doreen] == datetime.datetime(2026, 3, 11, 8, 0, tzinfo=NEW_YORK)

    frozen.move_to(at(12, 6, 31))
    assert services.send_due_reminders() == 2
    hour = OutboundEmail.objects.filter(template="emails/meeting_reminder", dedupe_key__contains=":hour:")
    assert {row.send_after for row in hour} == {at(12, 6, 31)}

    late = services.propose(match, sam, [at(13, 0, 30)])  # agreed late at night for just after midnight
    services.choose(late, doreen, at(13, 0, 30))
    frozen.move_to(at(12, 0, 35))
    services.send_due_reminders()
    (row,) = OutboundEmail.objects.filter(dedupe_key__startswith=f"meeting:{late.pk}:reminder:day:", recipient=sam)
    assert row.send_after == at(12, 8)  # 08:00 is long before 00:30 the next night
    frozen.move_to(at(13, 23))
    soon = services.propose(match, doreen, [at(14, 10)])  # agreed at 23:00 for 10:00 the next morning
    services.choose(soon, sam, at(14, 10))
    services.send_due_reminders()
    (row,) = OutboundEmail.objects.filter(dedupe_key__startswith=f"meeting:{soon.pk}:reminder:day:", recipient=sam)
    assert row.send_after == at(14, 7)  # not 08:00: three hours before the start at the latest
