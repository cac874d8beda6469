"""Anyone outside a programme or a match gets 404 on its pages: never a hint that it exists."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from matching.models import Goal, Milestone
from matching.services import accept, propose

from .factories import MenteeFactory, MentorFactory, ProgrammeFactory


@pytest.fixture
def world():
    private = ProgrammeFactory(enrolment_open=False)
    mentee = MenteeFactory(programme=private)
    mentor = MentorFactory(programme=private)
    match = accept(propose(mentee, mentor, by=None, source="coordinator"), by=None)
    goal = Goal.objects.create(match=match, title="Apply to three universities")
    step = Milestone.objects.create(goal=goal, title="Shortlist")
    return {"programme": private, "mentee": mentee, "mentor": mentor, "match": match, "goal": goal, "step": step}


def urls(world):
    slug = world["programme"].slug
    return [
        ("get", reverse("matching:programme", args=[slug])),
        ("get", reverse("matching:enrol", args=[slug])),
        ("get", reverse("matching:suggestions", args=[slug])),
        ("post", reverse("matching:request", args=[slug, world["mentor"].pk])),
        ("get", reverse("matching:match", args=[world["match"].pk])),
        ("get", reverse("matching:close", args=[world["match"].pk])),
        ("get", reverse("matching:goal_add", args=[world["match"].pk])),
        ("get", reverse("matching:goal_edit", args=[world["goal"].pk])),
        ("post", reverse("matching:milestone_toggle", args=[world["step"].pk])),
        ("post", reverse("matching:accept", args=[world["match"].pk])),
        ("post", reverse("matching:decline", args=[world["match"].pk])),
        ("post", reverse("matching:withdraw", args=[world["match"].pk])),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("outsider", ["stranger", "member_of_another_programme", "staff_not_coordinator"])
def test_outsiders_get_404_everywhere(client, world, outsider):
    if outsider == "stranger":
        person = UserFactory()
    elif outsider == "member_of_another_programme":
        person = MenteeFactory().user
    else:
        person = UserFactory(is_staff=True)
    client.force_login(person)

    for method, url in urls(world):
        response = getattr(client, method)(url)
        assert response.status_code == 404, (method, url, response.status_code)
    world["step"].refresh_from_db()
    assert not world["step"].done


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for method, url in urls(world):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_members_see_their_match_with_each_others_local_time(client, world, time_machine):
    time_machine.move_to("2026-11-21 20:40Z")
    world["mentor"].user.timezone = "Africa/Lagos"
    world["mentor"].user.display_name = "Doreen"
    world["mentor"].user.save()
    client.force_login(world["mentee"].user)

    page = client.get(reverse("matching:match", args=[world["match"].pk])).content.decode()

    assert "It is Sat 21:40 for Doreen" in page
    assert "Apply to three universities" in page


@pytest.mark.django_db
def test_open_programmes_are_visible_to_any_signed_in_person(client):
    programme = ProgrammeFactory()
    client.force_login(UserFactory())

    assert client.get(reverse("matching:programme", args=[programme.slug])).status_code == 200
    listing = client.get(reverse("matching:programmes")).content.decode()
    assert programme.name in listing
