"""The at-risk list: per pair why (reply overdue, promise missed, gone quiet, away), since when, and the
coordinators' notes and actions; "resolved" takes a pair off it. Only the coordinator's programmes."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.services import set_away
from matching.models import Match, MatchNote
from matching.services import mark_at_risk
from messaging.services import send_message
from messaging.tests.helpers import one_to_one

from .test_coordinators_admin import coordinator_for

T0 = datetime.datetime(2026, 6, 3, 11, 0, tzinfo=datetime.UTC)
URL = reverse("admin:matching_match_at_risk")


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def pairs(n, programme=None):
    made = []
    for i in range(n):
        conversation, mentee, mentor = one_to_one(programme, mentee_name=f"Mentee {i}", mentor_name=f"Mentor {i}")
        programme = conversation.match.programme
        made.append((conversation, mentee, mentor))
    return made


@pytest.mark.django_db
def test_each_pair_says_why_and_since_when(client, clock):
    (overdue, quiet, away), other = pairs(3), pairs(1)[0]
    programme = overdue[0].match.programme
    send_message(overdue[1], overdue[0], "Are you there?")
    mark_at_risk(overdue[0].match, Match.AtRisk.OVERDUE, T0 - datetime.timedelta(days=3))
    mark_at_risk(quiet[0].match, Match.AtRisk.INACTIVE, T0 - datetime.timedelta(days=9))
    set_away(away[2], datetime.date(2026, 7, 31))  # more than three weeks: marked now
    mark_at_risk(other[0].match, Match.AtRisk.INACTIVE)
    client.force_login(coordinator_for(programme))

    page = client.get(URL)

    html = page.content.decode()
    assert [m.pk for m in page.context["matches"]] == [quiet[0].match_id, overdue[0].match_id, away[0].match_id]
    assert 'data-why="overdue">Reply overdue' in html and "Mentor 0 owes a reply since 3 Jun" in html
    assert 'data-why="inactive">Gone quiet' in html
    assert "Mentor 2 is away until 31 Jul" in html
    assert f'data-match="{other[0].match_id}"' not in html  # another programme's pair


@pytest.mark.django_db
def test_the_list_costs_the_same_queries_for_two_pairs_or_eight(client, clock):
    made = pairs(2)
    programme = made[0][0].match.programme
    for conversation, _mentee, _mentor in made:
        mark_at_risk(conversation.match, Match.AtRisk.INACTIVE)
    coordinator = coordinator_for(programme)
    client.force_login(coordinator)
    client.get(URL)  # the session warmed
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for conversation, _mentee, _mentor in pairs(6, programme):
        mark_at_risk(conversation.match, Match.AtRisk.INACTIVE)
        MatchNote.objects.create(match=conversation.match, author=coordinator, action="contacted")
    with CaptureQueriesContext(connection) as many:
        page = client.get(URL)
    assert len(page.context["matches"]) == 8
    assert len(many.captured_queries) == len(few.captured_queries) <= 12


@pytest.mark.django_db
def test_notes_are_kept_with_the_reason_and_resolved_takes_the_pair_off(client, clock):
    (conversation, _mentee, _mentor), other = pairs(1)[0], pairs(1)[0]
    match = conversation.match
    mark_at_risk(match, Match.AtRisk.INACTIVE)
    mark_at_risk(other[0].match, Match.AtRisk.INACTIVE)
    coordinator = coordinator_for(match.programme)
    client.force_login(coordinator)
    note_url = reverse("admin:matching_match_note", args=[match.pk])

    empty = client.post(note_url, {"action": "note", "text": "  "}, follow=True)
    assert "Write the note." in empty.content.decode()
    assert client.post(note_url, {"action": "contacted", "text": "Phoned the mentor."}).status_code == 302
    note = MatchNote.objects.get()
    assert (note.author, note.action, note.at_risk_reason, note.text) == (coordinator, "contacted", "inactive",
                                                                          "Phoned the mentor.")  # fmt: skip
    page = client.get(URL).content.decode()
    assert "Contacted them</strong>: Phoned the mentor." in page
    change = client.get(reverse("admin:matching_match_change", args=[match.pk])).content.decode()
    assert "Phoned the mentor." in change

    client.post(note_url, {"action": "resolved", "text": "They are writing again."})
    match.refresh_from_db()
    assert match.at_risk_since is None
    assert f'data-match="{match.pk}"' not in client.get(URL).content.decode()

    foreign = client.post(reverse("admin:matching_match_note", args=[other[0].match_id]), {"action": "resolved"})
    assert foreign.status_code == 404
    other[0].match.refresh_from_db()
    assert other[0].match.at_risk_since is not None
    assert client.get(reverse("admin:matching_match_note", args=[match.pk])).status_code == 405
