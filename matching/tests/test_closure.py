import pytest
from django.urls import reverse

from accounts.models import OutboundEmail
from matching.models import Match, ProgrammeCoordinator
from matching.services import MatchingError, accept, close, propose
from matching.signals import match_activated, match_closed

from .factories import MenteeFactory, MentorFactory, ProgrammeFactory


@pytest.fixture
def active_match():
    programme = ProgrammeFactory()
    coordinator = MentorFactory(programme=programme).user  # any person can coordinate
    ProgrammeCoordinator.objects.create(programme=programme, user=coordinator, is_safeguarding_lead=True)
    mentee = MenteeFactory(programme=programme, user__display_name="Sam")
    mentor = MentorFactory(programme=programme, user__display_name="Doreen")
    match = accept(propose(mentee, mentor, by=None, source="coordinator"), by=None)
    return match, mentee, mentor, coordinator


class SignalRecorder:
    def __init__(self, signal):
        self.signal, self.received = signal, []

    def __enter__(self):
        self.signal.connect(self.receive)
        return self

    def __exit__(self, *exc):
        self.signal.disconnect(self.receive)

    def receive(self, sender, match, **kwargs):
        self.received.append(match.pk)


@pytest.mark.django_db
def test_activation_sends_match_activated():
    programme = ProgrammeFactory()
    match = propose(MenteeFactory(programme=programme), MentorFactory(programme=programme), by=None, source="automatic")

    with SignalRecorder(match_activated) as recorder:
        accept(match, by=None)

    assert recorder.received == [match.pk]


@pytest.mark.django_db
def test_a_member_closes_the_match_with_reason_rating_and_reflection(client, active_match):
    match, mentee, mentor, coordinator = active_match
    client.force_login(mentee.user)

    with SignalRecorder(match_closed) as recorder:
        response = client.post(
            reverse("matching:close", args=[match.pk]),
            {"reason": "goals_met", "rating": "5", "reflection": "Thank you, Doreen!"},
        )

    assert response.status_code == 302
    match.refresh_from_db()
    assert (match.status, match.close_reason, match.closing_rating, match.closed_by) == (
        "closed",
        "goals_met",
        5,
        mentee.user,
    )
    assert set(match.members.values_list("match_status", flat=True)) == {"closed"}
    # messaging makes the match's conversations read-only when it hears this
    assert recorder.received == [match.pk]
    told = {(e.recipient, e.template) for e in OutboundEmail.objects.filter(template__startswith="emails/match_closed")}
    assert told == {(mentor.user, "emails/match_closed"), (coordinator, "emails/match_closed_coordinator")}
    page = client.get(reverse("matching:match", args=[match.pk])).content.decode()
    assert "This match closed on" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"reason": "", "rating": "4"},
        {"reason": "bored", "rating": "4"},
        {"reason": "completed", "rating": "0"},
        {"reason": "completed", "rating": "6"},
        {"reason": "completed", "rating": "five"},
        {"reason": "completed", "rating": "4", "reflection": "x" * 2001},
    ],
)
def test_bad_closing_input_is_a_form_error_and_the_match_stays_open(client, active_match, data):
    match, mentee, _mentor, _coordinator = active_match
    client.force_login(mentee.user)

    response = client.post(reverse("matching:close", args=[match.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].errors
    match.refresh_from_db()
    assert match.status == "active"


@pytest.mark.django_db
def test_closing_twice_is_refused(active_match):
    match, _mentee, mentor, _coordinator = active_match
    close(match, mentor.user, reason="completed", rating=4)

    with pytest.raises(MatchingError, match="not active"):
        close(match, mentor.user, reason="completed", rating=4)
    assert Match.objects.get().closing_rating == 4


@pytest.mark.django_db
def test_outsiders_cannot_close(client, active_match):
    match, *_ = active_match
    client.force_login(MenteeFactory().user)

    assert (
        client.post(reverse("matching:close", args=[match.pk]), {"reason": "completed", "rating": "1"}).status_code
        == 404
    )
    match.refresh_from_db()
    assert match.status == "active"
