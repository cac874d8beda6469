import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from accounts.delivery import deliver_due_emails
from accounts.models import OutboundEmail
from messaging.models import Message, ModerationPolicy, Participant
from messaging.services import (
    MessagingError,
    approve_message,
    edit_message,
    reject_message,
    report_concern,
    send_message,
)

from .helpers import coordinator_of, one_to_one


@pytest.fixture
def programme_conversation():
    conversation, sam, doreen = one_to_one()
    coordinator = coordinator_of(conversation.match.programme)
    return conversation, sam, doreen, coordinator


def emails_to(user, template):
    return OutboundEmail.objects.filter(recipient=user, template=template)


@pytest.mark.django_db
def test_a_held_message_waits_for_review_then_is_delivered(client, programme_conversation):
    conversation, sam, doreen, coordinator = programme_conversation

    message = send_message(sam, conversation, "text me on 07700 900123")

    assert message.status == "held"
    assert [f["kind"] for f in message.findings] == ["phone"]
    assert Participant.objects.get(user=doreen).unread_count == 0
    assert Participant.objects.get(user=doreen).awaiting_reply_since is None
    client.force_login(doreen)
    assert "07700" not in client.get(reverse("messaging:thread", args=[conversation.pk])).content.decode()
    client.force_login(sam)
    assert "Awaiting review" in client.get(reverse("messaging:thread", args=[conversation.pk])).content.decode()
    alert = emails_to(coordinator, "emails/message_moderation").get()
    assert "07700" not in str(alert.context)  # coordinators' e-mails carry no message text

    approve_message(message, coordinator)

    doreen_state = Participant.objects.get(user=doreen)
    assert (doreen_state.unread_count, doreen_state.waiting_message_id) == (1, message.pk)
    client.force_login(doreen)
    assert "07700 900123" in client.get(reverse("messaging:thread", args=[conversation.pk])).content.decode()


@pytest.mark.django_db
def test_a_rejected_message_tells_the_sender_why(programme_conversation):
    conversation, sam, doreen, coordinator = programme_conversation
    message = send_message(sam, conversation, "my snap: sam_2009")

    with pytest.raises(MessagingError, match="Tell the sender why"):
        reject_message(message, coordinator, "  ")
    reject_message(message, coordinator, "Please keep contact on the platform.")

    message.refresh_from_db()
    assert message.status == "rejected"
    told = emails_to(sam, "emails/message_rejected").get()
    assert told.context["reason"] == "Please keep contact on the platform."
    assert not Message.objects.visible_to(doreen).exists()
    with pytest.raises(MessagingError, match="not waiting for review"):
        approve_message(message, coordinator)


@pytest.mark.django_db
def test_flagged_messages_are_delivered_and_coordinators_told_once_an_hour(programme_conversation):
    """Coordinators got one e-mail per flagged message (13 in under an hour of use): now one per hour."""
    conversation, sam, doreen, coordinator = programme_conversation
    start = datetime.datetime(2026, 9, 7, 10, 5, tzinfo=datetime.UTC)

    with time_machine.travel(start, tick=False) as clock:
        for n in range(13):
            message = send_message(sam, conversation, f"This article helped: https://example.org/tips-{n}")
            clock.shift(datetime.timedelta(minutes=4))
        assert message.status == "flagged"
        assert Participant.objects.get(user=doreen).unread_count == 13
        [alert] = emails_to(coordinator, "emails/flagged_in_programme")
        assert alert.send_after == datetime.datetime(2026, 9, 7, 11, 0, tzinfo=datetime.UTC)
        assert not emails_to(coordinator, "emails/message_moderation").exists()  # nothing held
        clock.move_to(alert.send_after + datetime.timedelta(minutes=1))
        send_message(sam, conversation, "and https://example.org/one-more")  # the next hour's alert
        deliver_due_emails()

    sent = [m for m in mail.outbox if m.to[0].endswith(f"<{coordinator.email}>")]
    assert len(sent) == 1
    assert "13 messages (delivered)" in sent[0].body  # 10:05 to 10:53 UTC; 11:01 is the next hour's
    assert "13 messages (delivered)" in sent[0].alternatives[0][0]
    assert "Between 11:00 and 12:00" in sent[0].body  # in the coordinator's zone (London, summer time)
    assert "https://example.org" not in sent[0].body  # coordinators' e-mails never carry message text
    assert "List-Unsubscribe" in sent[0].extra_headers  # optional, unlike concerns
    assert "/profile/emails/" in sent[0].body


