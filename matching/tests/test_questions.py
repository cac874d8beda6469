"""A programme's own questions at enrolment, used in matching with a weight and a rule, named in the reasons."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.tests.factories import UserFactory
from matching.models import EnrolmentQuestion, Match, Membership, ProgrammeCoordinator, Topic
from matching.permissions import COORDINATORS_GROUP
from matching.scoring import Criterion, Profile, answer_sets, score_matrix
from matching.selectors import suggestions_for
from matching.services import run_automatch

from .factories import MenteeFactory, MentorFactory, ProgrammeFactory

FIRST = "First in my family to go to university"


@pytest.fixture
def programme():
    programme = ProgrammeFactory(name="Riverside")
    programme.topics.add(Topic.objects.create(name="University applications", slug="university"))
    return programme


def first_in_family(programme, rule="same", weight=20, role=""):
    return EnrolmentQuestion.objects.create(
        programme=programme, text="Your background", kind="single", choices=[FIRST, "Not the first"],
        rule=rule, weight=weight, role=role,
    )  # fmt: skip


def form_data(programme, role, **extra):
    data = {"role": role, "topics": [programme.topics.get().pk], "languages": ["en"], "goals": "",
            "accept_agreement": "on"}  # fmt: skip
    if role == "mentor":
        data["capacity"] = "2"
    return data | extra


@pytest.mark.django_db
def test_an_answer_given_at_enrolment_is_named_in_the_suggestions_reasons(client, programme):
    question = first_in_family(programme)
    mentor = MentorFactory(programme=programme, answers={str(question.pk): FIRST}, user__display_name="Doreen")
    MentorFactory(programme=programme, answers={str(question.pk): "Not the first"}, user__display_name="Tomás")
    sam = UserFactory(languages=["en"])
    client.force_login(sam)
    form = client.get(reverse("matching:enrol", args=[programme.slug])).content.decode()
    assert "Your background" in form and FIRST in form

    response = client.post(
        reverse("matching:enrol", args=[programme.slug]),
        form_data(programme, "mentee", **{f"question_{question.pk}": FIRST}),
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=sam)
    assert membership.answers == {str(question.pk): FIRST}

    [best, other] = suggestions_for(membership)
    assert best.mentor.membership_id == mentor.pk
    assert f"both chose \u2018{FIRST.casefold()}\u2019" in best.fit.reasons
    assert best.fit.score > other.fit.score
    page = client.get(reverse("matching:suggestions", args=[programme.slug])).content.decode()
    assert "both chose" in page


@pytest.mark.django_db
def test_a_required_question_for_one_role_is_asked_of_that_role_only(client, programme):
    question = EnrolmentQuestion.objects.create(programme=programme, text="Years in your industry", kind="scale",
                                                role="mentor", required=True)  # fmt: skip
    client.force_login(UserFactory(languages=["en"]))
    refused = client.post(reverse("matching:enrol", args=[programme.slug]), form_data(programme, "mentor"))
    assert refused.status_code == 200 and "Please answer this question." in refused.content.decode()
    as_mentee = client.post(reverse("matching:enrol", args=[programme.slug]), form_data(programme, "mentee"))
    assert as_mentee.status_code == 302
    assert Membership.objects.get().answers == {}
    assert (
        'data-for-role="mentor"' in refused.content.decode() and f"question_{question.pk}" in refused.content.decode()
    )


@pytest.mark.django_db
def test_a_text_answer_is_refused_with_a_line_break_and_never_shown_to_the_other(client, programme):
    question = EnrolmentQuestion.objects.create(programme=programme, text="Your home town", kind="text", rule="same")
    client.force_login(UserFactory(languages=["en"]))
    refused = client.post(
        reverse("matching:enrol", args=[programme.slug]),
        form_data(programme, "mentee", **{f"question_{question.pk}": "Leeds\u2028call 07700900123"}),
    )
    assert refused.status_code == 200 and not Membership.objects.exists()

    mentee = MenteeFactory(programme=programme, answers={str(question.pk): " leeds "})
    mentor = MentorFactory(programme=programme, answers={str(question.pk): "Leeds"})
    [suggestion] = suggestions_for(mentee)
    assert suggestion.mentor.membership_id == mentor.pk
    assert "the same answer to “Your home town”" in suggestion.fit.reasons
    assert not any("leeds" in reason.lower() for reason in suggestion.fit.reasons)


def profile(i, answers, mentor=True):
    return Profile(
        membership_id=i, user_id=i, display_name=str(i), topic_ids=frozenset(), languages=frozenset({"en"}),
        utc_offset_minutes=0, remaining_capacity=1 if mentor else 0, answers=answer_sets(answers),
    )  # fmt: skip


def test_same_different_and_overlap_rules_and_no_question_no_change():
    mentee = profile(1, {"7": ["Music", "Sport"]}, mentor=False)
    sport, art = profile(2, {"7": ["Sport"]}), profile(3, {"7": ["Art"]})
    silent = profile(4, {})
    without = score_matrix([mentee], [sport, art, silent])
    assert len(set(without[0].tolist())) == 1  # no criteria: only topics, language and time count

    overlap = score_matrix(
        [mentee], [sport, art, silent], criteria=[Criterion(7, "Hobbies", "multiple", "overlap", 30)]
    )
    assert overlap[0, 0] > overlap[0, 1] == overlap[0, 2]
    different = score_matrix(
        [mentee], [sport, art, silent], criteria=[Criterion(7, "Hobbies", "multiple", "different", 30)]
    )
    assert different[0, 0] == different[0, 1] > different[0, 2]  # both answered and not the same set
    same = score_matrix(
        [mentee], [profile(5, {"7": ["Sport", "Music"]}), sport], criteria=[Criterion(7, "H", "multiple", "same", 30)]
    )
    assert same[0, 0] > same[0, 1]
    assert overlap.max() <= 100


@pytest.mark.django_db
def test_auto_match_follows_a_question_when_everything_else_is_equal(programme):
    question = first_in_family(programme, weight=40)
    coordinator = UserFactory(is_staff=True)
    coordinator.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    ProgrammeCoordinator.objects.create(programme=programme, user=coordinator)
    first_mentor = MentorFactory(programme=programme, answers={str(question.pk): FIRST})
    other_mentor = MentorFactory(programme=programme, answers={str(question.pk): "Not the first"})
    first_mentee = MenteeFactory(programme=programme, answers={str(question.pk): FIRST})
    other_mentee = MenteeFactory(programme=programme, answers={str(question.pk): "Not the first"})

    run_automatch(programme, apply=True, by=coordinator)

    pairs = {(m.members.get(role="mentee").membership_id, m.members.get(role="mentor").membership_id)
             for m in Match.objects.filter(programme=programme)}  # fmt: skip
    assert pairs == {(first_mentee.pk, first_mentor.pk), (other_mentee.pk, other_mentor.pk)}


@pytest.mark.django_db
def test_a_coordinator_adds_a_question_in_the_programme_admin(client, programme):
    coordinator = UserFactory(is_staff=True)
    coordinator.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    ProgrammeCoordinator.objects.create(programme=programme, user=coordinator)
    client.force_login(coordinator)
    page = client.get(reverse("admin:matching_programme_change", args=[programme.pk]))
    assert page.status_code == 200 and "Questions at enrolment (and in matching)" in page.content.decode()


@pytest.mark.django_db
def test_the_question_form_takes_choices_one_per_line_and_checks_them():
    from coordination.admin.programmes import EnrolmentQuestionForm

    form = EnrolmentQuestionForm(
        {
            "order": 0,
            "text": "Your background",
            "role": "",
            "kind": "single",
            "rule": "same",
            "weight": 20,
            "choices": f"{FIRST}\n  Not the first  \n\n{FIRST}",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["choices"] == [FIRST, "Not the first"]
    one = EnrolmentQuestionForm({"order": 0, "text": "Q", "kind": "single", "weight": 5, "choices": "Only one"})
    assert not one.is_valid() and "at least two choices" in str(one.errors)
    text = EnrolmentQuestionForm({"order": 0, "text": "Q", "kind": "text", "rule": "overlap", "weight": 5})
    assert not text.is_valid() and "only be matched when the answers are the same" in str(text.errors)
    broken = EnrolmentQuestionForm({"order": 0, "text": "Line\nbreak", "kind": "scale", "weight": 5})
    assert not broken.is_valid()


def coordinator_of(programme):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    ProgrammeCoordinator.objects.create(programme=programme, user=user)
    return user


@pytest.mark.django_db
def test_a_programmes_weights_change_its_suggestions_and_the_preview_shows_it_first(client, programme):
    law = programme.topics.get()
    on_topic = MentorFactory(programme=programme, topics=[law], languages=["en"], user__display_name="Topical",
                             user__timezone="Asia/Tokyo")  # fmt: skip
    same_hours = MentorFactory(programme=programme, languages=["en"], user__display_name="Nearby",
                               user__timezone="Europe/London")  # fmt: skip
    mentee = MenteeFactory(programme=programme, topics=[law], user__timezone="Europe/London")
    assert suggestions_for(mentee)[0].mentor.membership_id == on_topic.pk  # topics weigh 55 by default

    client.force_login(coordinator_of(programme))
    url = reverse("admin:programme_weights_preview", args=[programme.pk])
    page = client.get(url, {"topics": 5, "language": 15, "time": 80}).content.decode()
    assert 'data-changed="yes"' in page
    assert "<strong>Nearby (" in page  # with the proposed weights the top three start with Nearby
    programme.refresh_from_db()
    assert programme.topic_weight == 55  # a preview saves nothing

    programme.topic_weight, programme.time_weight = 5, 80
    programme.save()
    mentee.programme.refresh_from_db()
    assert suggestions_for(mentee)[0].mentor.membership_id == same_hours.pk

    other = ProgrammeFactory()
    client.force_login(coordinator_of(other))
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_question_and_its_choices_refuse_contact_details_and_control_characters(programme):
    from coordination.admin.programmes import EnrolmentQuestionForm

    def form(**fields):
        data = {"order": 0, "text": "Your background", "kind": "single", "rule": "same", "weight": 5,
                "choices": "Yes\nNo"} | fields  # fmt: skip
        return EnrolmentQuestionForm(data, instance=EnrolmentQuestion(programme=programme))

    assert form().is_valid()
    phone = form(choices="Yes\nText me on 07700 900123")
    assert not phone.is_valid() and "cannot contain contact details" in str(phone.errors["choices"])
    control = form(choices="Yes\nNo\x00way")
    assert not control.is_valid() and "choices" in control.errors
    asked = form(text="Email me at ms.okafor@example.org")
    assert not asked.is_valid() and "cannot contain contact details" in str(asked.errors["text"])
