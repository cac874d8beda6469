import datetime

import pytest
import time_machine
from django.urls import reverse

from messaging.models import Participant
from messaging.selectors import inbox
from messaging.services import send_message

from .helpers import one_to_one

NOW = datetime.datetime(2026, 3, 3, 13, 2, tzinfo=datetime.UTC)


@pytest.mark.django_db
def test_viewing_the_thread_marks_it_read_and_the_sender_sees_when(client):
    conversation, sam, doreen = one_to_one()
    sam.timezone = "Asia/Tokyo"
    sam.save()
    with time_machine.travel(NOW - datetime.timedelta(hours=2), tick=False):
        send_message(sam, conversation, "Hello")
    client.force_login(doreen)
    with time_machine.travel(NOW, tick=False):
        client.get(reverse("messaging:thread", args=[conversation.pk]))

    assert Participant.objects.get(user=doreen).unread_count == 0
    client.force_login(sam)
    page = client.get(reverse("messaging:thread", args=[conversation.pk])).content.decode()
    assert "Seen by Doreen · Tue 22:02" in page  # 13:02 UTC, in Tokyo


@pytest.mark.django_db
def test_long_threads_page_back_with_a_keyset(client):
    conversation, sam, doreen = one_to_one()
    sent = [send_message(sam if n % 2 else doreen, conversation, f"Message number {n}") for n in range(45)]
    client.force_login(sam)

    first = client.get(reverse("messaging:thread", args=[conversation.pk])).context["page"]
    older = client.get(reverse("messaging:thread", args=[conversation.pk]), {"before": first.older_cursor}).context[
        "page"
    ]

    assert [m.pk for m in first.messages] == [m.pk for m in sent[15:]]
    assert [m.pk for m in older.messages] == [m.pk for m in sent[:15]]
    assert older.older_cursor is None


@pytest.mark.django_db
def test_inbox_shows_who_owes_whom_and_the_last_message(client):
    with time_machine.travel(NOW, tick=False) as clock:
        conversation, sam, doreen = one_to_one()
        send_message(sam, conversation, "A question")
        clock.shift(datetime.timedelta(hours=1))
        send_message(doreen, conversation, "Doreen replies with a question back")
        clock.shift(datetime.timedelta(days=2))
        client.force_login(sam)
        sams_inbox = client.get(reverse("messaging:inbox")).content.decode()
        client.force_login(doreen)
        doreens_inbox = client.get(reverse("messaging:inbox")).content.decode()

    assert "You owe a reply · 2 days" in sams_inbox
    assert "Doreen: Doreen replies with a question back" in sams_inbox
    assert "1 unread" in sams_inbox
    assert "Waiting for Sam · 2 days" in doreens_inbox
    assert "You: Doreen replies" in doreens_inbox


@pytest.mark.django_db
def test_inbox_filters_and_keyset_pagination(client):
    conversation, sam, doreen = one_to_one()
    match = conversation.match
    from messaging.services import start_conversation

    topics = [start_conversation(match, doreen, f"Topic {n}", "Hi") for n in range(30)]
    send_message(sam, topics[0], "I answered this one")

    first = inbox(sam, "all")
    second = inbox(sam, "all", first.next_cursor)
    everything = [row.conversation_id for row in first.rows + second.rows]

    assert len(first.rows) == 25 and len(second.rows) == 6 and second.next_cursor is None
    assert everything[0] == topics[0].pk  # newest activity first
    assert len(set(everything)) == 31
    assert {row.conversation_id for row in inbox(sam, "unread", page_size=100).rows} == {t.pk for t in topics[1:]}
    assert topics[0].pk not in {row.conversation_id for row in inbox(sam, "owe", page_size=100).rows}
    assert {row.conversation_id for row in inbox(doreen, "waiting", page_size=100).rows} == {t.pk for t in topics[1:]}
    assert {row.conversation_id for row in inbox(doreen, "owe", page_size=100).rows} == {topics[0].pk}

    client.force_login(sam)
    client.post(reverse("messaging:archive", args=[topics[5].pk]))
    assert [row.conversation_id for row in inbox(sam, "archived").rows] == [topics[5].pk]
    assert topics[5].pk not in [row.conversation_id for row in inbox(sam, "all", page_size=100).rows]
    send_message(doreen, topics[5], "New message brings it back")
    assert inbox(sam, "archived").rows == []


