"""Groups and co-mentoring: a coordinator forms a group and changes its members, a mentor invites a
co-mentor; the conversations follow the members, and every gate of a pair still applies."""

import pytest
from django.urls import reverse

from matching import groups
from matching.models import CoMentorInvitation, Match, MatchMember, Programme
from matching.services import MatchingError, accept, propose
from matching.tests.factories import MenteeFactory, MentorFactory, ProgrammeFactory
from messaging.models import Conversation, Message, Participant
from messaging.services import send_message
from notices.models import Notice


@pytest.fixture
def programme():
    return ProgrammeFactory(format=Programme.Format.GROUP, name="Young Founders")


@pytest.fixture
def group(programme):
    mentor = MentorFactory(programme=programme, capacity=3, user__display_name="Doreen")
    mentees = [MenteeFactory(programme=programme, user__display_name=name) for name in ("Sam", "Ana")]
    return groups.form_group(mentor, mentees, by=None), mentor, mentees


def people_in(conversation):
    return sorted(conversation.participants.values_list("user__display_name", flat=True))


@pytest.mark.django_db
def test_a_coordinator_forms_a_group_that_starts_with_a_conversation_for_everyone(group):
    match, _mentor, mentees = group

    assert match.status == Match.Status.ACTIVE
    assert sorted(match.members.values_list("user__display_name", "role")) == [
        ("Ana", "mentee"), ("Doreen", "mentor"), ("Sam", "mentee")
    ]  # fmt: skip
    assert people_in(Conversation.objects.get(match=match)) == ["Ana", "Doreen", "Sam"]
    assert Notice.objects.get(user=mentees[0].user).text == "You are matched with Doreen, Ana: say hello."


@pytest.mark.django_db
def test_forming_a_group_keeps_every_gate(programme):
    mentor = MentorFactory(programme=programme, capacity=1)
    sam, ana = MenteeFactory(programme=programme), MenteeFactory(programme=programme)
    with pytest.raises(MatchingError, match="room for 1 more"):
        groups.form_group(mentor, [sam, ana], by=None)
    pairs = ProgrammeFactory()
    with pytest.raises(MatchingError, match="matches pairs"):
        groups.form_group(MentorFactory(programme=pairs), [MenteeFactory(programme=pairs)], by=None)
    other_mentor = MentorFactory(programme=programme, capacity=2)
    accept(propose(sam, other_mentor, by=None, source="coordinator"), by=None)
    with pytest.raises(MatchingError, match="already has a mentor"):
        groups.form_group(mentor, [sam], by=None)
    assert not Match.objects.filter(members__membership=ana).exists()


@pytest.mark.django_db
def test_a_mentee_who_joins_reads_the_groups_conversations_and_one_who_leaves_cannot(client, group, programme):
    match, mentor, (sam, _ana) = group
    conversation = Conversation.objects.get(match=match)
    hello = send_message(mentor.user, conversation, "Welcome, both of you")
    lina = MenteeFactory(programme=programme, user__display_name="Lina")

    groups.add_member(match, lina, by=None)
    client.force_login(lina.user)
    assert "Welcome, both of you" in client.get(conversation.get_absolute_url()).content.decode()
    groups.remove_member(match, sam, by=None)

    assert people_in(conversation) == ["Ana", "Doreen", "Lina"]
    client.force_login(sam.user)
    assert client.get(conversation.get_absolute_url()).status_code == 404
    assert Message.objects.filter(pk=hello.pk).exists()
    assert list(match.notes.values_list("action", "text")) == [("removed", "Sam"), ("added", "Lina")]
    assert Notice.objects.filter(user=sam.user, text_id__startswith="You are no longer in the group").exists()


@pytest.mark.django_db
def test_a_group_keeps_a_mentor_and_a_mentee_and_its_mentors_room(group, programme):
    match, mentor, (sam, ana) = group
    groups.remove_member(match, sam, by=None)
    with pytest.raises(MatchingError, match="close it instead"):
        groups.remove_member(match, ana, by=None)
    with pytest.raises(MatchingError, match="close it instead"):
        groups.remove_member(match, mentor, by=None)
    groups.add_member(match, MenteeFactory(programme=programme), by=None)
    groups.add_member(match, MenteeFactory(programme=programme), by=None)
    with pytest.raises(MatchingError, match="room for 0 more"):
        groups.add_member(match, MenteeFactory(programme=programme), by=None)


@pytest.mark.django_db
def test_a_mentor_invites_a_co_mentor_who_accepts_and_joins_the_conversations(client, group, programme):
    match, mentor, (sam, _ana) = group
    tomas = MentorFactory(programme=programme, user__display_name="Tomás")
    client.force_login(mentor.user)
    assert "Invite a co-mentor" in client.get(match.get_absolute_url()).content.decode()

    client.post(reverse("matching:invite_co_mentor", args=[match.pk]), {"membership": tomas.pk})
    invitation = CoMentorInvitation.objects.get()
    client.force_login(sam.user)  # not his to answer
    assert (
        client.post(reverse("matching:answer_co_mentor", args=[invitation.pk]), {"answer": "accept"}).status_code == 404
    )
    client.force_login(tomas.user)
    assert (
        "Doreen invites you to co-mentor with them in Young Founders"
        in client.get(reverse("matching:requests")).content.decode()
    )
    client.post(reverse("matching:answer_co_mentor", args=[invitation.pk]), {"answer": "accept"})

    assert MatchMember.objects.filter(match=match, user=tomas.user, role="mentor").exists()
    assert Participant.objects.filter(conversation__match=match, user=tomas.user).count() == 1
    assert (match.notes.get().text, match.notes.get().author) == ("Tomás, as co-mentor", mentor.user)


@pytest.mark.django_db
def test_only_a_mentor_in_the_match_invites_and_only_the_programmes_mentors(client, group, programme):
    match, mentor, (sam, _ana) = group
    elsewhere = MentorFactory()
    client.force_login(sam.user)
    assert "Invite a co-mentor" not in client.get(match.get_absolute_url()).content.decode()
    client.post(
        reverse("matching:invite_co_mentor", args=[match.pk]), {"membership": MentorFactory(programme=programme).pk}
    )
    with pytest.raises(MatchingError, match="Only a mentor in this match"):
        groups.invite_co_mentor(match, sam.user, MentorFactory(programme=programme))
    client.force_login(mentor.user)
    response = client.post(
        reverse("matching:invite_co_mentor", args=[match.pk]), {"membership": elsewhere.pk}, follow=True
    )

    assert "Choose a mentor of your programme from the list." in response.content.decode()
    assert not CoMentorInvitation.objects.exists()


@pytest.mark.django_db
def test_a_declined_invitation_changes_nothing(group, programme):
    match, mentor, _mentees = group
    tomas = MentorFactory(programme=programme)
    invitation = groups.invite_co_mentor(match, mentor.user, tomas)

    groups.answer_co_mentoring(invitation, tomas.user, accept=False)

    assert not match.members.filter(user=tomas.user).exists()
    with pytest.raises(MatchingError, match="already been answered"):
        groups.answer_co_mentoring(invitation, tomas.user, accept=True)
