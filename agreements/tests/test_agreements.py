"""A pair's agreement: one writes and signs it, the other signs, and from then on reply reminders follow
the window they agreed. Either can propose a change; the agreement in force stays until the other accepts."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import delivery
from accounts.models import OutboundEmail
from accounts.tests.factories import UserFactory
from agreements import services
from agreements.models import Agreement
from matching.models import Match, ProgrammeCoordinator
from matching.permissions import COORDINATORS_GROUP
from matching.services import pause
from messaging.models import Participant
from messaging.reminders import send_due_reminders
from messaging.services import send_message
from messaging.tests.helpers import one_to_one

NOW = datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC)
TERMS = {
    "goals": "A strong personal statement by October; confidence in interviews.",
    "writing_frequency": "weekly",
    "reply_within_days": "5",
    "meetings": "One video call a month, arranged by the programme.",
    "ground_rules": "Keep everything on the platform. Say when you are busy.",
}


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def pair(frozen):
    conversation, mentee, mentor = one_to_one(agreement="Be kind; keep contact on the platform.",
                                              response_expectation_hours=48, second_reminder_after_hours=96,
                                              escalation_after_hours=144)  # fmt: skip
    return conversation, conversation.match, mentee, mentor


def agree(client, match, proposer, signer, **changes):
    client.force_login(proposer)
    response = client.post(reverse("agreements:agreement", args=[match.pk]), {**TERMS, **changes})
    assert response.status_code == 302, response.context["form"].errors
    waiting = Agreement.objects.get(match=match, status="proposed")
    client.force_login(signer)
    assert client.post(reverse("agreements:sign", args=[waiting.pk])).status_code == 302
    return Agreement.objects.get(pk=waiting.pk)


@pytest.mark.django_db
def test_the_pair_agree_and_reply_reminders_follow_their_window(client, pair, frozen):
    conversation, match, mentee, mentor = pair
    client.force_login(mentor)
    form = client.get(reverse("agreements:agreement", args=[match.pk])).context["form"]
    assert form.initial["ground_rules"] == "Be kind; keep contact on the platform."  # the programme's
    assert form.initial["reply_within_days"] == 2  # the programme's 48 hours

    assert client.post(reverse("agreements:agreement", args=[match.pk]), TERMS).status_code == 302
    waiting = Agreement.objects.get(match=match)
    assert (waiting.status, waiting.version, waiting.proposed_by) == ("proposed", 1, mentor)
    row = OutboundEmail.objects.get(template="emails/agreement_proposed")
    assert row.recipient == mentee
    assert delivery.deliver(row.pk) == OutboundEmail.Status.SENT
    message = mail.outbox[-1]
    html = message.alternatives[0][0]
    assert "Doreen has written your mentoring agreement" in message.subject
    for part in (message.body, html):
        assert "Doreen has written and signed your mentoring agreement" in part
        assert f"http://testserver/matches/{match.pk}/agreement/" in part
    client.force_login(mentee)
    match_page = client.get(reverse("matching:match", args=[match.pk])).content.decode()
    assert "A new version is waiting for your signature." in match_page

    assert client.post(reverse("agreements:sign", args=[waiting.pk])).status_code == 302
    waiting.refresh_from_db()
    assert (waiting.status, waiting.in_force_at) == ("in_force", NOW)

    # The mentee writes; the mentor owes a reply within the agreed 5 days, not the programme's 2.
    send_message(mentee, conversation, "Here is my first draft.")
    owed = Participant.objects.get(conversation=conversation, user=mentor)
    assert owed.reply_due_at == NOW + datetime.timedelta(days=5)
    frozen.shift(datetime.timedelta(days=4, hours=23))
    assert send_due_reminders()["reminded"] == 0
    frozen.shift(datetime.timedelta(hours=2))
    assert send_due_reminders()["reminded"] == 1
    owed.refresh_from_db()
    # The later levels keep the programme's gaps after the first reminder (96 - 48 hours).
    assert owed.reply_due_at == NOW + datetime.timedelta(days=5, hours=48)


@pytest.mark.django_db
def test_a_change_waits_for_the_other_and_a_refusal_keeps_the_agreement(client, pair):
    _conversation, match, mentee, mentor = pair
    first = agree(client, match, mentor, mentee)

    client.force_login(mentee)
    client.post(reverse("agreements:agreement", args=[match.pk]), {**TERMS, "reply_within_days": "7"})
    change = Agreement.objects.get(match=match, status="proposed")
    assert change.version == 2
    assert services.in_force(match).pk == first.pk  # the first stays until the mentor accepts
    # The mentor cannot put a rival proposal over it: they answer it first.
    client.force_login(mentor)
    rival = client.post(reverse("agreements:agreement", args=[match.pk]), {**TERMS, "reply_within_days": "1"})
    assert "There is a proposal waiting for your answer" in rival.content.decode()

    assert client.post(reverse("agreements:decline", args=[change.pk])).status_code == 302
    change.refresh_from_db()
    assert (change.status, change.answered_by) == ("declined", mentor)
    assert services.in_force(match).pk == first.pk

    second = agree(client, match, mentee, mentor, reply_within_days="7")
    first.refresh_from_db()
    assert (second.status, second.version, first.status) == ("in_force", 3, "superseded")
    assert services.reply_windows([match.pk]) == {match.pk: 7 * 24}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "text"),
    [("goals", "Text me on 07700 900123"), ("meetings", "add me: sam.p@gmail.com"),
     ("ground_rules", "Follow me on insta @sam_p_2009")],
)  # fmt: skip
def test_contact_details_in_an_agreement_are_refused_and_nothing_is_saved(client, pair, field, text):
    _conversation, match, _mentee, mentor = pair
    client.force_login(mentor)
    response = client.post(reverse("agreements:agreement", args=[match.pk]), {**TERMS, field: text})
    assert response.status_code == 200
    assert "cannot contain contact details" in " ".join(response.context["form"].errors[field])
    assert not Agreement.objects.exists()
    assert not OutboundEmail.objects.filter(template="emails/agreement_proposed").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes", [{"reply_within_days": "0"}, {"reply_within_days": "15"}, {"reply_within_days": "soon"},
                {"goals": ""}, {"writing_frequency": "hourly"}, {"goals": "x" * 2001}],
)  # fmt: skip
def test_bad_terms_get_a_form_error(client, pair, changes):
    _conversation, match, _mentee, mentor = pair
    client.force_login(mentor)
    response = client.post(reverse("agreements:agreement", args=[match.pk]), {**TERMS, **changes})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Agreement.objects.exists()


@pytest.mark.django_db
def test_nobody_outside_the_match_reads_or_signs_it(client, pair):
    _conversation, match, _mentee, mentor = pair
    client.force_login(mentor)
    client.post(reverse("agreements:agreement", args=[match.pk]), TERMS)
    waiting = Agreement.objects.get()
    client.force_login(UserFactory())
    assert client.get(reverse("agreements:agreement", args=[match.pk])).status_code == 404
    assert client.post(reverse("agreements:sign", args=[waiting.pk])).status_code == 404
    assert client.post(reverse("agreements:decline", args=[waiting.pk])).status_code == 404
    waiting.refresh_from_db()
    assert waiting.status == "proposed"


@pytest.mark.django_db
def test_signing_twice_or_after_a_pause_is_refused_plainly(client, pair):
    _conversation, match, mentee, mentor = pair
    client.force_login(mentor)
    client.post(reverse("agreements:agreement", args=[match.pk]), TERMS)
    waiting = Agreement.objects.get()
    again = client.post(reverse("agreements:sign", args=[waiting.pk]), follow=True)
    assert "You have already signed this version." in again.content.decode()

    pause(Match.objects.get(pk=match.pk), None)
    client.force_login(mentee)
    refused = client.post(reverse("agreements:sign", args=[waiting.pk]), follow=True)
    assert "This match is not active" in refused.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == "proposed"


@pytest.mark.django_db
def test_the_coordinator_sees_every_version_in_the_match_admin(client, pair):
    _conversation, match, mentee, mentor = pair
    agree(client, match, mentor, mentee)
    coordinator = UserFactory(is_staff=True)  # with its second factor
    ProgrammeCoordinator.objects.create(programme=match.programme, user=coordinator)
    coordinator.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    client.force_login(coordinator)
    page = client.get(reverse("admin:matching_match_change", args=[match.pk])).content.decode()
    assert "A strong personal statement by October" in page
    assert re.search(r"Doreen \(2026-06-01\), Sam \(2026-06-01\)", page)
    assert timezone.now() == NOW
