import datetime

import pytest
import time_machine
from django.urls import reverse

from messaging.models import Message
from messaging.services import MessagingError, edit_message, mark_read, send_message

from .helpers import one_to_one

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
