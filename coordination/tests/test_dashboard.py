import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.tests.factories import UserFactory
from consent.models import GuardianConsent
from coordination.dashboard import engagement, getting_ready
from matching.models import Match, Membership, ProgrammeCoordinator, RequiredCheck, RequiredTraining
from matching.permissions import COORDINATORS_GROUP
from matching.readiness import CONSENT_PURPOSE
from matching.services import accept, close, propose
from matching.tests.factories import MenteeFactory, MentorFactory
from messaging.models import Conversation
from messaging.services import send_message
from messaging.tests.helpers import programme_with
from screening.models import Check, CheckType
from training.models import Attempt, Module

NOW = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)  # a Monday
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def programme():
    """4 approved mentees (2 matched, 1 whose match closed, 1 never matched), 1 applied mentee."""
    with time_machine.travel(NOW - datetime.timedelta(days=30), tick=False) as clock:
        programme = programme_with(response_expectation_hours=72, match_rate_target=70)
        mentor = MentorFactory(programme=programme, capacity=5)
        mentees = [MenteeFactory(programme=programme, user__display_name=f"Mentee {n}") for n in range(4)]
        MenteeFactory(programme=programme, status=Membership.Status.APPLIED)
        matches = [accept(propose(m, mentor, by=None, source="coordinator"), by=None) for m in mentees[:3]]
        first = Conversation.objects.get(match=matches[0])
        send_message(mentees[0].user, first, "Question one")
        clock.shift(2 * HOUR)
        send_message(mentor.user, first, "Answer within two hours")
        clock.shift(HOUR)
        send_message(mentees[0].user, first, "Question two")
        clock.shift(100 * HOUR)
        send_message(mentor.user, first, "Late answer")
        close(matches[2], mentor.user, reason="goals_met", rating=4)
        Membership.objects.filter(pk=mentees[3].pk).update(approved_at=NOW - datetime.timedelta(days=20))
    return programme


@pytest.mark.django_db
def test_dashboard_figures_on_a_known_fixture(programme):
    with time_machine.travel(NOW, tick=False):
        figures = engagement(programme)

    assert figures.matches_by_status == {"active": 2, "closed": 1}
    assert (figures.approved_mentees, figures.matched_mentees, figures.match_rate) == (4, 2, 50.0)
    assert not figures.meets_target
    assert [(name, days) for name, days, _pk in figures.longest_waiting] == [("Mentee 2", 30), ("Mentee 3", 20)]
    # Replies: the mentor after 2 h, the mentee after 1 h (her second question answered his wait), the
    # mentor after 100 h.
    assert figures.median_reply_hours == 2.0
    assert figures.replies_within_expectation == 66.7
    assert figures.closures_by_reason == {"goals_met": 1}
    assert figures.average_rating == 4
    assert sum(n for _week, n in figures.messages_per_week) == 4
    assert len(figures.messages_per_week) == 12


@pytest.mark.django_db
def test_dashboard_page_and_csv(client, programme):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("admin:programme_dashboard", args=[programme.pk]))
        download = client.get(reverse("admin:programme_dashboard_csv", args=[programme.pk]))

    html = page.content.decode()
    assert 'data-figure="match-rate">50.0%' in html
    assert 'data-figure="median-reply">2.0 h' in html
    assert "<svg" in html and html.count("<rect") == 12
    assert "match rate %,50.0" in download.content.decode()
    assert download["Content-Disposition"].endswith('-engagement.csv"')


@pytest.mark.django_db
def test_at_risk_matches_are_listed_and_filterable(client, programme):
    match = Match.objects.filter(status="active").first()
    Match.objects.filter(pk=match.pk).update(at_risk_since=NOW, at_risk_reason="inactive")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert [m.pk for m in engagement(programme).at_risk] == [match.pk]
    listing = client.get(reverse("admin:matching_match_changelist"), {"at_risk": "yes"})
    assert [m.pk for m in listing.context["cl"].result_list] == [match.pk]


@pytest.mark.django_db
def test_dashboards_are_linked_from_the_admin_index(client, programme):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    page = client.get(reverse("admin:index")).content.decode()

    assert "Engagement dashboards" in page
    assert reverse("admin:programme_dashboard", args=[programme.pk]) in page


