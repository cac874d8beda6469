import pytest
from django.urls import reverse

from matching.models import Goal
from matching.services import accept, close, propose

from .factories import MenteeFactory, MentorFactory, ProgrammeFactory


@pytest.fixture
def match():
    programme = ProgrammeFactory()
    return accept(
        propose(MenteeFactory(programme=programme), MentorFactory(programme=programme), by=None, source="coordinator"),
        by=None,
    )


def steps(*titles, prefix="steps", initial=0):
    data = {f"{prefix}-TOTAL_FORMS": str(len(titles)), f"{prefix}-INITIAL_FORMS": str(initial)}
    for i, title in enumerate(titles):
        data[f"{prefix}-{i}-title"] = title
    return data


@pytest.mark.django_db
def test_members_add_a_goal_with_steps_and_tick_them(client, match):
    member = match.members.get(role="mentee").user
    client.force_login(member)

    response = client.post(
        reverse("matching:goal_add", args=[match.pk]),
        {
            "title": "Apply to three universities",
            "target_date": "2027-01-15",
            "status": "open",
            **steps("Shortlist", "Draft statement"),
        },
    )

    assert response.status_code == 302
    goal = Goal.objects.get()
    assert goal.created_by == member
    assert list(goal.milestones.values_list("title", "position")) == [("Shortlist", 0), ("Draft statement", 1)]
    first = goal.milestones.first()
    client.force_login(match.members.get(role="mentor").user)  # the other member may tick it too
    client.post(reverse("matching:milestone_toggle", args=[first.pk]))
    first.refresh_from_db()
    assert first.done


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad", [{"title": ""}, {"title": "x" * 201}, {"target_date": "31/31/2027"}, {"status": "abandoned"}]
)
def test_bad_goal_input_is_a_form_error(client, match, bad):
    client.force_login(match.members.get(role="mentee").user)
    data = {"title": "Goal", "status": "open", **steps(), **bad}

    response = client.post(reverse("matching:goal_add", args=[match.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Goal.objects.exists()


@pytest.mark.django_db
def test_goals_of_a_closed_match_are_read_only(client, match):
    goal = Goal.objects.create(match=match, title="Read more")
    mentee = match.members.get(role="mentee").user
    close(match, mentee, reason="completed", rating=5)
    client.force_login(mentee)

    response = client.post(
        reverse("matching:goal_edit", args=[goal.pk]), {"title": "Changed", "status": "open", **steps()}
    )

    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.title == "Read more"
