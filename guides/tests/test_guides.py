"""Conversation guides: this week's prompt for a pair, shown beside the reply box when their programme
uses a guide; the two default guides; a guide shared with another programme is read-only to a coordinator."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.tests.factories import UserFactory
from guides.models import Guide
from guides.services import prompt_for
from matching.models import Match
from matching.services import pause
from messaging.tests.helpers import one_to_one

T0 = datetime.datetime(2026, 9, 7, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def pair():
    with time_machine.travel(T0, tick=False) as clock:
        conversation, sam, doreen = one_to_one()
        Guide.objects.get(name="University access").programmes.add(conversation.match.programme)
        yield conversation, sam, doreen, clock


@pytest.mark.django_db
def test_the_default_guides_have_twelve_weeks_each():
    for name in ("University access", "Career mentoring"):
        assert list(Guide.objects.get(name=name).prompts.values_list("week", flat=True)) == list(range(1, 13))


@pytest.mark.django_db
def test_the_prompt_follows_the_week_of_the_match(pair):
    conversation, _sam, _doreen, clock = pair
    match = Match.objects.get(pk=conversation.match_id)
    assert prompt_for(match).text.startswith("Introduce yourselves")
    clock.shift(datetime.timedelta(days=29))  # week 5
    assert prompt_for(match).text == "A time you changed your mind about something important."
    clock.shift(datetime.timedelta(weeks=8))  # week 13: the guide has ended
    assert prompt_for(match) is None


@pytest.mark.django_db
def test_no_prompt_without_a_guide_or_when_it_is_off():
    with time_machine.travel(T0, tick=False):
        conversation, _sam, _doreen = one_to_one()
        match = conversation.match
        assert prompt_for(match) is None
        guide = Guide.objects.get(name="Career mentoring")
        guide.programmes.add(match.programme)
        assert prompt_for(match).text == "Introduce yourselves: the path that brought you here."
        Guide.objects.filter(pk=guide.pk).update(is_active=False)
        assert prompt_for(match) is None


@pytest.mark.django_db
def test_the_thread_loads_the_prompt_for_members_only(client, pair):
    conversation, sam, _doreen, _clock = pair
    url = reverse("guides:prompt", args=[conversation.match_id])
    client.force_login(sam)
    thread = client.get(reverse("messaging:thread", args=[conversation.pk])).content.decode()
    assert f'data-fetch="{url}"' in thread

    fragment = client.get(url).content.decode()
    assert "This week: Introduce yourselves" in fragment
    assert 'data-insert-into="id_body"' in fragment

    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    pause(Match.objects.get(pk=conversation.match_id), None)
    client.force_login(sam)
    assert client.get(url).status_code == 404  # a paused pair cannot write: no starter


@pytest.mark.django_db
def test_a_guide_another_programme_uses_is_read_only_to_a_coordinator(client, pair):
    conversation, _sam, _doreen, _clock = pair
    other, _lucia, _tomas = one_to_one(mentee_name="Lucía", mentor_name="Tomás")
    guide = Guide.objects.get(name="University access")
    guide.programmes.add(other.match.programme)
    from coordination.tests.test_coordinators_admin import coordinator_for

    client.force_login(coordinator_for(conversation.match.programme))
    url = reverse("admin:guides_guide_change", args=[guide.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "Renamed", "description": "", "is_active": "on"}).status_code == 403
    guide.refresh_from_db()
    assert guide.name == "University access"
