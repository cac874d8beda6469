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
from agreements import services as agreements
from agreements.models import Agreement
from checkins.models import Answer, Round, Survey
from consent.models import GuardianConsent
from matching.models import Match, Membership
from matching.readiness import CONSENT_PURPOSE
from matching.services import close
from messaging.models import Message
from messaging.retention import purge_expired_messages
from messaging.services import send_message
from messaging.tests.helpers import one_to_one
from screening.models import Check, CheckType
from training.models import Attempt, Module


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


def person_level_records(match, sam, doreen):
    """A date of birth, a guardian's consent, a check, a training pass and a signed agreement."""
    sam.date_of_birth = datetime.date(2010, 3, 4)
    sam.save()
    membership = Membership.objects.get(user=sam)
    GuardianConsent.objects.create(person=sam, purpose=CONSENT_PURPOSE, purpose_id=membership.pk, guardian_name="Rosa",
                                   guardian_email="rosa@example.org", status="given", nonce="n")  # fmt: skip
    dbs = CheckType.objects.create(name="Enhanced DBS")
    Check.objects.create(
        person=sam,
        check_type=dbs,
        outcome="cleared",
        evidence_reference="DBS-0042",
        verified_on=datetime.date(2026, 1, 5),
    )
    Attempt.objects.create(person=sam, module=Module.objects.get(slug="staying-safe"), version=1, passed=True)
    terms = {"goals": "Law school", "writing_frequency": "weekly", "reply_within_days": 3, "meetings": "",
             "ground_rules": "Be kind."}  # fmt: skip
    agreements.sign(agreements.propose(match, doreen, terms), sam)
    pulse = Survey.objects.get(programme=None, kind="pulse")
    check_in = Round.objects.create(survey=pulse, match=match, person=sam)
    Answer.objects.create(round=check_in, question=pulse.questions.get(kind="text"), text="It helps a lot")


@pytest.mark.django_db
def test_the_download_and_the_erasure_cover_checks_training_consent_and_agreements(client):
    conversation, sam, doreen = one_to_one()
    person_level_records(conversation.match, sam, doreen)
    client.force_login(sam)

    data = json.loads(client.get(reverse("my_data")).content)

    assert data["profile"]["date_of_birth"] == "2010-03-04"
    assert data["guardian_consents"][0]["guardian_email"] == "rosa@example.org"
    assert data["screening_checks"][0]["evidence_reference"] == "DBS-0042"
    assert data["training"][0]["module"] == "Staying safe"
    assert data["agreements_signed"][0]["goals"] == "Law school"
    assert data["check_in_answers"][0]["text"] == "It helps a lot"

    assert client.post(reverse("erase_account"), {"password": DEFAULT_PASSWORD, "confirm": "on"}).status_code == 302
    sam.refresh_from_db()
    assert sam.date_of_birth is None
    assert not GuardianConsent.objects.exists()
    assert not Check.objects.exists()
    assert not Attempt.objects.exists()
    assert not Round.objects.exists() and not Answer.objects.exists()
    assert Agreement.objects.get().status == "in_force"  # stays with the match, for the other member


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
