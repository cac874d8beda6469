"""Private support conversations: a coordinator writes to one participant apart from their pair's
conversations; the same messaging (inbox, replies, moderation, e-mails); never counted as a match."""

import datetime

import pytest
import time_machine
from django.contrib import admin
from django.urls import reverse

from accounts.models import OutboundEmail
from agreements import services as agreements
from coordination.tests.test_coordinators_admin import coordinator_for
from matching.models import Match
from messaging import support
from messaging.models import Conversation, Message, Participant
from messaging.reminders import send_due_reminders
from messaging.services import MessagingError, send_message
from messaging.tests.helpers import one_to_one

T0 = datetime.datetime(2026, 10, 5, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def pair():
    with time_machine.travel(T0, tick=False) as clock:
        conversation, sam, doreen = one_to_one(response_expectation_hours=72, second_reminder_after_hours=120,
                                               escalation_after_hours=168)  # fmt: skip
        coordinator = coordinator_for(conversation.match.programme, display_name="Ms Okafor")
        yield conversation, sam, doreen, coordinator, clock


@pytest.mark.django_db
def test_a_coordinator_writes_from_the_admin_and_the_reply_reaches_their_messages(client, pair):
    conversation, sam, _doreen, coordinator, _clock = pair
    membership = conversation.match.members.get(user=sam).membership
    client.force_login(coordinator)

    response = client.post(reverse("admin:matching_membership_changelist"), {
        "action": "write_to", admin.helpers.ACTION_CHECKBOX_NAME: [membership.pk],
        "subject": "Checking in", "body": "Hello Sam, how are the applications going?",
    })  # fmt: skip

    support_conversation = Conversation.objects.get(subject="Checking in")
    assert response.status_code == 302 and response["Location"] == support_conversation.get_absolute_url()
    assert support_conversation.match.status == Match.Status.SUPPORT
    assert OutboundEmail.objects.filter(template="emails/new_message", recipient=sam).exists()

    client.force_login(sam)
    assert "Checking in" in client.get(reverse("messaging:inbox")).content.decode()
    thread = client.get(support_conversation.get_absolute_url())
    assert thread.status_code == 200 and "how are the applications going?" in thread.content.decode()
    assert "a private conversation with the programme" in thread.content.decode()
    assert f'href="/matches/{support_conversation.match_id}/"' not in thread.content.decode()
    send_message(sam, support_conversation, "Going well, thank you!")
    theirs = Participant.objects.get(conversation=support_conversation, user=coordinator)
    assert theirs.unread_count == 1
    # Not a match: not on Sam's match pages or the coordinators' match list and figures.
    assert client.get(reverse("matching:match", args=[support_conversation.match_id])).status_code == 404
    client.force_login(coordinator)
    listing = client.get(reverse("admin:matching_match_changelist"))
    assert support_conversation.match_id not in [m.pk for m in listing.context["cl"].result_list]
    queue = client.get(reverse("admin:messaging_supportconversation_changelist")).content.decode()
    assert "Checking in" in queue and "Sam" in queue


@pytest.mark.django_db
def test_one_support_thread_holder_per_person_and_a_current_match_is_untouched(pair):
    conversation, sam, _doreen, coordinator, _clock = pair
    membership = conversation.match.members.get(user=sam).membership
    first = support.write(membership, coordinator, "One", "First")
    second = support.write(membership, coordinator, "Two", "Second")
    assert first.match_id == second.match_id
    assert Match.objects.filter(status=Match.Status.SUPPORT).count() == 1
    assert Match.objects.get(pk=conversation.match_id).status == Match.Status.ACTIVE


@pytest.mark.django_db
def test_moderation_and_subjects_hold_as_in_any_conversation(pair):
    conversation, sam, _doreen, coordinator, _clock = pair
    membership = conversation.match.members.get(user=sam).membership
    with pytest.raises(MessagingError, match="cannot contain contact details"):
        support.write(membership, coordinator, "Ring 07700 900123", "Hello")
    assert not Conversation.objects.filter(match__status=Match.Status.SUPPORT).exists()
    thread = support.write(membership, coordinator, "Hello", "Hello Sam")
    held = send_message(sam, thread, "My number is 07700 900123")
    assert held.status == Message.Status.HELD


@pytest.mark.django_db
def test_a_reply_owed_to_a_coordinator_is_reminded_but_never_escalated(pair):
    conversation, sam, _doreen, coordinator, clock = pair
    membership = conversation.match.members.get(user=sam).membership
    support.write(membership, coordinator, "Hello", "Could you tell me how it is going?")
    clock.shift(datetime.timedelta(hours=72))
    assert send_due_reminders() == {"reminded": 1, "escalated": 0}
    clock.shift(datetime.timedelta(hours=100))
    assert send_due_reminders()["escalated"] == 0
    assert not OutboundEmail.objects.filter(template="emails/reply_escalation").exists()


@pytest.mark.django_db
def test_a_support_thread_holder_has_no_match_pages_and_no_agreement(client, pair):
    conversation, sam, _doreen, coordinator, _clock = pair
    membership = conversation.match.members.get(user=sam).membership
    thread = support.write(membership, coordinator, "Hello", "Hello Sam")
    client.force_login(sam)
    for name in ("matching:match", "agreements:agreement", "messaging:new", "matching:goal_add"):
        assert client.get(reverse(name, args=[thread.match_id])).status_code == 404, name
    terms = {"goals": "x", "writing_frequency": "weekly", "reply_within_days": 3, "meetings": "",
             "ground_rules": "x"}  # fmt: skip
    with pytest.raises(agreements.AgreementError, match="Only the people in this match"):
        agreements.propose(Match.objects.get(pk=thread.match_id), sam, terms)
