import datetime

import pytest
import time_machine
from django.urls import reverse

from matching.services import close
from messaging.models import Draft, Message, Participant, ResponseTime
from messaging.services import MessagingError, acknowledge, send_message

from .helpers import group, one_to_one

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def state(conversation, user):
    return Participant.objects.get(conversation=conversation, user=user)


@pytest.mark.django_db
def test_sending_one_to_one_puts_the_other_person_on_the_clock():
    conversation, sam, doreen = one_to_one(response_expectation_hours=72)

    with time_machine.travel(NOW, tick=False):
        message = send_message(sam, conversation, "Hello Doreen! Could we talk about my personal statement?")

    mine, theirs = state(conversation, sam), state(conversation, doreen)
    assert (mine.unread_count, mine.awaiting_reply_since, mine.last_read_at) == (0, None, NOW)
    assert theirs.unread_count == 1
    assert theirs.awaiting_reply_since == NOW
    assert theirs.reply_due_at == NOW + datetime.timedelta(hours=72)
    assert theirs.waiting_message == message
    conversation.refresh_from_db()
    assert (conversation.last_message, conversation.last_message_at) == (message, NOW)


@pytest.mark.django_db
def test_a_second_message_keeps_the_original_wait():
    conversation, sam, doreen = one_to_one()
    with time_machine.travel(NOW, tick=False) as clock:
        send_message(sam, conversation, "First")
        clock.shift(datetime.timedelta(hours=5))
        send_message(sam, conversation, "Second")

    theirs = state(conversation, doreen)
    assert theirs.unread_count == 2
    assert theirs.awaiting_reply_since == NOW


@pytest.mark.django_db
def test_a_reply_clears_the_wait_and_records_the_response_time():
    conversation, sam, doreen = one_to_one()
    with time_machine.travel(NOW, tick=False) as clock:
        send_message(sam, conversation, "Question")
        clock.shift(datetime.timedelta(hours=26))
        reply = send_message(doreen, conversation, "Answer")

    assert state(conversation, doreen).awaiting_reply_since is None
    assert state(conversation, doreen).reply_due_at is None
    assert state(conversation, sam).awaiting_reply_since == NOW + datetime.timedelta(hours=26)
    recorded = ResponseTime.objects.get()
    assert (recorded.responder, recorded.reply, recorded.seconds) == (doreen, reply, 26 * 3600)


@pytest.mark.django_db
def test_in_a_group_mentees_put_the_mentor_on_the_clock_but_not_each_other():
    conversation, doreen, (first, second) = group(mentees=2)

    with time_machine.travel(NOW, tick=False):
        send_message(first, conversation, "Hi all")

    assert state(conversation, doreen).awaiting_reply_since == NOW
    assert state(conversation, second).awaiting_reply_since is None
    assert state(conversation, second).unread_count == 1

    with time_machine.travel(NOW + datetime.timedelta(hours=3), tick=False):
        send_message(doreen, conversation, "Welcome, both of you")

    assert state(conversation, doreen).awaiting_reply_since is None
    # A mentor's message to the group puts nobody on the clock.
    assert state(conversation, first).awaiting_reply_since is None
    assert state(conversation, second).awaiting_reply_since is None
    assert state(conversation, second).unread_count == 2
    assert ResponseTime.objects.get().seconds == 3 * 3600


@pytest.mark.django_db
def test_acknowledging_with_a_promised_date_moves_the_due_time(time_machine):
    time_machine.move_to(NOW, tick=False)
    conversation, sam, doreen = one_to_one()
    doreen.timezone = "Africa/Lagos"
    doreen.save()
    send_message(sam, conversation, "Question")

    promised = acknowledge(state(conversation, doreen), datetime.date(2026, 3, 6))

    lagos_end_of_friday = datetime.datetime(2026, 3, 6, 22, 59, tzinfo=datetime.UTC)  # 23:59 in Lagos
    assert promised.promised_reply_by == lagos_end_of_friday
    assert promised.reply_due_at == lagos_end_of_friday
    assert promised.unread_count == 0
    with pytest.raises(MessagingError, match="between today and 30 days"):
        acknowledge(state(conversation, doreen), datetime.date(2026, 3, 1))
    with pytest.raises(MessagingError, match="Nobody is waiting"):
        acknowledge(state(conversation, sam), datetime.date(2026, 3, 6))


@pytest.mark.django_db
def test_the_sender_sees_the_acknowledgement(client, time_machine):
    time_machine.move_to(NOW, tick=False)
    conversation, sam, doreen = one_to_one()
    send_message(sam, conversation, "Question")
    client.force_login(doreen)
    client.post(reverse("messaging:acknowledge", args=[conversation.pk]), {"reply_by": "2026-03-06"})

    client.force_login(sam)
    page = client.get(reverse("messaging:thread", args=[conversation.pk])).content.decode()
    inbox = client.get(reverse("messaging:inbox")).content.decode()

    assert "Doreen has read your message and will reply properly by Friday 6 March." in page
    assert "Waiting for Doreen · promised by Fri 6 Mar" in inbox


@pytest.mark.django_db
def test_closing_the_match_makes_its_conversations_read_only(client):
    conversation, sam, doreen = one_to_one()
    send_message(sam, conversation, "Question")

    close(conversation.match, doreen, reason="completed", rating=5)

    conversation.refresh_from_db()
    assert conversation.is_read_only
    assert state(conversation, doreen).awaiting_reply_since is None  # no reminders after closing
    with pytest.raises(MessagingError, match="read-only"):
        send_message(sam, conversation, "Still there?")
    client.force_login(sam)
    page = client.get(reverse("messaging:thread", args=[conversation.pk])).content.decode()
    assert "no new messages can be sent" in page
    assert 'id="reply-form"' not in page
    response = client.post(reverse("messaging:reply", args=[conversation.pk]), {"body": "Hello?"})
    assert response.status_code == 400
    assert Message.objects.count() == 1


