"""Send at a good time for them: scheduled while the recipient is in quiet hours, visible and cancellable
by the writer, delivered once by the beat sweep when the quiet hours end."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from matching.services import close
from messaging import scheduling
from messaging.forms import new_submission_key
from messaging.models import Draft, Message, Participant, ScheduledMessage
from messaging.services import MessagingError, save_draft
from notices.models import Notice

from .helpers import one_to_one

# 23:30 in Kolkata (18:00 UTC): Doreen's quiet hours (21:00-08:00, her zone) end at 08:00 there, 02:30 UTC.
LATE_FOR_DOREEN = datetime.datetime(2026, 3, 3, 18, 0, tzinfo=datetime.UTC)
HER_MORNING = datetime.datetime(2026, 3, 4, 2, 30, tzinfo=datetime.UTC)


@pytest.fixture
def late():
    with time_machine.travel(LATE_FOR_DOREEN, tick=False) as clock:
        conversation, sam, doreen = one_to_one()
        doreen.timezone = "Asia/Kolkata"
        doreen.save()
        sam.timezone = "Europe/London"
        sam.save()
        yield conversation, sam, doreen, clock


@pytest.mark.django_db
def test_the_good_time_is_the_end_of_the_recipients_quiet_hours(late):
    _conversation, sam, doreen, clock = late

    assert scheduling.good_time_for([doreen]) == HER_MORNING
    assert scheduling.good_time_for([sam]) is None  # 18:00 in London: a good time
    clock.move_to(HER_MORNING)
    assert scheduling.good_time_for([doreen]) is None


@pytest.mark.django_db
def test_a_scheduled_reply_waits_unseen_and_goes_once_when_her_quiet_hours_end(late):
    conversation, sam, doreen, clock = late
    Draft.objects.create(conversation=conversation, user=sam, body="Dear Doreen")

    scheduled = scheduling.schedule(sam, conversation, "Dear Doreen, thank you.", submission_key=new_submission_key())

    assert (scheduled.deliver_at, scheduled.status) == (HER_MORNING, "pending")
    assert not Draft.objects.exists() and not Message.objects.exists()
    assert scheduling.send_due() == 0  # not yet
    clock.move_to(HER_MORNING)
    Draft.objects.create(conversation=conversation, user=sam, body="Something new I started")
    assert (scheduling.send_due(), scheduling.send_due()) == (1, 0)
    message = Message.objects.get()
    assert (message.body, message.sender, message.created_at) == ("Dear Doreen, thank you.", sam, HER_MORNING)
    assert Participant.objects.get(user=doreen).unread_count == 1
    assert Draft.objects.get().body == "Something new I started"  # what he wrote since stays
    scheduled.refresh_from_db()
    assert (scheduled.status, scheduled.message) == ("sent", message)


@pytest.mark.django_db
def test_the_same_form_schedules_once_and_an_autosave_after_it_keeps_nothing(late):
    conversation, sam, _doreen, _clock = late
    key = new_submission_key()

    first = scheduling.schedule(sam, conversation, "Once", submission_key=key)
    again = scheduling.schedule(sam, conversation, "Once", submission_key=key)
    late_autosave = save_draft(Participant.objects.get(user=sam), "Once", submission_key=key)

    assert first.pk == again.pk and ScheduledMessage.objects.count() == 1
    assert late_autosave is None and not Draft.objects.exists()


@pytest.mark.django_db
def test_refused_when_it_is_a_good_time_already_or_too_many_are_waiting(late):
    conversation, sam, doreen, _clock = late
    with pytest.raises(MessagingError, match="good time for them now"):
        scheduling.schedule(doreen, conversation, "Sam is awake")
    for n in range(scheduling.PENDING_PER_CONVERSATION):
        scheduling.schedule(sam, conversation, f"Reply {n}")
    with pytest.raises(MessagingError, match="already have 3 replies waiting"):
        scheduling.schedule(sam, conversation, "One more")


@pytest.mark.django_db
def test_a_match_closed_before_the_time_keeps_the_reply_as_a_draft_and_says_so(late):
    conversation, sam, doreen, clock = late
    scheduling.schedule(sam, conversation, "Too late")
    close(conversation.match, doreen, reason="completed", rating=4)

    clock.move_to(HER_MORNING)
    assert scheduling.send_due() == 0

    assert ScheduledMessage.objects.get().status == "failed"
    assert not Message.objects.exists() and Draft.objects.get(user=sam).body == "Too late"
    notice = Notice.objects.get(user=sam, key__startswith="scheduled-failed")
    assert (
        notice.text
        == f"Your scheduled reply in “{conversation.subject}” could not be delivered: it is back in your draft."
    )


@pytest.mark.django_db
def test_taking_it_back_returns_the_text_and_only_the_writer_can(client, late):
    conversation, sam, doreen, _clock = late
    scheduled = scheduling.schedule(sam, conversation, "Second thoughts")
    url = reverse("messaging:cancel_scheduled", args=[scheduled.pk])

    client.force_login(doreen)
    assert client.post(url).status_code == 404
    client.force_login(sam)
    response = client.post(url, follow=True)

    assert "Taken back: your reply is in the reply box again." in response.content.decode()
    assert ScheduledMessage.objects.get().status == "cancelled"
    assert Draft.objects.get(user=sam).body == "Second thoughts"
    assert "already been delivered or taken back" in client.post(url, follow=True).content.decode()


@pytest.mark.django_db
def test_the_reply_box_offers_her_morning_and_lists_what_waits(client, late):
    conversation, sam, doreen, _clock = late
    client.force_login(sam)
    fragment_url = reverse("messaging:scheduled", args=[conversation.pk])

    offer = client.get(fragment_url, headers={"X-Fragment": "1"}).content.decode()
    assert "It is 23:30 for Doreen: their quiet hours last until 08:00." in offer
    assert "Deliver at 08:00 their time" in offer and "(Wed 02:30 your time" in offer

    response = client.post(
        reverse("messaging:schedule", args=[conversation.pk]),
        {"body": "Good morning, Doreen", "submission": new_submission_key()},
        follow=True,
    )
    assert "Your reply will be delivered on Wednesday 4 March, 02:30, your time" in response.content.decode()
    listed = client.get(fragment_url).content.decode()  # the plain page, without site.js
    assert "Scheduled for Wednesday 4 March, 02:30 (your time): “Good morning, Doreen”" in listed
    assert "Deliver at" not in listed

    client.force_login(doreen)
    assert "Deliver at" not in client.get(fragment_url, headers={"X-Fragment": "1"}).content.decode()
