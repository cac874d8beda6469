import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutboundEmail
from accounts.tests.factories import UserFactory
from matching.models import Membership
from matching.services import approve_memberships

from .factories import MenteeFactory, ProgrammeFactory, TopicFactory


@pytest.fixture
def programme():
    programme = ProgrammeFactory(slug="law-futures")
    programme.topics.set([TopicFactory(name="law", slug="law"), TopicFactory(name="CVs", slug="cvs")])
    return programme


def enrol_data(programme, **overrides):
    return {
        "role": "mentee",
        "topics": [t.pk for t in programme.topics.all()],
        "goals": "Get into law school.",
        "languages": ["en"],
        "capacity": "1",
        "gender": "",
        "preferred_mentor_gender": "",
        "accept_agreement": "on",
        **overrides,
    }


@pytest.mark.django_db
def test_a_mentee_enrols_and_is_sent_to_suggestions(client, programme):
    person = UserFactory()
    client.force_login(person)

    response = client.post(reverse("matching:enrol", args=[programme.slug]), enrol_data(programme))

    assert response.status_code == 302
    assert response["Location"] == reverse("matching:suggestions", args=[programme.slug])
    membership = Membership.objects.get(user=person)
    assert (membership.role, membership.status, membership.languages) == ("mentee", "approved", ["en"])
    assert membership.agreement_accepted_at is not None
    assert set(membership.topics.values_list("slug", flat=True)) == {"law", "cvs"}


@pytest.mark.django_db
def test_a_mentor_enrols_with_a_capacity(client, programme):
    client.force_login(UserFactory())

    client.post(reverse("matching:enrol", args=[programme.slug]), enrol_data(programme, role="mentor", capacity="3"))

    assert Membership.objects.get().capacity == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"topics": ["999999"]}, "topics"),
        ({"topics": []}, "topics"),
        ({"topics": ["abc"]}, "topics"),
        ({"role": "mentor", "capacity": "0"}, "capacity"),
        ({"role": "mentor", "capacity": "-2"}, "capacity"),
        ({"role": "mentor", "capacity": "many"}, "capacity"),
        ({"role": "mentor", "capacity": "51"}, "capacity"),
        ({"role": "coordinator"}, "role"),
        ({"languages": []}, "languages"),
        ({"languages": ["xx"]}, "languages"),
        ({"accept_agreement": ""}, "accept_agreement"),
        ({"goals": "x" * 2001}, "goals"),
        ({"gender": "robot"}, "gender"),
    ],
)
def test_bad_enrolment_input_is_a_form_error(client, programme, overrides, field):
    client.force_login(UserFactory())

    response = client.post(reverse("matching:enrol", args=[programme.slug]), enrol_data(programme, **overrides))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Membership.objects.exists()


@pytest.mark.django_db
def test_a_topic_of_another_programme_is_refused(client, programme):
    other = TopicFactory(name="medicine", slug="medicine")
    client.force_login(UserFactory())

    response = client.post(reverse("matching:enrol", args=[programme.slug]), enrol_data(programme, topics=[other.pk]))

    assert "topics" in response.context["form"].errors


@pytest.mark.django_db
def test_enrolling_twice_is_refused(client, programme):
    person = UserFactory()
    MenteeFactory(user=person, programme=programme)
    client.force_login(person)

    response = client.post(reverse("matching:enrol", args=[programme.slug]), enrol_data(programme), follow=True)

    assert "You are already enrolled in this programme." in response.content.decode()
    assert Membership.objects.filter(user=person).count() == 1


@pytest.mark.django_db
def test_a_programme_that_has_ended_takes_no_enrolments(client, programme):
    programme.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    programme.starts_on = programme.ends_on - datetime.timedelta(days=100)
    programme.save()
    person = UserFactory()
    MenteeFactory(user=person, programme=ProgrammeFactory())
    client.force_login(person)

    # Not listed, and not visible to people outside it.
    assert client.get(reverse("matching:programme", args=[programme.slug])).status_code == 404
    assert client.post(reverse("matching:enrol", args=[programme.slug]), enrol_data(programme)).status_code == 404


@pytest.mark.django_db
def test_a_closed_programme_shown_to_its_members_refuses_new_enrolment_with_a_message(client, programme):
    from matching.services import MatchingError, enrol

    programme.enrolment_open = False
    programme.save()

    with pytest.raises(MatchingError, match="not taking enrolments"):
        enrol(UserFactory(), programme, role="mentee", topics=[])


@pytest.mark.django_db
def test_enrolments_needing_approval_wait_and_are_e_mailed_when_approved(client, programme):
    programme.enrolment_requires_approval = True
    programme.save()
    person = UserFactory()
    client.force_login(person)

    client.post(reverse("matching:enrol", args=[programme.slug]), enrol_data(programme))
    membership = Membership.objects.get(user=person)
    assert membership.status == "applied"
    page = client.get(reverse("matching:suggestions", args=[programme.slug])).content.decode()
    assert "A coordinator will review your enrolment." in page

    assert approve_memberships(Membership.objects.all()) == 1
    membership.refresh_from_db()
    assert membership.status == "approved"
    assert OutboundEmail.objects.get().template == "emails/enrolment_approved"


@pytest.mark.django_db
def test_a_mentee_need_not_answer_the_mentor_capacity_question(client, programme):
    client.force_login(UserFactory())

    response = client.post(reverse("matching:enrol", args=[programme.slug]), enrol_data(programme, capacity="-5"))

    assert response.status_code == 302
    assert Membership.objects.get().capacity == 1


@pytest.mark.django_db
def test_a_mentor_must_answer_the_capacity_question(client, programme):
    client.force_login(UserFactory())

    response = client.post(
        reverse("matching:enrol", args=[programme.slug]), enrol_data(programme, role="mentor", capacity="")
    )

    assert "capacity" in response.context["form"].errors
