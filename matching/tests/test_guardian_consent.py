"""A young mentee below the programme's consent age waits for a parent's or guardian's consent, asked by
e-mail with a signed link; the guardian can decline, or withdraw later, which pauses the match."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import delivery
from accounts.models import OutboundEmail
from accounts.tests.factories import UserFactory
from consent.models import GuardianConsent
from matching.models import Match, Membership, ProgrammeCoordinator
from matching.readiness import readiness
from matching.services import MatchingError, accept, request_mentor, resume

from .factories import MentorFactory, ProgrammeFactory, TopicFactory
from .test_enrol import enrol_data

NOW = datetime.datetime(2026, 5, 4, 9, tzinfo=datetime.UTC)
GUARDIAN = "parent.of.lucia@example.org"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def young_programme(frozen):
    programme = ProgrammeFactory(name="Widening Access", for_young_people=True, consent_age=16)
    programme.topics.add(TopicFactory(name="Law"))
    coordinator = UserFactory(is_staff=True, display_name="Ms Okafor")
    ProgrammeCoordinator.objects.create(programme=programme, user=coordinator, is_safeguarding_lead=True)
    return programme, coordinator


def born(years: int, days: int = 0) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - datetime.timedelta(days=days)


def enrol_young(client, programme, *, age=15, guardian=GUARDIAN, **extra):
    person = UserFactory(display_name="Lucia Romero", email="lucia@example.org")
    client.force_login(person)
    data = enrol_data(programme, date_of_birth=born(age, 10).isoformat(), guardian_name="Rosa Romero",
                      guardian_email=guardian, **extra)  # fmt: skip
    return person, client.post(reverse("matching:enrol", args=[programme.slug]), data)


def deliver(template: str, to: str = GUARDIAN):
    row = OutboundEmail.objects.filter(template=template).latest("pk")
    assert delivery.deliver(row.pk) == OutboundEmail.Status.SENT
    message = mail.outbox[-1]
    assert [address.rsplit("<", 1)[-1].rstrip(">") for address in message.to] == [to]
    return message, message.alternatives[0][0]


def link_in(message, html, action="consent") -> str:
    pattern = r"http://testserver(/consent/[^/\s\"]+/)" if action == "consent" else \
        r"http://testserver(/consent/[^/\s\"]+/withdraw/)"  # fmt: skip
    link = re.search(pattern, message.body).group(1)
    assert link in html
    return link


@pytest.mark.django_db
def test_the_guardian_is_told_what_matters_and_consents_by_a_signed_link(client, young_programme):
    programme, coordinator = young_programme
    person, response = enrol_young(client, programme)
    assert response.status_code == 302
    membership = Membership.objects.get(user=person)
    consent = GuardianConsent.objects.get()
    assert (consent.status, consent.guardian_email, consent.person) == ("requested", GUARDIAN, person)
    assert not readiness(membership).ready
    assert "waiting for a guardian's consent" in readiness(membership).reasons()

    message, html = deliver("emails/guardian_consent")
    for part in (message.body, html):
        assert "Widening Access" in part
        assert "Lucia Romero" in part
        assert "Ms Okafor" in part
        assert "screened" in part  # its safeguarding
        assert "coordinators can read every conversation" in part  # from messaging's facts
        assert "365 days after their match ends" in part  # what is kept, for how long
        assert "18 May 2026" in part  # the link's expiry (14 days)
    assert "List-Unsubscribe" not in message.extra_headers  # essential: one e-mail per request
    link = link_in(message, html)

    client.logout()  # the guardian has no account
    page = client.get(link)
    assert page.status_code == 200
    assert "Widening Access" in page.content.decode()
    answered = client.post(link, {"answer": "give"})
    assert answered.status_code == 200
    consent.refresh_from_db()
    assert consent.status == "given" and consent.answered_at == NOW
    assert consent.explained["programme"] == "Widening Access"  # what they agreed to, kept as it was
    assert readiness(Membership.objects.get(pk=membership.pk)).ready

    confirmation, confirmation_html = deliver("emails/guardian_consent_given")
    assert link_in(confirmation, confirmation_html, "withdraw")
    told = OutboundEmail.objects.filter(template="emails/guardian_consent_answered")
    assert {row.recipient for row in told} == {person, coordinator}


@pytest.mark.django_db
def test_a_replayed_link_changes_nothing(client, young_programme):
    programme, _coordinator = young_programme
    enrol_young(client, programme)
    message, html = deliver("emails/guardian_consent")
    link = link_in(message, html)
    client.logout()
    assert client.post(link, {"answer": "decline"}).status_code == 200

    replay = client.post(link, {"answer": "give"})

    assert replay.status_code == 409
    assert "You have already answered" in replay.content.decode()
    assert GuardianConsent.objects.get().status == "declined"


@pytest.mark.django_db
def test_an_expired_link_changes_nothing(client, young_programme, frozen):
    programme, _coordinator = young_programme
    enrol_young(client, programme)
    message, html = deliver("emails/guardian_consent")
    link = link_in(message, html)
    client.logout()

    frozen.shift(datetime.timedelta(days=15))
    expired = client.post(link, {"answer": "give"})

    assert expired.status_code == 410
    assert "This link has expired" in expired.content.decode()
    assert GuardianConsent.objects.get().status == "requested"


@pytest.mark.django_db
def test_asking_again_replaces_the_older_link(client, young_programme):
    programme, _coordinator = young_programme
    enrol_young(client, programme)
    first, first_html = deliver("emails/guardian_consent")
    old_link = link_in(first, first_html)
    asked = client.post(reverse("matching:guardian", args=[programme.slug]), {"guardian_email": "other@example.org"})
    assert asked.status_code == 302
    second, second_html = deliver("emails/guardian_consent", to="other@example.org")
    new_link = link_in(second, second_html)
    client.logout()

    replaced = client.post(old_link, {"answer": "give"})
    assert replaced.status_code == 410
    assert "A newer e-mail replaced this one" in replaced.content.decode()
    assert GuardianConsent.objects.get().status == "requested"
    assert client.post(new_link, {"answer": "give"}).status_code == 200
    assert GuardianConsent.objects.get().status == "given"


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["not-a-token", "x" * 5000, "eyJjIjoxfQ:1abc:bad"])
def test_a_tampered_link_is_a_styled_404(client, token):
    response = client.post(reverse("consent:answer", args=[token]), {"answer": "give"})
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


@pytest.mark.django_db
def test_a_withdrawn_consent_pauses_the_match_and_tells_the_coordinator(client, young_programme):
    programme, coordinator = young_programme
    person, _response = enrol_young(client, programme)
    consent_message, consent_html = deliver("emails/guardian_consent")
    client.logout()
    client.post(link_in(consent_message, consent_html), {"answer": "give"})
    mentee = Membership.objects.get(user=person)
    mentor = MentorFactory(programme=programme, topics=list(programme.topics.all()), capacity=2)
    match = accept(request_mentor(mentee, mentor), mentor.user)
    confirmation, confirmation_html = deliver("emails/guardian_consent_given")
    withdraw_link = link_in(confirmation, confirmation_html, "withdraw")

    assert client.get(withdraw_link).status_code == 200
    assert client.post(withdraw_link).status_code == 200

    match.refresh_from_db()
    assert (match.status, match.pause_reason) == (Match.Status.PAUSED, Match.PauseReason.CONSENT_WITHDRAWN)
    assert not match.is_writable
    alert = OutboundEmail.objects.get(template="emails/guardian_consent_withdrawn")
    assert (alert.recipient, alert.kind) == (coordinator, "safeguarding")
    message, html = deliver("emails/guardian_consent_withdrawn", to=coordinator.email)
    for part in (message.body, html):
        assert "Lucia Romero" in part
    assert "a guardian withdrew consent" in readiness(Membership.objects.get(pk=mentee.pk)).reasons()
    with pytest.raises(MatchingError, match="a guardian withdrew consent"):
        resume(match, coordinator)  # not until a guardian consents anew
    assert client.post(withdraw_link).status_code == 409  # once is enough


@pytest.mark.django_db
def test_at_the_consent_age_no_guardian_is_asked(client, young_programme):
    programme, _coordinator = young_programme
    person, response = enrol_young(client, programme, age=16, guardian="")
    assert response.status_code == 302
    assert not GuardianConsent.objects.exists()
    assert readiness(Membership.objects.get(user=person)).ready


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("date_of_birth", "guardian", "field", "error"),
    [
        ((timezone.localdate() + datetime.timedelta(days=400)).isoformat(), GUARDIAN, "date_of_birth",
         "A date of birth cannot be in the future."),
        ("1890-01-01", GUARDIAN, "date_of_birth", "Please check your date of birth."),
        ("not a date", GUARDIAN, "date_of_birth", "Enter a real date."),
        (None, "lucia@example.org", "guardian_email", "not yours"),
        (None, "LUCIA@example.org", "guardian_email", "not yours"),
        (None, "", "guardian_email", "Please give your parent's or guardian's e-mail address."),
        (None, "not-an-address", "guardian_email", "Enter a valid email address."),
    ],
)  # fmt: skip
def test_bad_input_gets_a_clear_message_and_changes_nothing(client, young_programme, date_of_birth, guardian,
                                                           field, error):  # fmt: skip
    programme, _coordinator = young_programme
    person = UserFactory(email="lucia@example.org")
    client.force_login(person)
    data = enrol_data(programme, date_of_birth=date_of_birth or born(14).isoformat(), guardian_email=guardian)

    response = client.post(reverse("matching:enrol", args=[programme.slug]), data)

    assert response.status_code == 200
    assert error in " ".join(response.context["form"].errors.get(field, []))
    assert not Membership.objects.exists()
    assert not GuardianConsent.objects.exists()
    assert not OutboundEmail.objects.exists()
    person.refresh_from_db()
    assert person.date_of_birth is None
