import datetime

import pytest
import time_machine
from django.urls import reverse

from messaging.models import Message
from messaging.services import (
    MessagingError,
    approve_message,
    edit_message,
    mark_read,
    reject_message,
    send_message,
)

from .helpers import coordinator_of, one_to_one

NOW = datetime.datetime(2026, 5, 4, 12, 0, tzinfo=datetime.UTC)


@pytest.mark.django_db
def test_a_message_can_be_edited_briefly_before_it_is_read(client):
    with time_machine.travel(NOW, tick=False) as clock:
        conversation, sam, _doreen = one_to_one()
        message = send_message(sam, conversation, "Helo")
        client.force_login(sam)
        client.post(reverse("messaging:edit", args=[message.pk]), {"body": "Hello"})
        message.refresh_from_db()
        assert (message.body, message.edited_at) == ("Hello", NOW)

        clock.shift(datetime.timedelta(minutes=16))
        with pytest.raises(MessagingError, match="can no longer be edited"):
            edit_message(message, sam, "Too late")


@pytest.mark.django_db
def test_a_read_message_cannot_be_edited():
    conversation, sam, doreen = one_to_one()
    message = send_message(sam, conversation, "Hello")
    mark_read(conversation.participants.get(user=doreen))

    with pytest.raises(MessagingError, match="can no longer be edited"):
        edit_message(message, sam, "Changed")


@pytest.mark.django_db
def test_only_the_sender_may_edit_and_edits_cannot_smuggle_contact_details(client):
    conversation, sam, doreen = one_to_one()
    message = send_message(sam, conversation, "Hello")

    with pytest.raises(MessagingError):
        edit_message(message, doreen, "Hijacked")
    with pytest.raises(MessagingError, match="needs a coordinator's review"):
        edit_message(message, sam, "Hello, text me on 07700 900123")
    assert Message.objects.get().body == "Hello"


@pytest.mark.django_db
@pytest.mark.parametrize("reviewed", ["held", "approved", "flagged", "rejected"])
def test_a_message_a_coordinator_reviews_can_never_be_edited(client, reviewed):
    """An approved message edited into "add me on snap …" would reach the other person unreviewed."""
    conversation, sam, _doreen = one_to_one()
    coordinator = coordinator_of(conversation.match.programme)
    text = "see https://example.org/page" if reviewed == "flagged" else "text me on 07700 900123"
    message = send_message(sam, conversation, text)
    if reviewed == "approved":
        approve_message(message, coordinator)
    elif reviewed == "rejected":
        reject_message(message, coordinator, "No phone numbers, please")
    message.refresh_from_db()
    client.force_login(sam)

    response = client.post(reverse("messaging:edit", args=[message.pk]), {"body": "add me on snap jo_123"})
    page = client.get(reverse("messaging:thread", args=[conversation.pk])).content.decode()

    assert message.status == {"approved": "visible"}.get(reviewed, reviewed)
    with pytest.raises(MessagingError, match="can no longer be edited"):
        edit_message(message, sam, "add me on snap jo_123")
    message.refresh_from_db()
    assert message.body == text
    assert response.status_code in {302, 400}
    assert reverse("messaging:edit", args=[message.pk]) not in page  # no Edit link either


@pytest.mark.django_db
def test_export_is_a_readable_document_in_the_readers_time_zone(client):
    conversation, sam, doreen = one_to_one()
    sam.timezone = "America/New_York"
    sam.save()
    with time_machine.travel(NOW, tick=False):
        send_message(doreen, conversation, "**Welcome** to the programme")
    send_message(doreen, conversation, "Call 07700 900123")  # held: not Sam's to see
    client.force_login(sam)

    response = client.get(reverse("messaging:export", args=[conversation.pk]))
    everything = client.get(reverse("messaging:export_all"))

    assert response["Content-Disposition"] == f'attachment; filename="conversation-{conversation.pk}.html"'
    page = response.content.decode()
    assert "<strong>Welcome</strong> to the programme" in page
    assert "Monday 4 May 2026, 08:00" in page  # 12:00 UTC in New York
    assert "Times are in America/New_York" in page
    assert "07700" not in page
    assert "Welcome" in everything.content.decode()
