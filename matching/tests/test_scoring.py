import random

import pytest

from matching.models import Match
from matching.scoring import Profile, compatibility, explain, score_matrix
from matching.services import close, decline, propose

from .factories import MenteeFactory, MentorFactory, ProgrammeFactory, TopicFactory


def topics(*names):
    return [TopicFactory(name=name, slug=name.lower().replace(" ", "-")) for name in names]


@pytest.fixture
def programme():
    return ProgrammeFactory()


@pytest.mark.django_db
def test_reasons_read_like_a_person_wrote_them(programme):
    law, speaking, cvs, maths = topics("law", "public speaking", "CVs", "maths")
    mentee = MenteeFactory(
        programme=programme, topics=[law, speaking, cvs, maths], languages=["fr", "en"], user__timezone="Europe/Paris"
    )
    mentor = MentorFactory(
        programme=programme, topics=[law, speaking, cvs], languages=["fr"], user__timezone="Europe/Lisbon"
    )

    fit = compatibility(mentee, mentor)

    assert fit.reasons == ["3 shared topics: CVs, law, public speaking", "both speak French", "1 hour apart"]
    # 3 of 4 needs (41) + language (15) + 13 of 14 waking hours (27)
    assert fit.score == 55 * 3 // 4 + 15 + 30 * 13 // 14


@pytest.mark.django_db
def test_a_perfect_fit_scores_100(programme):
    law = topics("law")
    mentee = MenteeFactory(programme=programme, topics=law)
    mentor = MentorFactory(programme=programme, topics=law)

    assert compatibility(mentee, mentor).score == 100


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("mentee_zone", "mentor_zone", "reason"),
    [
        ("Europe/London", "Europe/London", "same time zone"),
        ("Europe/London", "Asia/Kolkata", "5½ hours apart"),
        ("America/Los_Angeles", "Asia/Tokyo", "17 hours apart"),  # the clock difference, not the short way round
    ],
)
def test_time_zone_reasons(programme, mentee_zone, mentor_zone, reason, time_machine):
    time_machine.move_to("2026-01-15 12:00Z")  # winter: no daylight saving anywhere involved
    mentee = MenteeFactory(programme=programme, user__timezone=mentee_zone)
    mentor = MentorFactory(programme=programme, user__timezone=mentor_zone)

    assert reason in compatibility(mentee, mentor).reasons


@pytest.mark.django_db
def test_no_shared_language_excludes(programme):
    fit = compatibility(
        MenteeFactory(programme=programme, languages=["es"]), MentorFactory(programme=programme, languages=["de"])
    )

    assert fit.excluded
    assert fit.reasons == ["no shared language"]


@pytest.mark.django_db
def test_an_unmet_gender_preference_excludes_without_naming_a_gender(programme):
    mentee = MenteeFactory(programme=programme, preferred_mentor_gender="woman")

    unmet = compatibility(mentee, MentorFactory(programme=programme, gender="man"))
    unknown = compatibility(mentee, MentorFactory(programme=programme, gender=""))
    met = compatibility(mentee, MentorFactory(programme=programme, gender="woman"))

    assert unmet.excluded and unknown.excluded and not met.excluded
    assert not any(word in " ".join(unmet.reasons) for word in ["woman", "man", "gender"])


@pytest.mark.django_db
def test_a_full_mentor_is_excluded(programme):
    mentor = MentorFactory(programme=programme, capacity=1)
    first = MenteeFactory(programme=programme)
    from matching.services import accept

    accept(propose(first, mentor, by=None, source=Match.Source.COORDINATOR), by=mentor.user)

    fit = compatibility(MenteeFactory(programme=programme), mentor)
    assert fit.excluded
    assert fit.reasons == ["the mentor has no room for another mentee"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("ending", "reason"), [("declined", "declined this mentee before"), ("closed", "matched before"),
                           ("declined then closed", "matched before")]
)  # fmt: skip
def test_a_pair_that_ended_before_is_excluded_saying_how_it_ended(programme, ending, reason):
    mentee = MenteeFactory(programme=programme)
    mentor = MentorFactory(programme=programme, capacity=2)
    from matching.services import accept

    if ending.startswith("declined"):
        decline(propose(mentee, mentor, by=None, source=Match.Source.COORDINATOR), by=mentor.user)
    if ending.endswith("closed"):
        match = propose(mentee, mentor, by=None, source=Match.Source.COORDINATOR) if ending == "closed" else None
        if match is None:  # a second chance after a declined proposal, made straight in the database
            match = propose(mentee, MentorFactory(programme=programme), by=None, source=Match.Source.COORDINATOR)
            match.members.filter(role="mentor").update(user=mentor.user, membership=mentor)
        accept(match, by=mentor.user)
        close(match, by=mentor.user, reason="not_a_good_fit", rating=2)

    fit = compatibility(mentee, mentor)
    assert fit.excluded
    assert fit.reasons == [reason]


@pytest.mark.django_db
def test_different_programmes_cannot_be_compared():
    fit = compatibility(MenteeFactory(), MentorFactory())

    assert fit.excluded


def random_profile(rng, user_id, mentor):
    return Profile(
        membership_id=user_id,
        user_id=user_id,
        display_name=f"P{user_id}",
        topic_ids=frozenset(rng.sample(range(12), rng.randint(0, 4))),
        languages=frozenset(rng.sample(["en", "fr", "es", "ar"], rng.randint(1, 2))),
        utc_offset_minutes=rng.choice([-480, -300, 0, 60, 330, 540, 600]),
        gender=rng.choice(["", "woman", "man"]) if mentor else "",
        preferred_mentor_gender=rng.choice(["", "", "woman"]) if not mentor else "",
        remaining_capacity=rng.choice([0, 1, 2]) if mentor else 0,
    )


def test_the_pool_matrix_agrees_with_the_pair_function_everywhere():
    rng = random.Random(7)
    mentees = [random_profile(rng, i, False) for i in range(40)]
    mentors = [random_profile(rng, 1000 + j, True) for j in range(25)]
    excluded = {
        (mentees[0].user_id, mentors[0].user_id): "closed",
        (mentees[5].user_id, mentors[3].user_id): "declined",
    }
    names = {t: f"t{t}" for t in range(12)}

    matrix = score_matrix(mentees, mentors, excluded)

    for i, mentee in enumerate(mentees):
        for j, mentor in enumerate(mentors):
            fit = explain(mentee, mentor, names, excluded)
            assert matrix[i, j] == (0 if fit.excluded else fit.score), (i, j, fit.reasons)
            assert fit.excluded or 1 <= fit.score <= 100