@pytest.mark.django_db
def test_a_bad_cursor_or_filter_is_ignored_not_an_error(client):
    _conversation, sam, _doreen = one_to_one()
    client.force_login(sam)

    for query in [{"after": "garbage"}, {"after": "2026-13-45T99:99_12"}, {"filter": "nonsense"}, {"after": "none_x"}]:
        assert client.get(reverse("messaging:inbox"), query).status_code == 200
    assert client.get(reverse("messaging:thread", args=[_conversation.pk]), {"before": "abc"}).status_code == 200


@pytest.mark.django_db
def test_the_inbox_reads_each_last_message_by_its_preview_never_its_body(client, django_assert_max_num_queries):
    """A last message may be 20,000 characters: the inbox shows its stored one-line preview, and the person
    beside it by name only, so neither the bodies nor anyone's other details leave the database."""
    conversation, sam, doreen = one_to_one(mentor_name="Doreen Okafor")
    send_message(doreen, conversation, "A long letter. " + "Something worth saying. " * 800)
    client.force_login(sam)
    with django_assert_max_num_queries(6) as queries:
        page = client.get(reverse("messaging:inbox")).content.decode()
    assert "Doreen Okafor: A long letter. Something worth saying." in page
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert '"messaging_message"."body"' not in sql
    inbox_sql = " ".join(query["sql"] for query in queries.captured_queries if "messaging_participant" in query["sql"])
    assert "display_name" in inbox_sql and '"email"' not in inbox_sql and '"password"' not in inbox_sql


@pytest.mark.django_db
def test_inbox_and_thread_query_counts_do_not_grow_with_history(client, django_assert_max_num_queries):
    conversation, sam, doreen = one_to_one()
    from messaging.services import start_conversation

    client.force_login(sam)
    for n in range(3):
        send_message(doreen, conversation, f"Early {n}")
    with django_assert_max_num_queries(6) as small_inbox:
        client.get(reverse("messaging:inbox"))
    with django_assert_max_num_queries(9) as small_thread:
        client.get(reverse("messaging:thread", args=[conversation.pk]))

    for n in range(40):
        start_conversation(conversation.match, doreen, f"Topic {n}", "Hello")
        send_message(sam if n % 2 else doreen, conversation, f"Later {n}")
    with django_assert_max_num_queries(len(small_inbox)):
        client.get(reverse("messaging:inbox"))
    with django_assert_max_num_queries(len(small_thread)):
        client.get(reverse("messaging:thread", args=[conversation.pk]))


@pytest.mark.django_db
def test_the_cached_message_list_changes_whenever_what_it_shows_changes(client):
    from messaging.services import edit_message

    conversation, sam, doreen = one_to_one()
    first = send_message(sam, conversation, "First version")
    client.force_login(sam)
    url = reverse("messaging:thread", args=[conversation.pk])
    assert "First version" in client.get(url).content.decode()  # now cached

    edit_message(first, sam, "Second version")
    assert "Second version" in client.get(url).content.decode()

    send_message(doreen, conversation, "A reply arrives")
    page = client.get(url).content.decode()
    assert "A reply arrives" in page
    assert "Seen by Doreen" in page  # she read it when she replied

    client.force_login(doreen)
    other_view = client.get(url).content.decode()
    assert reverse("messaging:edit", args=[first.pk]) not in other_view  # each viewer gets their own list


@pytest.mark.django_db
def test_the_thread_still_opens_and_sends_when_the_cache_is_down(client, request):
    conversation, sam, _doreen = one_to_one()
    send_message(sam, conversation, "Before the outage")
    client.force_login(sam)
    request.getfixturevalue("redis_unreachable")

    page = client.get(reverse("messaging:thread", args=[conversation.pk]))
    sent = client.post(reverse("messaging:reply", args=[conversation.pk]), {"body": "During the outage"})

    assert page.status_code == 200 and "Before the outage" in page.content.decode()
    assert sent.status_code == 302


@pytest.mark.django_db
def test_the_match_page_lists_its_conversations_through_messagings_panel(client):
    """matching's page shows messaging's part through matching.extensions: matching imports no messaging."""
    conversation, sam, doreen = one_to_one()
    send_message(sam, conversation, "Hello Doreen")
    client.force_login(doreen)

    page = client.get(reverse("matching:match", args=[conversation.match_id])).content.decode()

    assert "Getting to know each other" in page
    assert conversation.get_absolute_url() in page
    assert '<span class="badge text-bg-primary">1</span>' in page  # Doreen has not read it yet
