"""Before a meeting, its agenda (typed, or picked from the pair's messages); after it, how it went, notes and
next steps that can become goal steps; and what a meeting means for the at-risk rules."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from matching.models import Goal, Match, Milestone
from meetings import services
from meetings.models import AgendaItem, Meeting, MeetingPolicy
from messaging.models import Message
from messaging.reminders import send_inactivity_nudges
from messaging.services import send_message
from messaging.tests.helpers import one_to_one

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def pair(frozen):
    conversation, sam, doreen = one_to_one(mentee_name="Sam", mentor_name="Doreen")
    MeetingPolicy.objects.create(programme=conversation.match.programme,
                                 video_link_template="https://meet.jit.si/waymark-{room}")  # fmt: skip
    return conversation, sam, doreen


def confirmed(match, sam, doreen, starts=NOW + 3 * DAY):
    meeting = services.propose(match, doreen, [starts])
    return services.choose(meeting, sam, starts)


@pytest.mark.django_db
def test_agenda_points_are_picked_from_the_pairs_messages(client, pair):
    conversation, sam, doreen = pair
    send_message(sam, conversation, "Could we talk about **personal statements**?\n\nI have a draft.")
    asked = Message.objects.get()
    send_message(doreen, conversation, "Of course: bring the draft.")
    other, _mentee, _mentor = one_to_one(mentee_name="Ali", mentor_name="Bea")
    send_message(_mentee, other, "Another pair's message")
    elsewhere = Message.objects.get(conversation=other)
    meeting = confirmed(conversation.match, sam, doreen)

    client.force_login(sam)
    page = client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    assert "Pick points from your messages" in page
    assert "Could we talk about personal statements? I have a draft." in page  # plain text, not Markdown
    assert "Another pair" not in page

    url = reverse("meetings:add_from_thread", args=[meeting.pk])
    response = client.post(url, {"message": [asked.pk, elsewhere.pk]}, follow=True)
    assert "Added to the agenda." in response.content.decode()
    (item,) = meeting.items.all()
    assert (item.message_id, item.author, item.kind) == (asked.pk, sam, AgendaItem.Kind.AGENDA)
    assert item.text == "Could we talk about personal statements? I have a draft."

    client.post(url, {"message": [asked.pk]})  # picked twice: added once
    assert meeting.items.count() == 1
    response = client.post(url, {"message": [elsewhere.pk, "x"]}, follow=True)
    assert "Pick one of the messages shown." in response.content.decode()
    assert meeting.items.count() == 1
    page = client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    assert f'value="{asked.pk}" id="pick-{asked.pk}" disabled checked' in page


@pytest.mark.django_db
def test_a_held_message_is_not_offered_for_the_agenda(pair):
    from meetings import extensions

    conversation, sam, doreen = pair
    send_message(sam, conversation, "Fine to share")
    Message.objects.update(status=Message.Status.HELD)
    meeting = confirmed(conversation.match, sam, doreen)
    assert extensions.recent_messages(meeting.match, doreen) == []
    with pytest.raises(services.MeetingError, match="Pick one of the messages shown"):
        services.add_from_messages(meeting, doreen, [Message.objects.get().pk])


@pytest.mark.django_db
def test_next_steps_come_after_the_meeting_and_can_become_goal_steps(client, pair, frozen):
    conversation, sam, doreen = pair
    match = conversation.match
    goal = Goal.objects.create(match=match, title="Apply to university", created_by=sam)
    Milestone.objects.create(goal=goal, title="Choose five courses", position=0)
    done_goal = Goal.objects.create(match=match, title="Old goal", status=Goal.Status.ACHIEVED)
    other, _mentee, _mentor = one_to_one(mentee_name="Ali", mentor_name="Bea")
    foreign = Goal.objects.create(match=other.match, title="Someone else's goal")
    meeting = confirmed(match, sam, doreen)

    with pytest.raises(services.MeetingError, match="after the meeting has begun"):
        services.add_item(meeting, sam, "Too early", kind=AgendaItem.Kind.NEXT_STEP)
    frozen.move_to(NOW + 3 * DAY + datetime.timedelta(minutes=50))

    client.force_login(sam)
    page = client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    assert "Next steps" in page and "Apply to university" in page
    assert "Old goal" not in page and "Someone else" not in page
    url = reverse("meetings:add_next_step", args=[meeting.pk])
    response = client.post(url, {"text": "Draft the personal statement", "goal": goal.pk}, follow=True)
    assert "Next step noted and added to the goal." in response.content.decode()
    step = meeting.items.get(kind=AgendaItem.Kind.NEXT_STEP)
    assert step.milestone.goal == goal and step.milestone.title == "Draft the personal statement"
    assert list(goal.milestones.values_list("title", "position")) == [
        ("Choose five courses", 0), ("Draft the personal statement", 1)]  # fmt: skip

    for goal_id in (foreign.pk, done_goal.pk):  # another match's goal, a closed goal: refused by the form
        response = client.post(url, {"text": "Sneak in", "goal": goal_id}, follow=True)
        assert "Select a valid choice" in response.content.decode()
    assert not meeting.items.filter(text="Sneak in").exists()

    client.post(url, {"text": "Read two prospectuses"})
    later = meeting.items.get(text="Read two prospectuses")
    assert later.milestone is None
    page = client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    assert "Make it a goal step" in page and "A step of “Apply to university”" in page
    turn = reverse("meetings:goal_step", args=[meeting.pk, later.pk])
    assert "Choose one of" in client.post(turn, {"goal": foreign.pk}, follow=True).content.decode()
    client.post(turn, {"goal": goal.pk})
    later.refresh_from_db()
    assert later.milestone.goal == goal and later.milestone.position == 2
    with pytest.raises(services.MeetingError, match="already a goal step"):
        services.make_goal_step(later, sam, goal)
    assert goal.milestones.count() == 3

    elsewhere = services.propose(other.match, _mentor, [NOW + 5 * DAY], mode="in_person", place="The library café")
    other_item = AgendaItem.objects.create(meeting=elsewhere, author=_mentor, text="x", kind="next_step")
    assert (
        client.post(reverse("meetings:goal_step", args=[meeting.pk, other_item.pk]), {"goal": goal.pk}).status_code
        == 404
    )


@pytest.mark.django_db
def test_a_no_show_puts_the_pair_at_risk_and_a_meeting_held_takes_it_off(client, pair, frozen):
    conversation, sam, doreen = pair
    match = conversation.match
    meeting = confirmed(match, sam, doreen)
    client.force_login(sam)
    url = reverse("meetings:outcome", args=[meeting.pk])
    response = client.post(url, {"outcome": "held"}, follow=True)
    assert "once the meeting has begun" in response.content.decode()

    frozen.move_to(NOW + 3 * DAY + datetime.timedelta(hours=1))
    page = client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    assert "Who did not come?" in page and "Nobody: it was held" in page
    response = client.post(url, {"outcome": "no_show"}, follow=True)
    assert "Say who did not come." in response.content.decode()
    client.post(url, {"outcome": "no_show", "missed_by": doreen.pk, "notes": "Waited 20 minutes."})
    meeting.refresh_from_db()
    assert (meeting.outcome, meeting.missed_by, meeting.notes) == ("no_show", doreen, "Waited 20 minutes.")
    match.refresh_from_db()
    assert (
        match.at_risk_reason == Match.AtRisk.MISSED_MEETING
        and match.at_risk_since == NOW + 3 * DAY + datetime.timedelta(hours=1)
    )

    stranger, _m, _n = one_to_one(mentee_name="Ali", mentor_name="Bea")
    response = client.post(url, {"outcome": "no_show", "missed_by": _m.pk}, follow=True)
    assert "Select a valid choice" in response.content.decode()

    again = confirmed(match, sam, doreen, starts=NOW + 5 * DAY)
    frozen.move_to(NOW + 5 * DAY + datetime.timedelta(hours=1))
    services.record_outcome(again, doreen, Meeting.Outcome.HELD, "We planned the statement.")
    match.refresh_from_db()
    assert (match.at_risk_reason, match.at_risk_since) == ("", None)
    assert services.held_count([match.pk, stranger.match.pk]) == {match.pk: 1}


@pytest.mark.django_db
def test_a_meeting_held_is_not_a_quiet_spell(pair, frozen):
    conversation, sam, doreen = pair
    match = conversation.match
    send_message(sam, conversation, "Hello")
    meeting = confirmed(match, sam, doreen, starts=NOW + 15 * DAY)
    frozen.move_to(NOW + 15 * DAY + datetime.timedelta(hours=1))
    services.record_outcome(meeting, sam, Meeting.Outcome.HELD)

    # 21 days after the last message, but 6 after the meeting: not quiet.
    frozen.move_to(NOW + 21 * DAY + datetime.timedelta(minutes=1))
    assert send_inactivity_nudges() == 0
    # 21 days after the meeting: quiet.
    frozen.move_to(NOW + 36 * DAY + datetime.timedelta(hours=2))
    assert send_inactivity_nudges() == 1
    match.refresh_from_db()
    assert match.at_risk_reason == Match.AtRisk.INACTIVE

    # A meeting that did not happen does not count.
    Meeting.objects.filter(pk=meeting.pk).update(outcome=Meeting.Outcome.NO_SHOW)
    Match.objects.filter(pk=match.pk).update(inactivity_nudged_at=None)
    frozen.move_to(NOW + 22 * DAY)
    assert send_inactivity_nudges() == 1


@pytest.mark.django_db
def test_the_thread_shows_the_next_meeting_and_times_waiting_for_an_answer(client, pair):
    conversation, sam, doreen = pair
    match = conversation.match
    sam.timezone = "America/New_York"
    sam.save(update_fields=["timezone"])
    client.force_login(sam)
    card = reverse("meetings:thread_card", args=[match.pk])
    assert card in client.get(reverse("messaging:thread", args=[conversation.pk])).content.decode()
    assert client.get(card).content.decode().strip() == ""  # nothing arranged: nothing shown

    waiting = services.propose(match, doreen, [NOW + 2 * DAY])
    page = client.get(card).content.decode()
    assert "Doreen suggests times to meet." in page and reverse("meetings:meeting", args=[waiting.pk]) in page
    services.choose(waiting, sam, NOW + 2 * DAY)
    page = client.get(card).content.decode()
    assert "suggests times" not in page
    assert "Next meeting: Wednesday 4 March, 04:00 (Video call)." in page  # 09:00 UTC in Sam's New York
