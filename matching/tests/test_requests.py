import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.models import OutboundEmail
from matching.models import Match
from matching.services import MatchingError, remind_and_expire_requests, request_mentor

from .factories import MenteeFactory, MentorFactory, ProgrammeFactory, TopicFactory

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def pair():
    programme = ProgrammeFactory(request_expiry_days=14)
    law = TopicFactory(name="law", slug="law")
    mentee = MenteeFactory(programme=programme, topics=[law], user__display_name="Sam Patel")
    mentor = MentorFactory(programme=programme, topics=[law], user__display_name="Doreen Okafor")
    return programme, mentee, mentor


def emails(kind_template):
    return OutboundEmail.objects.filter(template=kind_template)


@pytest.mark.django_db
def test_a_mentee_requests_a_suggested_mentor_who_accepts(client, pair):
    programme, mentee, mentor = pair
    client.force_login(mentee.user)

    page = client.get(reverse("matching:suggestions", args=[programme.slug]))
    [suggestion] = page.context["suggestions"]
    assert suggestion.mentor.display_name == "Doreen Okafor"
    assert "1 shared topic: law" in page.content.decode()

    response = client.post(
        reverse("matching:request", args=[programme.slug, mentor.pk]), {"note": "Hello! I'd love help with law."}
    )
    assert response.status_code == 302
    match = Match.objects.get()
    assert (match.status, match.source, match.request_note) == ("proposed", "request", "Hello! I'd love help with law.")
    [to_mentor] = emails("emails/match_request")
    assert to_mentor.recipient == mentor.user
    assert to_mentor.context["mentee_name"] == "Sam Patel"

    client.force_login(mentor.user)
    waiting = client.get(reverse("matching:requests"))
    assert "Sam Patel would like you as their mentor" in waiting.content.decode()
    response = client.post(reverse("matching:accept", args=[match.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("matching:match", args=[match.pk])
    match.refresh_from_db()
    assert match.status == "active"
    assert set(match.members.values_list("match_status", flat=True)) == {"active"}
    assert {e.recipient for e in emails("emails/match_started")} == {mentee.user, mentor.user}


@pytest.mark.django_db
def test_a_declined_mentee_is_told_and_sees_other_suggestions(client, pair):
    programme, mentee, mentor = pair
    other = MentorFactory(programme=programme, user__display_name="Tomás Herrera")
    match = request_mentor(mentee, mentor, "")
    client.force_login(mentor.user)

    client.post(reverse("matching:decline", args=[match.pk]))

    match.refresh_from_db()
    assert match.status == "declined"
    [to_mentee] = emails("emails/match_request_declined")
    assert to_mentee.recipient == mentee.user
    client.force_login(mentee.user)
    suggested = [
        s.mentor.membership_id
        for s in client.get(reverse("matching:suggestions", args=[programme.slug])).context["suggestions"]
    ]
    assert suggested == [other.pk]


@pytest.mark.django_db
def test_only_one_request_may_wait_at_a_time(pair):
    programme, mentee, mentor = pair
    request_mentor(mentee, mentor)

    with pytest.raises(MatchingError, match="already have a request waiting"):
        request_mentor(mentee, MentorFactory(programme=programme))


@pytest.mark.django_db
def test_answering_a_request_twice_gives_a_clear_message(client, pair):
    _programme, mentee, mentor = pair
    match = request_mentor(mentee, mentor)
    client.force_login(mentor.user)
    client.post(reverse("matching:accept", args=[match.pk]))

    response = client.post(reverse("matching:decline", args=[match.pk]), follow=True)

    assert "This request has already been answered." in response.content.decode()
    match.refresh_from_db()
    assert match.status == "active"


@pytest.mark.django_db
def test_only_the_requested_mentor_can_answer(client, pair):
    _programme, mentee, mentor = pair
    match = request_mentor(mentee, mentor)

    client.force_login(mentee.user)  # a member, but not the mentor
    assert client.post(reverse("matching:accept", args=[match.pk])).status_code == 404
    client.force_login(MentorFactory().user)  # not a member at all
    assert client.post(reverse("matching:accept", args=[match.pk])).status_code == 404
    match.refresh_from_db()
    assert match.status == "proposed"


@pytest.mark.django_db
def test_unanswered_requests_remind_the_mentor_then_expire_and_tell_the_mentee(pair):
    _programme, mentee, mentor = pair
    with time_machine.travel(START, tick=False) as clock:
        match = request_mentor(mentee, mentor)
        assert remind_and_expire_requests() == {"reminded": 0, "expired": 0}

        clock.shift(datetime.timedelta(days=3))
        assert remind_and_expire_requests() == {"reminded": 1, "expired": 0}
        assert remind_and_expire_requests() == {"reminded": 0, "expired": 0}

        clock.shift(datetime.timedelta(days=9))  # two days before expiry
        assert remind_and_expire_requests() == {"reminded": 1, "expired": 0}

        clock.shift(datetime.timedelta(days=2))
        assert remind_and_expire_requests() == {"reminded": 0, "expired": 1}
        assert remind_and_expire_requests() == {"reminded": 0, "expired": 0}

    match.refresh_from_db()
    assert match.status == "expired"
    assert [e.dedupe_key for e in emails("emails/match_request_reminder").order_by("pk")] == [
        f"match-request-reminder:{match.pk}:1",
        f"match-request-reminder:{match.pk}:2",
    ]
    [expired] = emails("emails/match_request_expired")
    assert expired.recipient == mentee.user
    # After expiry the mentee may ask again, the same mentor included.
    request_mentor(mentee, mentor)


@pytest.mark.django_db
def test_a_mentee_can_withdraw_a_waiting_request(client, pair):
    programme, mentee, mentor = pair
    match = request_mentor(mentee, mentor)
    client.force_login(mentee.user)

    client.post(reverse("matching:withdraw", args=[match.pk]))

    match.refresh_from_db()
    assert match.status == "expired"
    request_mentor(mentee, MentorFactory(programme=programme))


@pytest.mark.django_db
def test_a_note_that_is_too_long_is_refused_kindly(client, pair):
    programme, mentee, mentor = pair
    client.force_login(mentee.user)

    response = client.post(
        reverse("matching:request", args=[programme.slug, mentor.pk]), {"note": "x" * 1001}, follow=True
    )

    assert "Your note is too long" in response.content.decode()
    assert not Match.objects.exists()


@pytest.mark.django_db
def test_requesting_a_mentor_of_another_programme_is_a_404(client, pair):
    programme, mentee, _mentor = pair
    stranger = MentorFactory()
    client.force_login(mentee.user)

    assert client.post(reverse("matching:request", args=[programme.slug, stranger.pk])).status_code == 404


@pytest.mark.django_db
def test_suggestions_page_query_count_does_not_grow_with_the_pool(client, django_assert_max_num_queries):
    programme = ProgrammeFactory()
    law = TopicFactory(name="law", slug="law")
    mentee = MenteeFactory(programme=programme, topics=[law])
    client.force_login(mentee.user)
    MentorFactory.create_batch(3, programme=programme, topics=[law])
    # 13: the page's own 9 (the programme's matching questions among them), and 4 for what the mentee still
    # needs before matching (matching.readiness).
    with django_assert_max_num_queries(13) as few:
        small = client.get(reverse("matching:suggestions", args=[programme.slug]))
    MentorFactory.create_batch(60, programme=programme, topics=[law])
    with django_assert_max_num_queries(13) as many:
        large = client.get(reverse("matching:suggestions", args=[programme.slug]))

    assert len(few.captured_queries) == len(many.captured_queries)
    assert len(small.context["suggestions"]) == 3
    assert len(large.context["suggestions"]) == 5