@pytest.mark.django_db
def test_replying_through_the_page_sends_and_clears_the_draft(client):
    conversation, sam, _doreen = one_to_one()
    client.force_login(sam)
    client.post(reverse("messaging:draft", args=[conversation.pk]), {"body": "Half a thought"})
    assert Draft.objects.get().body == "Half a thought"
    page = client.get(reverse("messaging:thread", args=[conversation.pk]))
    assert "Half a thought" in page.content.decode()  # restored on reload

    response = client.post(reverse("messaging:reply", args=[conversation.pk]), {"body": "A whole thought"})

    assert response.status_code == 302
    assert Message.objects.get().body == "A whole thought"
    assert not Draft.objects.exists()


@pytest.mark.django_db
def test_autosave_and_preview_return_fragments(client):
    conversation, sam, _doreen = one_to_one()
    client.force_login(sam)

    saved = client.post(reverse("messaging:draft", args=[conversation.pk]), {"body": "**draft**"}, HTTP_X_FRAGMENT="1")
    preview = client.post(reverse("messaging:preview", args=[conversation.pk]), {"body": "**bold**"})

    assert saved.status_code == 200 and "Draft saved at" in saved.content.decode()
    assert "<strong>bold</strong>" in preview.content.decode()


@pytest.mark.django_db
def test_no_javascript_preview_renders_the_page_with_the_preview(client):
    conversation, sam, _doreen = one_to_one()
    client.force_login(sam)

    response = client.post(reverse("messaging:reply", args=[conversation.pk]), {"body": "_hello_", "preview": "1"})

    assert response.status_code == 200
    assert "<em>hello</em>" in response.content.decode()
    assert not Message.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["", "   ", "x" * 20_001])
def test_bad_bodies_are_form_errors_not_server_errors(client, body):
    conversation, sam, _doreen = one_to_one()
    client.force_login(sam)

    response = client.post(reverse("messaging:reply", args=[conversation.pk]), {"body": body})

    assert response.status_code == 400
    assert response.context["form"].errors["body"]
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_a_quote_takes_the_first_lines_of_the_message_itself_never_its_own_quotes(client):
    conversation, sam, doreen = one_to_one()
    original = send_message(
        doreen, conversation, "Sam wrote:\n> Your earlier words\n> more of them\n\nOne\n\nTwo\nThree\nFour\nFive"
    )
    client.force_login(sam)

    form = client.get(reverse("messaging:thread", args=[conversation.pk]), {"quote": original.pk}).context["form"]

    assert form.initial["body"] == "Doreen wrote:\n> Sam wrote:\n> One\n> Two\n> …\n\n"


@pytest.mark.django_db
def test_quote_reply_prefills_the_quote_and_links_the_message(client):
    conversation, sam, doreen = one_to_one()
    original = send_message(doreen, conversation, "Line one\nLine two")
    client.force_login(sam)

    form = client.get(reverse("messaging:thread", args=[conversation.pk]), {"quote": original.pk}).context["form"]
    assert form.initial["body"].startswith("Doreen wrote:\n> Line one\n> Line two")
    client.post(reverse("messaging:reply", args=[conversation.pk]), {"body": "Agreed", "reply_to": original.pk})

    assert Message.objects.latest("pk").reply_to == original


@pytest.mark.django_db
def test_the_message_rate_limit_is_a_friendly_429_that_keeps_the_text(client, settings):
    settings.MESSAGES_PER_HOUR = 2
    conversation, sam, _doreen = one_to_one()
    client.force_login(sam)
    for n in range(2):
        assert (
            client.post(reverse("messaging:reply", args=[conversation.pk]), {"body": f"Message {n}"}).status_code == 302
        )

    response = client.post(reverse("messaging:reply", args=[conversation.pk]), {"body": "One too many"})

    assert response.status_code == 429
    assert "You have sent a lot of messages this hour" in response.content.decode()
    assert Message.objects.count() == 2
    assert Draft.objects.get().body == "One too many"
    # Reporting a concern still works.
    message = Message.objects.first()
    client.force_login(_doreen)
    assert client.post(reverse("messaging:report", args=[message.pk]), {"reason": "Worried"}).status_code == 302


@pytest.mark.django_db
def test_starting_a_new_topic(client):
    conversation, sam, doreen = one_to_one()
    client.force_login(sam)

    response = client.post(
        reverse("messaging:new", args=[conversation.match.pk]), {"subject": "Interview practice", "body": "Shall we?"}
    )

    new = conversation.match.conversations.get(subject="Interview practice")
    assert response["Location"] == new.get_absolute_url()
    assert set(new.participants.values_list("user_id", flat=True)) == {sam.pk, doreen.pk}
    assert state(new, doreen).unread_count == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [{"body": "half a \x00 thought"}, {"body": "fine", "reply_to": "99999999999999999999"}, {"body": "x" * 20_001}],
)
def test_a_draft_that_cannot_be_stored_is_refused_clearly_not_a_500(client, data):
    conversation, sam, _doreen = one_to_one()
    client.force_login(sam)

    autosave = client.post(reverse("messaging:draft", args=[conversation.pk]), data, HTTP_X_FRAGMENT="1")
    plain = client.post(reverse("messaging:draft", args=[conversation.pk]), data, follow=True)

    assert autosave.status_code == 400 and "Draft not saved" in autosave.content.decode()
    assert plain.status_code == 200 and "could not be saved" in plain.content.decode()
    assert not Draft.objects.exists()
