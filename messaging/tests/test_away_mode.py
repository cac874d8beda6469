"""Away mode: a person away (holiday, exams) is shown as away, nobody is reminded or escalated about
them while away, suggestions skip them, new requests to them are declined kindly and open ones wait;
it ends by itself, and a wait that spanned the time away counts from their return."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.models import OutboundEmail
from accounts.services import set_away
from accounts.tests.factories import UserFactory
from matching.models import Match
from matching.scoring import load_pool
from matching.selectors import suggestions_for
from matching.services import MatchingError, request_mentor
from matching.tests.factories import MenteeFactory, MentorFactory, ProgrammeFactory, TopicFactory
from messaging.models import Participant
from messaging.reminders import send_due_reminders, send_inactivity_nudges
from messaging.services import acknowledge, send_message
from messaging.tests.helpers import coordinator_of, one_to_one

# A Wednesday noon in London (the factories' zone is the site's, Europe/London: UTC+1 in summer).
T0 = datetime.datetime(2026, 6, 3, 11, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def reminders_to(user):
    return OutboundEmail.objects.filter(template="emails/reply_reminder", recipient=user)


@pytest.mark.django_db
def test_the_away_page_sets_changes_and_ends_it(client, clock):
    person = UserFactory()
    client.force_login(person)
    url = reverse("accounts:away")

    for bad, error in [("2026-06-02", "That day has passed"), ("2026-12-01", "Away mode lasts up to 120 days"),
                       ("soon", "Enter a real date.")]:  # fmt: skip
        response = client.post(url, {"away_until": bad})
        assert error in " ".join(response.context["form"].errors["away_until"])
    person.refresh_from_db()
    assert person.away_until is None

    assert client.post(url, {"away_until": "2026-06-14"}).status_code == 302
    person.refresh_from_db()
    assert person.away_until == datetime.date(2026, 6, 14) and person.is_away
    assert "You are away until Sunday 14 June 2026." in client.get(url).content.decode()
    assert client.post(url, {"back": "1"}).status_code == 302
    person.refresh_from_db()
    assert person.away_until is None and not person.is_away

    set_away(person, datetime.date(2026, 6, 14))
    clock.move_to(datetime.datetime(2026, 6, 14, 22, 59, tzinfo=datetime.UTC))  # 23:59 on the 14th in London
    assert person.is_away
    clock.move_to(datetime.datetime(2026, 6, 14, 23, 0, tzinfo=datetime.UTC))  # midnight: it ends by itself
    assert not person.is_away


@pytest.mark.django_db
def test_suggestions_and_the_pool_skip_someone_away_and_a_new_request_is_declined_kindly(clock):
    programme = ProgrammeFactory()
    law = TopicFactory()
    away = MentorFactory(programme=programme, topics=[law], user__display_name="Doreen")
    here = MentorFactory(programme=programme, topics=[law])
    mentee = MenteeFactory(programme=programme, topics=[law])
    set_away(away.user, datetime.date(2026, 6, 20))

    assert [s.mentor.membership_id for s in suggestions_for(mentee)] == [here.pk]
    assert {m.membership_id for m in load_pool(programme).mentors} == {here.pk}
    with pytest.raises(MatchingError, match=r"Doreen is away until 20 June\. Ask again then, or ask another mentor\."):
        request_mentor(mentee, away)
    assert not Match.objects.exists()

    clock.shift(18 * DAY)  # 21 June: back
    assert {s.mentor.membership_id for s in suggestions_for(mentee)} == {here.pk, away.pk}


@pytest.mark.django_db
def test_an_open_request_waits_for_a_mentor_who_goes_away(clock):
    programme = ProgrammeFactory(request_expiry_days=14)
    mentor = MentorFactory(programme=programme)
    request = request_mentor(MenteeFactory(programme=programme), mentor)
    assert request.expires_at == T0 + 14 * DAY

    set_away(mentor.user, datetime.date(2026, 6, 30))

    request.refresh_from_db()
    back = datetime.datetime(2026, 6, 30, 23, 0, tzinfo=datetime.UTC)  # midnight after the 30th in London
    assert request.expires_at == back + 3 * DAY


@pytest.mark.django_db
def test_no_reminder_or_escalation_while_away_and_the_wait_counts_from_the_return(clock):
    conversation, sam, doreen = one_to_one(response_expectation_hours=72, second_reminder_after_hours=120,
                                           escalation_after_hours=168)  # fmt: skip
    coordinator_of(conversation.match.programme)
    set_away(doreen, datetime.date(2026, 6, 16))  # back at 23:00 UTC on the 16th
    send_message(sam, conversation, "Good luck with the exams!")
    back = datetime.datetime(2026, 6, 16, 23, 0, tzinfo=datetime.UTC)

    for day in range(1, 14):
        clock.move_to(T0 + day * DAY)
        assert send_due_reminders() == {"reminded": 0, "escalated": 0}, day
    assert not reminders_to(doreen).exists()

    clock.move_to(back + 72 * HOUR - HOUR)
    assert send_due_reminders() == {"reminded": 0, "escalated": 0}
    clock.move_to(back + 72 * HOUR)
    assert send_due_reminders() == {"reminded": 1, "escalated": 0}
    assert reminders_to(doreen).count() == 1
    clock.move_to(back + 168 * HOUR)
    assert send_due_reminders() == {"reminded": 0, "escalated": 1}
    assert Match.objects.get().at_risk_reason == "overdue"


@pytest.mark.django_db
def test_a_missed_promise_is_its_own_at_risk_reason(clock):
    conversation, sam, doreen = one_to_one(response_expectation_hours=72, second_reminder_after_hours=120,
                                           escalation_after_hours=168)  # fmt: skip
    send_message(sam, conversation, "Can you read my draft?")
    acknowledge(Participant.objects.select_related("user").get(user=doreen), datetime.date(2026, 6, 5))
    clock.move_to(T0 + 30 * DAY)
    send_due_reminders()
    match = Match.objects.get()
    assert match.at_risk_reason == "promise_missed"


@pytest.mark.django_db
def test_time_away_is_not_silence_for_inactivity_nudges(clock):
    conversation, sam, doreen = one_to_one(inactivity_days=21)
    send_message(sam, conversation, "See you after the holidays")
    set_away(doreen, datetime.date(2026, 6, 20))  # back at 23:00 UTC on the 20th

    clock.move_to(T0 + 25 * DAY)  # 28 June: 25 days since the last message, but only 7 since the return
    assert send_inactivity_nudges() == 0
    clock.move_to(datetime.datetime(2026, 6, 20, 23, 0, tzinfo=datetime.UTC) + 21 * DAY + HOUR)
    assert send_inactivity_nudges() == 1
    assert send_inactivity_nudges() == 0


@pytest.mark.django_db
def test_away_for_more_than_three_weeks_marks_the_pair_at_risk_until_they_write(clock):
    conversation, _sam, doreen = one_to_one()
    set_away(doreen, datetime.date(2026, 6, 20))
    assert Match.objects.get().at_risk_since is None  # 17 days: an ordinary break

    set_away(doreen, datetime.date(2026, 7, 20))
    match = Match.objects.get()
    assert (match.at_risk_reason, match.at_risk_since) == ("away", T0)

    set_away(doreen, None)
    send_message(doreen, conversation, "I'm back early!")
    assert Match.objects.get().at_risk_since is None


@pytest.mark.django_db
def test_the_match_page_and_the_thread_show_it_until_it_ends(client, clock):
    conversation, sam, doreen = one_to_one()
    set_away(doreen, datetime.date(2026, 6, 10))
    client.force_login(sam)

    match_page = client.get(reverse("matching:match", args=[conversation.match_id])).content.decode()
    assert "Away until 10 June" in match_page
    thread = reverse("messaging:thread", args=[conversation.pk])
    assert "Doreen is away until Wednesday 10 June." in client.get(thread).content.decode()

    clock.move_to(datetime.datetime(2026, 6, 11, 9, 0, tzinfo=datetime.UTC))  # the cached page must not linger
    assert "is away until" not in client.get(thread).content.decode()
    assert "Away until" not in client.get(reverse("matching:match", args=[conversation.match_id])).content.decode()
