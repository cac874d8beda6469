"""R12: the same form submitted two or three times at once (a double click, a retry, two tabs of one
page) sends one message, or opens one topic."""

import re
import threading

import pytest
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse

from messaging.models import Conversation, Message, Participant

from .helpers import one_to_one

KEY = re.compile(r'name="submission" value="([0-9a-f]{32})"')


def at_once(*actions):
    """Run each action in its own thread (its own database connection), all released together."""
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def run(index, action):
        barrier.wait()
        try:
            results[index] = action()
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(i, action)) for i, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db(transaction=True)
def test_three_identical_reply_posts_at_once_send_one_message():
    conversation, sam, doreen = one_to_one()
    page = signed_in(sam).get(reverse("messaging:thread", args=[conversation.pk])).content.decode()
    [key] = KEY.findall(page)
    url = reverse("messaging:reply", args=[conversation.pk])
    post = {"body": "Thank you for the advice on my statement!", "submission": key}
    clients = [signed_in(sam) for _ in range(3)]

    responses = at_once(*(lambda c=c: c.post(url, post) for c in clients))

    assert [r.status_code for r in responses] == [302, 302, 302]
    [message] = Message.objects.filter(sender=sam)
    assert {r["Location"] for r in responses} == {f"{conversation.get_absolute_url()}#message-{message.pk}"}
    assert Participant.objects.get(conversation=conversation, user=doreen).unread_count == 1


@pytest.mark.django_db
def test_the_same_submission_again_sends_nothing_more_but_a_new_page_sends_again(client):
    conversation, sam, _doreen = one_to_one()
    client.force_login(sam)
    thread = reverse("messaging:thread", args=[conversation.pk])
    first_key = KEY.findall(client.get(thread).content.decode())[0]
    url = reverse("messaging:reply", args=[conversation.pk])

    client.post(url, {"body": "ok", "submission": first_key})
    client.post(url, {"body": "ok", "submission": first_key})  # the back button, and Send again
    second_key = KEY.findall(client.get(thread).content.decode())[0]
    client.post(url, {"body": "ok", "submission": second_key})  # meant: a second "ok"
    client.post(url, {"body": "ok", "submission": "not-a-key"})  # no key: sent, as before keys existed

    assert first_key != second_key
    assert Message.objects.filter(sender=sam).count() == 3


@pytest.mark.django_db
def test_every_page_served_from_the_cache_has_a_key_of_its_own(client):
    conversation, sam, _doreen = one_to_one()
    client.force_login(sam)
    thread = reverse("messaging:thread", args=[conversation.pk])

    keys = {KEY.findall(client.get(thread).content.decode())[0] for _ in range(3)}  # same page, cached

    assert len(keys) == 3


@pytest.mark.django_db(transaction=True)
def test_two_identical_new_topic_posts_at_once_open_one_topic():
    conversation, sam, _doreen = one_to_one()
    match = conversation.match
    url = reverse("messaging:new", args=[match.pk])
    page = signed_in(sam).get(url).content.decode()
    [key] = KEY.findall(page)
    post = {"subject": "My personal statement", "body": "Could you read my draft?", "submission": key}
    clients = [signed_in(sam) for _ in range(2)]

    responses = at_once(*(lambda c=c: c.post(url, post) for c in clients))

    assert [r.status_code for r in responses] == [302, 302]
    [topic] = Conversation.objects.filter(match=match, subject="My personal statement")
    assert {r["Location"] for r in responses} == {topic.get_absolute_url()}
    assert Message.objects.filter(sender=sam).count() == 1
