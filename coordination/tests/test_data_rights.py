import datetime
import json

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from accounts.emails import queue_email
from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD
from matching.models import Match, Membership
from matching.services import close
from messaging.models import Message
from messaging.retention import purge_expired_messages
from messaging.services import send_message
from messaging.tests.helpers import one_to_one


@pytest.mark.django_db
def test_download_contains_everything_of_mine_and_nothing_of_anyone_else(client):
    conversation, sam, doreen = one_to_one()
    send_message(sam, conversation, "My own words")
    send_message(doreen, conversation, "Doreen's private words")
    other, lucia, _tomas = one_to_one(mentee_name="Lucía", mentor_name="Tomás")
    send_message(lucia, other, "Lucía's words")
    client.force_login(sam)

    response = client.get(reverse("my_data"))

    assert response["Content-Disposition"].startswith('attachment; filename="my-mentoring-data-')
    data = json.loads(response.content)
    assert data["profile"]["email"] == sam.email
    assert [m["body"] for m in data["messages"]] == ["My own words"]
    assert len(data["memberships"]) == 1 and len(data["matches"]) == 1
    assert data["matches"][0]["people"] == ["Doreen"]
    text = response.content.decode()
    assert "Doreen's private words" not in text and "Lucía" not in text and doreen.email not in text


@pytest.mark.django_db
def test_erasure_anonymises_ends_sessions_and_stops_e_mails(client):
    conversation, sam, doreen = one_to_one()
    send_message(sam, conversation, "Hello from Sam")
    client.force_login(sam)

    bad = client.post(reverse("erase_account"), {"password": "wrong", "confirm": "on"})
    assert bad.status_code == 200 and bad.context["form"].errors["password"]
    old_session = client.cookies["sessionid"].value
    response = client.post(reverse("erase_account"), {"password": DEFAULT_PASSWORD, "confirm": "on"})

    assert response.status_code == 302
    sam.refresh_from_db()
    assert sam.display_name == "Deleted user"
    assert sam.email.endswith("@erased.invalid")
    assert (sam.bio, sam.pronouns, sam.languages, sam.is_active) == ("", "", [], False)
    assert sam.erased_at is not None
    assert not EmailAddress.objects.filter(user=sam).exists()
    assert Membership.objects.get(user=sam).status == "withdrawn"
    assert Match.objects.get().status == "closed"
    assert queue_email(sam, "safeguarding", "emails/welcome", {}, "after-erasure") is None
    client.cookies["sessionid"] = old_session
    assert client.get(reverse("accounts:profile")).status_code == 302  # signed out everywhere
    # The other member keeps the record, from "Deleted user".
    client.force_login(doreen)
    page = client.get(reverse("messaging:thread", args=[conversation.pk])).content.decode()
    assert "Hello from Sam" in page and "Deleted user" in page
    assert not User.objects.filter(display_name="Sam").exists()


@pytest.mark.django_db
def test_purge_deletes_old_messages_but_respects_safeguarding_holds():
    kept, sam, doreen = one_to_one(retention_days=30)
    purged, lucia, tomas = one_to_one(retention_days=30, mentee_name="Lucía", mentor_name="Tomás")
    send_message(sam, kept, "Keep me")
    send_message(lucia, purged, "Purge me")
    now = timezone.now()
    close(kept.match, doreen, reason="safeguarding", rating=None)
    close(purged.match, tomas, reason="completed", rating=5)
    Match.objects.filter(pk=kept.match_id).update(safeguarding_hold=True)

    with time_machine.travel(now + datetime.timedelta(days=29), tick=False):
        assert purge_expired_messages() == 0
    with time_machine.travel(now + datetime.timedelta(days=31), tick=False):
        assert purge_expired_messages() == 1
        assert purge_expired_messages() == 0

    assert list(Message.objects.values_list("body", flat=True)) == ["Keep me"]
