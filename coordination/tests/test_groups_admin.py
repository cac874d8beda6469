"""Groups in the coordinators' admin: formed from selected enrolments, members added and removed on the
match's Members page, all of it limited to the coordinator's own programmes (the picker's queryset too)."""

import pytest
from django.urls import reverse

from matching.models import Match, Programme
from matching.tests.factories import MenteeFactory, MentorFactory, ProgrammeFactory
from messaging.models import Participant

from .test_coordinators_admin import coordinator_for


@pytest.fixture
def setting():
    programme = ProgrammeFactory(format=Programme.Format.GROUP, name="Young Founders")
    mentor = MentorFactory(programme=programme, capacity=4, user__display_name="Doreen")
    mentees = [MenteeFactory(programme=programme, user__display_name=n) for n in ("Sam", "Ana", "Lina")]
    other = ProgrammeFactory(format=Programme.Format.GROUP, name="Elsewhere")
    outsider = MenteeFactory(programme=other, user__display_name="Outsider")
    return programme, mentor, mentees, outsider, coordinator_for(programme)


@pytest.mark.django_db
def test_a_coordinator_forms_a_group_from_the_selected_people(client, setting):
    _programme, mentor, (sam, ana, _lina), _outsider, coordinator = setting
    client.force_login(coordinator)

    response = client.post(
        reverse("admin:matching_membership_changelist"),
        {"action": "form_group", "_selected_action": [mentor.pk, sam.pk, ana.pk]},
    )

    match = Match.objects.get()
    assert response["Location"] == reverse("admin:matching_match_members", args=[match.pk])
    assert sorted(match.members.values_list("user__display_name", flat=True)) == ["Ana", "Doreen", "Sam"]
    page = client.get(response["Location"]).content.decode()
    assert "Lina (Mentee)" in page and "Outsider" not in page  # the picker: this programme's people only


@pytest.mark.django_db
def test_two_mentors_or_none_is_refused_in_words(client, setting):
    _programme, _mentor, (sam, _ana, _lina), _outsider, coordinator = setting
    client.force_login(coordinator)

    response = client.post(
        reverse("admin:matching_membership_changelist"),
        {"action": "form_group", "_selected_action": [sam.pk]},
        follow=True,
    )

    assert "Choose one mentor and their mentees, all of one programme." in response.content.decode()
    assert not Match.objects.exists()


@pytest.mark.django_db
def test_members_are_added_and_removed_and_another_programmes_person_cannot_be_added(client, setting):
    _programme, mentor, (sam, ana, lina), outsider, coordinator = setting
    client.force_login(coordinator)
    client.post(reverse("admin:matching_membership_changelist"),
                {"action": "form_group", "_selected_action": [mentor.pk, sam.pk, ana.pk]})  # fmt: skip
    match = Match.objects.get()
    members_url = reverse("admin:matching_match_members", args=[match.pk])

    client.post(members_url, {"membership": lina.pk})
    refused = client.post(members_url, {"membership": outsider.pk}, follow=True).content.decode()
    client.post(reverse("admin:matching_match_remove_member", args=[match.pk, sam.pk]))

    assert "Choose someone from the list." in refused
    assert sorted(match.members.values_list("user__display_name", flat=True)) == ["Ana", "Doreen", "Lina"]
    assert not Participant.objects.filter(user=sam.user).exists()
    assert Participant.objects.filter(user=lina.user, conversation__match=match).exists()


@pytest.mark.django_db
def test_another_programmes_coordinator_cannot_reach_the_members_page(client, setting):
    _programme, mentor, (sam, ana, _lina), outsider, coordinator = setting
    client.force_login(coordinator)
    client.post(reverse("admin:matching_membership_changelist"),
                {"action": "form_group", "_selected_action": [mentor.pk, sam.pk, ana.pk]})  # fmt: skip
    match = Match.objects.get()
    client.force_login(coordinator_for(outsider.programme))

    assert client.get(reverse("admin:matching_match_members", args=[match.pk])).status_code == 404
    assert client.post(reverse("admin:matching_match_remove_member", args=[match.pk, sam.pk])).status_code == 404
    assert match.members.count() == 3
