"""What needs me: the navigation's badges, the dashboard's replies owed, and the writer told of a review."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from messaging.models import Participant
from messaging.services import approve_message, reject_message, send_message
from notices.models import Notice

from .helpers import coordinator_of, one_to_one

# A Tuesday, 09:00 in London.
NOW = datetime.datetime(2026, 3, 3, 9, 0, tzinfo=datetime.UTC)


@pytest.mark.django_db
def test_the_badges_count_unread_conversations_replies_owed_and_new_notifications(client):
    conversation, sam, doreen = one_to_one()
    send_message(doreen, conversation, "Hello Sam")
    client.force_login(sam)

    response = client.get(reverse("messaging:needs_me"))
    html = response.content.decode()

    assert response["Cache-Control"] == "no-store, private" or "no-store" in response["Cache-Control"]
    assert '<span id="messages-badge">' in html
    assert '1<span class="visually-hidden"> conversation with unread messages</span>' in html
    assert '1<span class="visually-hidden"> reply you owe</span>' in html
    assert '1<span class="visually-hidden"> new notification</span>' in html  # "You are matched with Doreen"
    client.get(reverse("messaging:thread", args=[conversation.pk]))
    Notice.objects.update(read_at=NOW)
    after = client.get(reverse("messaging:needs_me")).content.decode()
    assert "unread messages" not in after and "new notification" not in after and "reply you owe" in after


@pytest.mark.django_db
def test_the_badges_need_a_sign_in_and_cost_three_queries(client, django_assert_num_queries):
    assert client.get(reverse("messaging:needs_me")).status_code == 302
    _conversation, sam, _doreen = one_to_one()
    client.force_login(sam)

    with django_assert_num_queries(4):  # session, user, conversations' counts, notices' count
        client.get(reverse("messaging:needs_me"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("due", "promised", "words"),
    [
        (datetime.timedelta(days=2), None, "You owe Doreen a reply · due Thursday"),
        (datetime.timedelta(hours=5), None, "You owe Doreen a reply · due today"),
        (-datetime.timedelta(days=1), None, "You owe Doreen a reply · overdue since yesterday"),
        (-datetime.timedelta(days=9), None, "You owe Doreen a reply · overdue since 22 February"),
        (
            datetime.timedelta(days=1),
            datetime.datetime(2026, 3, 10, 17, tzinfo=datetime.UTC),
            "You owe Doreen a reply · you promised it by 10 March",
        ),
    ],
)
def test_the_dashboard_says_whom_i_owe_a_reply_and_by_when(client, due, promised, words):
    with time_machine.travel(NOW, tick=False):
        conversation, sam, doreen = one_to_one()
        sam.timezone = "Europe/London"
        sam.save()
        send_message(doreen, conversation, "Hello Sam")
        Participant.objects.filter(user=sam).update(reply_due_at=NOW + due, promised_reply_by=promised)
        client.force_login(sam)

        page = client.get(reverse("home")).content.decode()

    assert words in page
    assert f'href="{conversation.get_absolute_url()}#reply"' in page


@pytest.mark.django_db
def test_nothing_owed_shows_no_waiting_section(client):
    _conversation, sam, _doreen = one_to_one()
    client.force_login(sam)

    assert "Waiting for you" not in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_the_writer_of_a_held_message_is_told_how_its_review_ended():
    conversation, sam, _doreen = one_to_one()
    coordinator = coordinator_of(conversation.match.programme)
    kept = send_message(sam, conversation, "text me on 07700 900123")
    released = send_message(sam, conversation, "my number is 07700 900456")

    reject_message(kept, coordinator, "No phone numbers, please")
    approve_message(released, coordinator)

    told = {n.url: n.text for n in Notice.objects.filter(user=sam, kind=Notice.Kind.REVIEW)}
    subject = conversation.subject
    assert told == {
        f"{conversation.get_absolute_url()}#message-{kept.pk}": f"Your message in “{subject}” was not delivered: "
        "a coordinator explains why.",
        f"{conversation.get_absolute_url()}#message-{released.pk}": f"Your message in “{subject}” was reviewed and "
        "delivered.",
    }
