"""Set-ups shared by the messaging tests: real matches, started through the real services."""

from matching.models import MatchMember, ProgrammeCoordinator
from matching.services import accept, propose
from matching.tests.factories import MenteeFactory, MentorFactory, ProgrammeFactory
from messaging.models import Conversation, MessagingPolicy
from messaging.services import open_conversation

POLICY_FIELDS = {field.name for field in MessagingPolicy._meta.fields} - {"id", "programme"}


def programme_with(**fields):
    """A programme; the fields of messaging's policy for it (retention_days=30, …) go to its MessagingPolicy."""
    policy = {name: fields.pop(name) for name in list(fields) if name in POLICY_FIELDS}
    programme = ProgrammeFactory(**fields)
    if policy:
        MessagingPolicy.objects.create(programme=programme, **policy)
    return programme


def one_to_one(programme=None, mentee_name="Sam", mentor_name="Doreen", **programme_fields):
    programme = programme or programme_with(**programme_fields)
    mentee = MenteeFactory(programme=programme, user__display_name=mentee_name)
    mentor = MentorFactory(programme=programme, user__display_name=mentor_name, capacity=3)
    match = accept(propose(mentee, mentor, by=None, source="coordinator"), by=None)
    conversation = Conversation.objects.get(match=match)
    return conversation, mentee.user, mentor.user


def group(mentees=2):
    programme = ProgrammeFactory(format="group")
    mentor = MentorFactory(programme=programme, user__display_name="Doreen", capacity=mentees)
    people = [MenteeFactory(programme=programme, user__display_name=f"Mentee {i}") for i in range(mentees)]
    first = accept(propose(people[0], mentor, by=None, source="coordinator"), by=None)
    # A group shares one match: the further mentees join it.
    for mentee in people[1:]:
        MatchMember.objects.create(
            match=first, membership=mentee, user=mentee.user, role="mentee", match_status="active"
        )
    conversation = open_conversation(first, "Our group")
    return conversation, mentor.user, [m.user for m in people]


def coordinator_of(programme, lead=True):
    user = MentorFactory().user
    ProgrammeCoordinator.objects.create(programme=programme, user=user, is_safeguarding_lead=lead)
    return user
