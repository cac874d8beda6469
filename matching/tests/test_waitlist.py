"""The waiting list: when every mentor is full, a mentee sees their place; coordinators see the queue."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.tests.factories import UserFactory
from matching import waitlist
from matching.models import ProgrammeCoordinator
from matching.permissions import COORDINATORS_GROUP
from matching.services import accept, propose

from .factories import MenteeFactory, MentorFactory, ProgrammeFactory

T0 = datetime.datetime(2026, 9, 7, 9, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


def coordinator_of(programme):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    ProgrammeCoordinator.objects.create(programme=programme, user=user)
    return user


@pytest.fixture
def full_programme(time_machine):
    """One mentor, full; three mentees approved on three days, the first of them matched."""
    time_machine.move_to(T0, tick=False)
    programme = ProgrammeFactory(name="Riverside")
    mentor = MentorFactory(programme=programme, capacity=1, user__display_name="Doreen")
    mentees = [
        MenteeFactory(programme=programme, approved_at=T0 + n * DAY, user__display_name=name)
        for n, name in enumerate(["Ada", "Ben", "Cleo"])
    ]
    accept(propose(mentees[0], mentor, by=None, source="coordinator"), by=None)
    time_machine.move_to(T0 + 10 * DAY, tick=False)
    return programme, mentor, mentees


@pytest.mark.django_db
def test_a_mentee_sees_their_place_when_every_mentor_is_full(client, full_programme):
    programme, _mentor, (_ada, ben, cleo) = full_programme
    client.force_login(cleo.user)
    page = client.get(reverse("matching:suggestions", args=[programme.slug])).content.decode()
    assert "You are number 2 on the waiting list" in page
    client.force_login(ben.user)
    page = client.get(reverse("matching:suggestions", args=[programme.slug])).content.decode()
    assert "You are number 1 on the waiting list" in page


@pytest.mark.django_db
def test_no_place_is_shown_once_a_mentor_has_room(client, full_programme):
    programme, _mentor, (_ada, _ben, cleo) = full_programme
    MentorFactory(programme=programme, capacity=2, user__display_name="Tomás")
    client.force_login(cleo.user)
    page = client.get(reverse("matching:suggestions", args=[programme.slug])).content.decode()
    assert "waiting list" not in page and "Tomás" in page


@pytest.mark.django_db
def test_the_queue_moves_when_someone_ahead_is_matched(full_programme):
    programme, _mentor, (_ada, ben, cleo) = full_programme
    assert [m.pk for m in waitlist.queue(programme)] == [ben.pk, cleo.pk]
    other = MentorFactory(programme=programme, capacity=1)
    accept(propose(ben, other, by=None, source="coordinator"), by=None)
    assert waitlist.place_of(cleo) == 1 and waitlist.place_of(ben) is None


@pytest.mark.django_db
def test_the_coordinator_sees_the_queue_oldest_first_and_only_their_own(client, full_programme):
    programme, _mentor, _people = full_programme
    client.force_login(coordinator_of(programme))
    page = client.get(reverse("admin:programme_waiting_list", args=[programme.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "0 mentors have room" in html
    assert html.index("Ben") < html.index("Cleo") and "Ada" not in html
    assert 'data-place="2"' in html

    elsewhere = ProgrammeFactory(name="Elsewhere")
    client.force_login(coordinator_of(elsewhere))
    assert client.get(reverse("admin:programme_waiting_list", args=[programme.pk])).status_code == 404


@pytest.mark.django_db
def test_a_place_costs_the_same_queries_for_a_short_or_a_long_queue(full_programme, django_assert_max_num_queries):
    programme, _mentor, (_ada, _ben, cleo) = full_programme
    with django_assert_max_num_queries(4):
        waitlist.place_of(cleo)
        waitlist.mentors_with_room(programme)
    for n in range(30):
        MenteeFactory(programme=programme, approved_at=T0 - n * DAY)
    with django_assert_max_num_queries(4):
        assert waitlist.place_of(cleo) == 32
        waitlist.mentors_with_room(programme)
