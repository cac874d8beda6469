"""S15: an open concern, a message waiting for review or a closure for safeguarding keeps every record
until the safeguarding lead releases it; a purge or an erasure leaves no readable copy of the text."""

import datetime

import pytest
import time_machine
from django.core.cache import caches
from django.urls import reverse

from coordination.data_rights import erase_account
from matching.models import Match
from matching.services import MatchingError, close, release_safeguarding_hold
from messaging import selectors, services, thread_cache
from messaging.models import Conversation, Message
from messaging.retention import purge_expired_messages
from messaging.services import report_concern, send_message

from .helpers import coordinator_of, one_to_one

NOW = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC)
LATER = NOW + datetime.timedelta(days=31)  # past a 30-day retention


def closed_pair(**programme_fields):
    conversation, sam, doreen = one_to_one(retention_days=30, **programme_fields)
    return conversation, sam, doreen


@pytest.mark.django_db
def test_a_reported_concern_holds_the_match_and_the_purge_keeps_its_messages():
    with time_machine.travel(NOW, tick=False):
        conversation, sam, doreen = closed_pair()
        message = send_message(doreen, conversation, "Something worrying")
        report_concern(message, sam, "This made me uncomfortable")
        close(conversation.match, sam, reason="completed", rating=None)

    with time_machine.travel(LATER, tick=False):
        assert purge_expired_messages() == 0

    match = Match.objects.get(pk=conversation.match_id)
    assert match.safeguarding_hold
    assert match.safeguarding_hold_reason == "a concern was reported"
    assert Message.objects.filter(pk=message.pk).exists()


@pytest.mark.django_db
def test_a_message_waiting_for_review_keeps_the_match_records():
    with time_machine.travel(NOW, tick=False):
        conversation, sam, doreen = closed_pair()
        send_message(sam, conversation, "text me on 07700 900123")  # held
        close(conversation.match, doreen, reason="completed", rating=None)

    with time_machine.travel(LATER, tick=False):
        assert purge_expired_messages() == 0
    assert Message.objects.filter(conversation=conversation).count() == 1


@pytest.mark.django_db
def test_a_closure_for_safeguarding_holds_until_the_lead_releases_it():
    with time_machine.travel(NOW, tick=False):
        conversation, sam, doreen = closed_pair()
        send_message(sam, conversation, "Hello")
        close(conversation.match, doreen, reason="safeguarding", rating=None)
        lead = coordinator_of(conversation.match.programme, lead=True)
        helper = coordinator_of(conversation.match.programme, lead=False)

    with time_machine.travel(LATER, tick=False):
        assert purge_expired_messages() == 0
        with pytest.raises(MatchingError, match="safeguarding lead"):
            release_safeguarding_hold(conversation.match, helper)
        assert purge_expired_messages() == 0
        release_safeguarding_hold(conversation.match, lead)
        assert purge_expired_messages() == 1


def _stored_copies(request_factory_client, conversation, viewer):
    """The sealed copies of a thread page in Redis and in this process's memory, by key."""
    request_factory_client.force_login(viewer)
    response = request_factory_client.get(reverse("messaging:thread", args=[conversation.pk]))
    stamp = selectors.thread_stamp(viewer, conversation.pk, services.EDIT_WINDOW)
    key = thread_cache.key(response.wsgi_request, stamp)
    return stamp, key, caches["redis"].get(key), caches["pages"].get(key)


@pytest.mark.django_db
def test_after_a_purge_no_cached_copy_of_the_page_can_be_read(client):
    with time_machine.travel(NOW, tick=False):
        conversation, sam, doreen = closed_pair()
        send_message(sam, conversation, "A private worry about home")
        close(conversation.match, doreen, reason="completed", rating=None)
        stamp, _key, shared, local = _stored_copies(client, conversation, doreen)
    before = thread_cache._Seal(stamp.people[0]["c.page_secret"])
    assert "A private worry" in before.open(shared) and "A private worry" in before.open(local)
    assert b"A private worry" not in shared  # never stored as it reads

    with time_machine.travel(LATER, tick=False):
        assert purge_expired_messages() == 1

    secret = Conversation.objects.get(pk=conversation.pk).page_secret
    assert secret != stamp.people[0]["c.page_secret"]
    after = thread_cache._Seal(secret)
    assert after.open(shared) is None and after.open(local) is None


@pytest.mark.django_db
def test_after_an_erasure_no_cached_page_with_their_name_can_be_read(client):
    conversation, sam, doreen = one_to_one(mentee_name="Sam Erased")
    send_message(sam, conversation, "Hello from Sam")
    stamp, _key, shared, local = _stored_copies(client, conversation, doreen)
    assert "Sam Erased" in thread_cache._Seal(stamp.people[0]["c.page_secret"]).open(shared)

    erase_account(sam)

    secret = Conversation.objects.get(pk=conversation.pk).page_secret
    assert thread_cache._Seal(secret).open(shared) is None and thread_cache._Seal(secret).open(local) is None
    page = client.get(reverse("messaging:thread", args=[conversation.pk])).content.decode()
    assert "Sam Erased" not in page and "Deleted user" in page