@pytest.mark.django_db
def test_the_dashboard_counts_people_waiting_on_checks_training_and_consent(client, django_assert_num_queries):

    with time_machine.travel(NOW, tick=False):
        programme = programme_with(for_young_people=True)
        dbs = CheckType.objects.create(name="Enhanced DBS", valid_for_months=36)
        RequiredCheck.objects.create(programme=programme, role="mentor", check_type=dbs)
        module = Module.objects.get(slug="disclosures")
        RequiredTraining.objects.create(programme=programme, role="mentor", module=module)
        unchecked, untrained, ready = (MentorFactory(programme=programme) for _ in range(3))
        for mentor in (untrained, ready):
            Check.objects.create(person=mentor.user, check_type=dbs, outcome="cleared", verified_on=NOW.date())
        for mentor in (unchecked, ready):
            Attempt.objects.create(person=mentor.user, module=module, version=1, passed=True)
        young = UserFactory(date_of_birth=datetime.date(2012, 1, 1))
        waiting = MenteeFactory(programme=programme, user=young)
        GuardianConsent.objects.create(person=young, purpose=CONSENT_PURPOSE, purpose_id=waiting.pk,
                                       guardian_email="parent@example.org", nonce="n")  # fmt: skip
        MenteeFactory(programme=programme, user=UserFactory(date_of_birth=datetime.date(2000, 1, 1)))
        MenteeFactory(programme=programme, status=Membership.Status.APPLIED,
                      user=UserFactory(date_of_birth=datetime.date(2001, 1, 1)))  # fmt: skip

        with django_assert_num_queries(1):
            counts = getting_ready(programme, NOW)
        assert counts == {"approval": 1, "checks": 1, "training": 1, "consent": 1}

        coordinator = UserFactory(is_staff=True)
        ProgrammeCoordinator.objects.create(programme=programme, user=coordinator)
        coordinator.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
        client.force_login(coordinator)
        page = client.get(reverse("admin:programme_dashboard", args=[programme.pk])).content.decode()
        assert 'data-figure="waiting-checks">1<' in page
        assert 'data-figure="waiting-consent">1<' in page


@pytest.mark.django_db
def test_meetings_held_show_on_the_dashboard_and_beside_each_pair_at_risk(client, programme):
    from meetings import services as meetings
    from meetings.models import Meeting, MeetingPolicy

    MeetingPolicy.objects.create(programme=programme, video_link_template="https://meet.jit.si/x-{room}")
    first, second = Match.objects.filter(status="active").order_by("pk")
    people = {m.pk: [member.user for member in m.members.order_by("role")] for m in (first, second)}
    with time_machine.travel(NOW - datetime.timedelta(days=100), tick=False) as clock:
        mentee, mentor = people[first.pk]
        old = meetings.choose(meetings.propose(first, mentor, [NOW - datetime.timedelta(days=99)]), mentee,
                              NOW - datetime.timedelta(days=99))  # fmt: skip
        five_days_ago = NOW - datetime.timedelta(days=5)
        soon = [meetings.choose(meetings.propose(m, people[m.pk][1], [five_days_ago]), people[m.pk][0], five_days_ago)
                for m in (first, second)]  # fmt: skip
        ahead = meetings.propose(second, people[second.pk][1], [NOW + datetime.timedelta(days=2)])
        meetings.choose(ahead, people[second.pk][0], NOW + datetime.timedelta(days=2))
        clock.move_to(NOW - datetime.timedelta(days=98))
        meetings.record_outcome(old, mentee, Meeting.Outcome.HELD)
        clock.move_to(NOW - datetime.timedelta(days=4))
        meetings.record_outcome(soon[0], mentee, Meeting.Outcome.HELD)
        meetings.record_outcome(soon[1], people[second.pk][0], Meeting.Outcome.NO_SHOW, missed_by=people[second.pk][1])

    with time_machine.travel(NOW, tick=False):
        figures = engagement(programme)
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
        html = client.get(reverse("admin:programme_dashboard", args=[programme.pk])).content.decode()
        download = client.get(reverse("admin:programme_dashboard_csv", args=[programme.pk])).content.decode()
    assert figures.meetings == {"held": 2, "held_recently": 1, "no_shows": 1, "upcoming": 1, "awaiting_approval": 0,
                                "pairs_met": 1}  # fmt: skip
    assert [(m.pk, m.at_risk_reason, m.meetings_held) for m in figures.at_risk] == [(second.pk, "missed_meeting", 0)]
    assert 'data-figure="meetings-held">2 (1 in the last 12 weeks)' in html
    assert 'data-figure="pairs-met">1' in html and 'data-figure="meetings-no-show">1' in html
    assert "Someone missed a meeting" in html and "0 meetings held" in html
    assert "meetings: held,2" in download and "meetings: no shows,1" in download


@pytest.mark.django_db
def test_the_dashboards_meeting_figures_take_one_query(programme, django_assert_num_queries):
    from meetings import services as meetings

    with django_assert_num_queries(1):
        meetings.programme_figures(programme, NOW, NOW - datetime.timedelta(weeks=12))
