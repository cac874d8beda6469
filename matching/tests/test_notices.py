"""Matching tells people in the app as well as by e-mail: requests, answers, matches, closures, enrolment."""

import pytest

from matching.models import Membership
from matching.services import accept, approve_memberships, close, decline, request_mentor
from matching.tests.factories import MenteeFactory, MentorFactory, ProgrammeFactory
from notices.models import Notice


def texts(user):
    return [(n.kind, n.text, n.url) for n in Notice.objects.filter(user=user).order_by("pk")]


@pytest.mark.django_db
def test_a_request_its_answer_and_the_match_reach_each_persons_notifications():
    programme = ProgrammeFactory(slug="uni")
    mentor = MentorFactory(programme=programme, user__display_name="Doreen", capacity=2)
    sam = MenteeFactory(programme=programme, user__display_name="Sam")
    ana = MenteeFactory(programme=programme, user__display_name="Ana")

    first = request_mentor(sam, mentor)
    match = accept(first, mentor.user)
    decline(request_mentor(ana, mentor), mentor.user)

    assert texts(mentor.user) == [
        ("request", "Sam asked you to be their mentor.", "/requests/"),
        ("match", "You are matched with Sam: say hello.", match.get_absolute_url()),
        ("request", "Ana asked you to be their mentor.", "/requests/"),
    ]
    assert texts(sam.user) == [("match", "You are matched with Doreen: say hello.", match.get_absolute_url())]
    assert texts(ana.user) == [
        ("request", "Doreen cannot take your request: choose another mentor from your suggestions.",
         "/programmes/uni/suggestions/"),
    ]  # fmt: skip

    close(match, sam.user, reason="goals_met", rating=5)
    assert texts(mentor.user)[-1][:2] == ("match", f"Sam closed your match in {programme.name}.")
    assert Notice.objects.filter(user=sam.user).count() == 1  # the one who closed it is not told


@pytest.mark.django_db
def test_an_approved_enrolment_is_a_notice():
    programme = ProgrammeFactory(name="Widening Access", enrolment_requires_approval=True)
    mentee = MenteeFactory(programme=programme, status=Membership.Status.APPLIED)

    approve_memberships(Membership.objects.filter(pk=mentee.pk))

    assert texts(mentee.user) == [
        ("programme", "You are in Widening Access: your enrolment is approved.", programme.get_absolute_url())
    ]
