import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from matching.models import Match, Membership

from .factories import MenteeFactory, MentorFactory, ProgrammeFactory, TopicFactory


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def pool():
    programme = ProgrammeFactory()
    law = TopicFactory(name="law", slug="law")
    mentee = MenteeFactory(programme=programme, topics=[law], user__display_name="Sam")
    good = MentorFactory(programme=programme, topics=[law], user__display_name="Doreen")
    other_language = MentorFactory(programme=programme, languages=["de"], user__display_name="Klaus")
    return programme, mentee, good, other_language


@pytest.mark.django_db
def test_coordinator_compares_mentors_side_by_side(admin_client, pool):
    _programme, mentee, _good, _other_language = pool

    page = admin_client.get(reverse("admin:matching_membership_candidates", args=[mentee.pk]))

    assert page.status_code == 200
    rows = page.context["rows"]
    assert [mentor.display_name for mentor, _fit, _ready in rows] == ["Doreen", "Klaus"]
    assert rows[0][1].score and rows[1][1].excluded
    assert "no shared language" in page.content.decode()


@pytest.mark.django_db
def test_coordinator_matches_directly_from_the_comparison(admin_client, pool):
    _programme, mentee, good, _other = pool

    response = admin_client.post(
        reverse("admin:matching_membership_match_candidate", args=[mentee.pk, good.pk]), {"action": "match"}
    )

    match = Match.objects.get()
    assert response["Location"] == reverse("admin:matching_match_change", args=[match.pk])
    assert (match.status, match.source) == ("active", "coordinator")


@pytest.mark.django_db
def test_coordinator_proposes_then_approves_from_the_match_list(admin_client, pool):
    _programme, mentee, good, _other = pool
    admin_client.post(
        reverse("admin:matching_membership_match_candidate", args=[mentee.pk, good.pk]), {"action": "propose"}
    )
    match = Match.objects.get()
    assert match.status == "proposed"

    admin_client.post(
        reverse("admin:matching_match_changelist"), {"action": "approve_proposals", "_selected_action": [match.pk]}
    )

    match.refresh_from_db()
    assert match.status == "active"


@pytest.mark.django_db
def test_an_excluded_pair_cannot_be_matched_from_the_admin(admin_client, pool):
    _programme, mentee, _good, other_language = pool

    response = admin_client.post(
        reverse("admin:matching_membership_match_candidate", args=[mentee.pk, other_language.pk]),
        {"action": "match"},
        follow=True,
    )

    assert "This pair cannot be matched: no shared language." in response.content.decode()
    assert not Match.objects.exists()


@pytest.mark.django_db
def test_run_automatch_admin_action_and_membership_filters(admin_client, pool):
    programme, _mentee, _good, _other = pool

    admin_client.post(
        reverse("admin:matching_programme_changelist"), {"action": "run_automatch", "_selected_action": [programme.pk]}
    )

    assert Match.objects.get().status == "proposed"
    for query in [{"matched": "yes"}, {"matched": "no"}, {"role__exact": "mentee"}, {"status__exact": "approved"}]:
        assert admin_client.get(reverse("admin:matching_membership_changelist"), query).status_code == 200
    listing = admin_client.get(reverse("admin:matching_match_changelist"), {"status__exact": "proposed"})
    assert "Sam" in listing.content.decode()


@pytest.mark.django_db
def test_approve_enrolments_action(admin_client):
    applied = MenteeFactory(status=Membership.Status.APPLIED)

    admin_client.post(
        reverse("admin:matching_membership_changelist"), {"action": "approve", "_selected_action": [applied.pk]}
    )

    applied.refresh_from_db()
    assert applied.status == "approved"


@pytest.mark.django_db
def test_programme_admin_pages_render(admin_client, pool):
    programme, *_ = pool

    assert admin_client.get(reverse("admin:matching_programme_change", args=[programme.pk])).status_code == 200
    assert admin_client.get(reverse("admin:matching_programme_add")).status_code == 200
    assert admin_client.get(reverse("admin:matching_topic_changelist")).status_code == 200


@pytest.mark.django_db
def test_coordinator_closes_a_match_from_the_admin_with_a_reason(admin_client, pool):
    from matching.services import match_directly

    _programme, mentee, good, _other = pool
    match = match_directly(mentee, good, by=None)
    url = reverse("admin:matching_match_changelist")

    ask = admin_client.post(url, {"action": "close_matches", "_selected_action": [match.pk]})
    assert ask.status_code == 200
    assert "Close matches" in ask.content.decode()
    match.refresh_from_db()
    assert match.status == "active"

    bad = admin_client.post(url, {"action": "close_matches", "_selected_action": [match.pk], "reason": "bored"})
    assert bad.status_code == 200 and bad.context["form"].errors
    admin_client.post(
        url, {"action": "close_matches", "_selected_action": [match.pk], "reason": "safeguarding", "rating": ""}
    )

    match.refresh_from_db()
    assert (match.status, match.close_reason, match.closing_rating) == ("closed", "safeguarding", None)
