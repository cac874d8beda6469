"""Capacity and "one current match per mentee" hold when acceptances race on two connections."""

import threading

import pytest
from django.db import IntegrityError, close_old_connections, transaction

from matching.models import Match, MatchMember
from matching.services import MatchingError, accept, propose, request_mentor

from .factories import MenteeFactory, MentorFactory, ProgrammeFactory


def race(*actions):
    """Run each action in its own thread (its own database connection), all released at once."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        barrier.wait()
        try:
            outcomes[index] = ("ok", action())
        except MatchingError as error:
            outcomes[index] = ("refused", str(error))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(i, action)) for i, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_number", range(5))
def test_two_acceptances_for_a_mentor_with_one_place_start_one_match(round_number):
    programme = ProgrammeFactory()
    mentor = MentorFactory(programme=programme, capacity=1)
    first = request_mentor(MenteeFactory(programme=programme), mentor)
    second = request_mentor(MenteeFactory(programme=programme), mentor)

    outcomes = race(lambda: accept(first, mentor.user), lambda: accept(second, mentor.user))

    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"]
    refusal = next(message for kind, message in outcomes if kind == "refused")
    assert "has no room for another mentee" in refusal
    assert MatchMember.objects.filter(membership=mentor, match_status="active").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_coordinator_and_a_mentor_accepting_the_same_request_start_it_once():
    programme = ProgrammeFactory()
    mentor = MentorFactory(programme=programme, capacity=3)
    coordinator = MentorFactory(programme=programme).user
    match = request_mentor(MenteeFactory(programme=programme), mentor)

    outcomes = race(lambda: accept(match, mentor.user), lambda: accept(match, coordinator))

    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"]
    assert "already been answered" in next(message for kind, message in outcomes if kind == "refused")
    assert Match.objects.get().status == "active"


@pytest.mark.django_db
def test_the_database_refuses_a_second_current_match_for_a_mentee():
    programme = ProgrammeFactory()
    mentee = MenteeFactory(programme=programme)
    first = propose(mentee, MentorFactory(programme=programme), by=None, source="coordinator")
    accept(first, by=None)
    second = Match.objects.create(programme=programme, status="proposed", source="coordinator")
    member = MatchMember.objects.create(match=second, membership=mentee, user=mentee.user, role="mentee")

    # Even code that skipped the service's checks could not give the mentee two mentors.
    with pytest.raises(IntegrityError), transaction.atomic():
        MatchMember.objects.filter(pk=member.pk).update(match_status="active")


@pytest.mark.django_db
def test_accepting_for_a_mentee_who_was_matched_meanwhile_is_refused_clearly():
    programme = ProgrammeFactory()
    mentee = MenteeFactory(programme=programme)
    mentor = MentorFactory(programme=programme)
    coordinator_proposal = propose(mentee, MentorFactory(programme=programme), by=None, source="coordinator")
    accept(coordinator_proposal, by=None)
    # A proposal written before the first match started (as auto-match drafts can be).
    stale = Match.objects.create(programme=programme, status="proposed", source="automatic")
    MatchMember.objects.create(match=stale, membership=mentor, user=mentor.user, role="mentor", match_status="proposed")
    MatchMember.objects.create(match=stale, membership=mentee, user=mentee.user, role="mentee", match_status="proposed")

    with pytest.raises(MatchingError, match="already has a mentor"):
        accept(stale, by=None)
