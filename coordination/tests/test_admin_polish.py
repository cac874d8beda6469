"""The coordinators' admin as a busy coordinator reads it: CSV times on the programme's clock and choices
in words, a chart with axes and values, the reply owed as the person promised it, and mentors who only
declined told apart from those once matched."""

import csv
import datetime
import io

import pytest
import time_machine
from django.urls import reverse

from accounts.tests.factories import UserFactory
from coordination.dashboard import _bars, chart_axis
from matching.models import Match
from matching.services import close
from messaging.models import Participant
from messaging.services import acknowledge, send_message
from messaging.tests.helpers import one_to_one

NOW = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)  # a Monday; 08:00 in New York


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.django_db
def test_the_match_csv_gives_times_in_the_programmes_zone_and_choices_in_words(superuser_client):
    with time_machine.travel(NOW, tick=False):
        conversation, sam, doreen = one_to_one(timezone="America/New_York")
        send_message(sam, conversation, "Hello")
        close(conversation.match, doreen, reason="goals_met", rating=5)

    response = superuser_client.post(
        reverse("admin:matching_match_changelist"),
        {"action": "export_csv", "_selected_action": [conversation.match.pk]},
    )

    header, row = list(csv.reader(io.StringIO(response.content.decode())))
    cells = dict(zip(header, row, strict=True))
    assert (cells["started"], cells["last message"], cells["time zone"]) == (
        "2026-06-01 08:00", "2026-06-01 08:00", "America/New_York"
    )  # fmt: skip
    assert (cells["close reason"], cells["source"]) == ("Our goals are met", "Proposed by a coordinator")
    assert cells["status"] == "Closed"


@pytest.mark.django_db
def test_the_engagement_csv_names_statuses_and_close_reasons_in_words(superuser_client):
    conversation, _sam, doreen = one_to_one()
    close(conversation.match, doreen, reason="goals_met", rating=5)

    download = superuser_client.get(
        reverse("admin:programme_dashboard_csv", args=[conversation.match.programme_id])
    ).content.decode()

    assert "matches Closed,1" in download and "closed: Our goals are met,1" in download


def test_the_chart_has_a_round_axis_and_a_value_on_every_bar():
    week = datetime.date(2026, 6, 1)
    bars = _bars([(week, 0), (week, 7), (week, 3)])
    axis = chart_axis(bars)

    assert [value for value, _y in axis["ticks"]] == [0, 5, 10]  # 7 messages: an axis to 10
    assert [bar["count"] for bar in bars] == [0, 7, 3]
    assert bars[1]["height"] == 84.0 and bars[1]["label_y"] < bars[1]["y"]  # 7/10 of 120, its value above it
    assert all(bar["x"] >= axis["left"] for bar in bars)


@pytest.mark.django_db
def test_the_dashboard_draws_axes_values_and_a_text_alternative(superuser_client):
    conversation, sam, _doreen = one_to_one()
    send_message(sam, conversation, "Hello")

    html = superuser_client.get(
        reverse("admin:programme_dashboard", args=[conversation.match.programme_id])
    ).content.decode()

    assert html.count('class="axis"') == 2 and html.count('class="value"') == 12
    assert 'class="tick"' in html and "Messages per week:" in html
    assert "/static/css/admin." in html  # its hashed name


@pytest.mark.django_db
def test_the_reply_owed_shows_the_promise_the_person_made(superuser_client):
    with time_machine.travel(NOW, tick=False):
        conversation, sam, doreen = one_to_one()
        send_message(sam, conversation, "Are you free this week?")
        waiting = superuser_client.get(reverse("admin:matching_match_changelist")).content.decode()
        acknowledge(Participant.objects.get(user=doreen), datetime.date(2026, 6, 5))
        promised = superuser_client.get(reverse("admin:matching_match_changelist")).content.decode()

    assert "Doreen owes a reply since 1 Jun" in waiting
    assert "Doreen has read it and promised a reply by Fri 5 Jun" in promised


@pytest.mark.django_db
def test_compare_mentors_says_declined_for_a_mentor_who_only_declined(superuser_client):
    conversation, sam, _doreen = one_to_one()
    mentee = conversation.match.members.get(user=sam).membership
    Match.objects.filter(pk=conversation.match_id).update(status=Match.Status.DECLINED)
    conversation.match.members.update(match_status=Match.Status.DECLINED)

    page = superuser_client.get(reverse("admin:matching_membership_candidates", args=[mentee.pk])).content.decode()

    assert "declined this mentee before" in page and "matched before" not in page
