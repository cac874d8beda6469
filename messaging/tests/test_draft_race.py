"""The send wins: an autosave of a reply form whose message has been sent keeps nothing, whether it
arrives after the send or while the send is in flight (it used to bring the sent text back as a draft)."""

import pytest
from django.urls import reverse

from matching.tests.test_concurrency import race
from messaging.forms import new_submission_key
from messaging.models import Draft, Message, Participant
from messaging.services import save_draft, send_message
from messaging.tests.helpers import one_to_one


@pytest.mark.django_db
def test_an_autosave_after_the_send_brings_nothing_back(client):
    conversation, sam, _doreen = one_to_one()
    client.force_login(sam)
    key = new_submission_key()
    reply = client.post(reverse("messaging:reply", args=[conversation.pk]), {"body": "My answer", "submission": key})
    assert reply.status_code == 302 and Message.objects.filter(submission_key=key).exists()

    late = client.post(reverse("messaging:draft", args=[conversation.pk]), {"body": "My answer", "submission": key},
                       HTTP_X_FRAGMENT="1")  # fmt: skip

    assert late.status_code == 200
    assert not Draft.objects.exists()
    # A new form (a new key) still keeps what is being written.
    client.post(reverse("messaging:draft", args=[conversation.pk]), {"body": "Next thought",
                                                                     "submission": new_submission_key()})  # fmt: skip
    assert Draft.objects.get().body == "Next thought"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_number", range(5))
def test_an_autosave_racing_the_send_never_outlives_it(round_number):
    conversation, sam, _doreen = one_to_one()
    me = Participant.objects.get(conversation=conversation, user=sam)
    key = new_submission_key()

    outcomes = race(lambda: send_message(sam, conversation, "My answer", submission_key=key),
                    lambda: save_draft(me, "My answer", None, key))  # fmt: skip

    assert [kind for kind, _result in outcomes] == ["ok", "ok"]  # neither failed (nor deadlocked)
    assert Message.objects.filter(submission_key=key).count() == 1
    assert not Draft.objects.exists()