@pytest.mark.django_db
def test_a_held_message_is_told_at_once_and_a_concern_cannot_be_turned_off(programme_conversation):
    conversation, sam, _doreen, coordinator = programme_conversation
    coordinator.email_opt_outs = ["moderation"]
    coordinator.save()

    held = send_message(sam, conversation, "text me on 07700 900123")
    report_concern(held, sam, "I sent something I should not have")

    assert not emails_to(coordinator, "emails/message_moderation").exists()  # turned off by the coordinator
    [concern] = emails_to(coordinator, "emails/concern_reported")
    deliver_due_emails()
    told = next(m for m in mail.outbox if "concern" in m.subject.lower())
    assert "List-Unsubscribe" not in told.extra_headers  # a concern is never optional
    assert "/profile/emails/" in told.body and concern.status == "pending"


@pytest.mark.django_db
def test_a_programme_can_allow_what_others_hold(programme_conversation):
    conversation, sam, _doreen, _coordinator = programme_conversation
    ModerationPolicy.objects.create(programme=conversation.match.programme, phone="allow", words="secret\nmeet up")

    assert send_message(sam, conversation, "the office is 0207-946-0018").status == "visible"
    assert send_message(sam, conversation, "can we meet up?").status == "flagged"


@pytest.mark.django_db
def test_reporting_a_concern_tells_the_lead_and_freezes_the_message(client, programme_conversation):
    conversation, sam, doreen, lead = programme_conversation
    message = send_message(doreen, conversation, "Something worrying")
    client.force_login(sam)

    response = client.post(reverse("messaging:report", args=[message.pk]), {"reason": "This made me uncomfortable"})

    assert response.status_code == 302
    message.refresh_from_db()
    assert message.reported_at is not None
    concern = message.concerns.get()
    assert (concern.reporter, concern.reason) == (sam, "This made me uncomfortable")
    assert emails_to(lead, "emails/concern_reported").exists()
    with pytest.raises(MessagingError, match="can no longer be edited"):
        edit_message(message, doreen, "Changed my words")


@pytest.mark.django_db
def test_a_concern_needs_a_reason(client, programme_conversation):
    conversation, sam, doreen, _lead = programme_conversation
    message = send_message(doreen, conversation, "Hello")
    client.force_login(sam)

    response = client.post(reverse("messaging:report", args=[message.pk]), {"reason": ""})

    assert response.status_code == 200 and response.context["form"].errors
    with pytest.raises(MessagingError):
        report_concern(message, sam, "   ")


@pytest.mark.django_db
def test_moderation_queue_in_the_admin(client, programme_conversation):
    from accounts.tests.factories import UserFactory

    conversation, sam, _doreen, _lead = programme_conversation
    held = send_message(sam, conversation, "me@example.com")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:messaging_moderationitem_changelist")

    assert client.get(url).status_code == 200
    client.post(url, {"action": "reject", "_selected_action": [held.pk]})
    held.refresh_from_db()
    assert held.status == "held"  # the intermediate page asks for a reason first
    client.post(url, {"action": "reject", "_selected_action": [held.pk], "reason": "No e-mail addresses, please."})
    held.refresh_from_db()
    assert (held.status, held.rejection_reason) == ("rejected", "No e-mail addresses, please.")

    second = send_message(sam, conversation, "07700 900123")
    client.post(url, {"action": "approve", "_selected_action": [second.pk]})
    second.refresh_from_db()
    assert second.status == "visible"
