"""Nobody is matched before they are ready: every required check cleared and in date, every required
module completed, and a young mentee's guardian's consent. Every way into a match respects it, in the
service layer, also when two attempts race and when a check runs out while a proposal waits."""

import datetime
import itertools

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import delivery
from accounts.models import OutboundEmail
from accounts.tests.factories import UserFactory
from consent.models import GuardianConsent
from matching.automatch import assign_pool
from matching.check_expiry import alert_lapsed, remind_expiring
from matching.models import Match, Membership, ProgrammeCoordinator, RequiredCheck, RequiredTraining
from matching.readiness import CONSENT_PURPOSE, readiness
from matching.scoring import load_pool
from matching.selectors import suggestions_for
from matching.services import (
    MatchingError,
    _save_proposals,
    accept,
    match_directly,
    propose,
    request_mentor,
    run_automatch,
)
from screening import services as screening
from screening.models import Check, CheckType
from training.models import Attempt, Module

from .factories import MenteeFactory, MentorFactory, ProgrammeFactory, TopicFactory
from .test_concurrency import race

TODAY = datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def screened(frozen):
    """A programme whose mentors need a DBS check and the disclosures module before matching."""
    topic = TopicFactory()
    programme = ProgrammeFactory()
    programme.topics.add(topic)
    coordinator = UserFactory(is_staff=True, display_name="Ms Okafor")
    ProgrammeCoordinator.objects.create(programme=programme, user=coordinator, is_safeguarding_lead=True)
    dbs = CheckType.objects.create(name="Enhanced DBS", valid_for_months=36)
    RequiredCheck.objects.create(programme=programme, role="mentor", check_type=dbs)
    module = Module.objects.get(slug="disclosures")  # one of the default modules
    RequiredTraining.objects.create(programme=programme, role="mentor", module=module)
    return programme, topic, dbs, module, coordinator


def clear(person, check_type, *, verified_on=None, expires_on=None, by=None) -> Check:
    return screening.record(
        Check(person=person, check_type=check_type, outcome=Check.Outcome.CLEARED,
              verified_on=verified_on or timezone.localdate() - datetime.timedelta(days=10), expires_on=expires_on,
              evidence_reference="001234567890"),
        by=by,
    )  # fmt: skip


def train(person, module) -> Attempt:
    return Attempt.objects.create(person=person, module=module, version=module.version, passed=True, score=100)


def mentor_in(programme, topic, **kwargs):
    return MentorFactory(programme=programme, topics=[topic], **kwargs)


def ready_mentor(screened, **kwargs):
    programme, topic, dbs, module, coordinator = screened
    mentor = mentor_in(programme, topic, **kwargs)
    clear(mentor.user, dbs, by=coordinator)
    train(mentor.user, module)
    return mentor


@pytest.mark.django_db
def test_a_mentor_missing_a_check_or_training_is_never_suggested_or_pooled(client, screened):
    programme, topic, dbs, module, _coordinator = screened
    unchecked = mentor_in(programme, topic)
    train(unchecked.user, module)
    untrained = mentor_in(programme, topic)
    clear(untrained.user, dbs)
    ready = ready_mentor(screened)
    mentee = MenteeFactory(programme=programme, topics=[topic])

    assert [s.mentor.membership_id for s in suggestions_for(mentee)] == [ready.pk]
    client.force_login(mentee.user)
    page = client.get(reverse("matching:suggestions", args=[programme.slug]))
    assert [s.mentor.membership_id for s in page.context["suggestions"]] == [ready.pk]
    assert {m.membership_id for m in load_pool(programme).mentors} == {ready.pk}


@pytest.mark.django_db
def test_a_mentor_missing_a_check_cannot_be_requested_proposed_matched_or_auto_matched(screened):
    programme, topic, _dbs, module, coordinator = screened
    mentor = mentor_in(programme, topic)
    train(mentor.user, module)
    mentee = MenteeFactory(programme=programme, topics=[topic])

    with pytest.raises(MatchingError, match="cannot take requests at the moment"):
        request_mentor(mentee, mentor)
    with pytest.raises(MatchingError, match="Enhanced DBS not cleared"):
        propose(mentee, mentor, by=coordinator, source=Match.Source.COORDINATOR)
    with pytest.raises(MatchingError, match="Enhanced DBS not cleared"):
        match_directly(mentee, mentor, by=coordinator)
    assert run_automatch(programme, apply=True, by=coordinator).proposals_created == 0
    assert not Match.objects.exists()


@pytest.mark.django_db
def test_a_mentor_missing_training_cannot_be_proposed_and_a_new_version_asked_again_counts(screened):
    programme, topic, dbs, module, coordinator = screened
    mentor = mentor_in(programme, topic)
    clear(mentor.user, dbs)
    mentee = MenteeFactory(programme=programme, topics=[topic])
    with pytest.raises(MatchingError, match="“What to do if a mentee tells you something worrying” not completed"):
        propose(mentee, mentor, by=coordinator, source=Match.Source.COORDINATOR)

    train(mentor.user, module)
    assert readiness(mentor).ready
    # The coordinator rewrites the module and asks everyone to read it again: the old pass stops counting.
    Module.objects.filter(pk=module.pk).update(version=2, minimum_version=2)
    assert not readiness(mentor).ready
    assert run_automatch(programme, apply=True, by=coordinator).proposals_created == 0


@pytest.mark.django_db
def test_a_check_that_expires_while_a_proposal_is_open_stops_its_acceptance(screened, frozen):
    programme, topic, dbs, module, _coordinator = screened
    mentor = mentor_in(programme, topic)
    clear(mentor.user, dbs, expires_on=timezone.localdate() + datetime.timedelta(days=2))
    train(mentor.user, module)
    mentee = MenteeFactory(programme=programme, topics=[topic])
    match = request_mentor(mentee, mentor)

    frozen.shift(datetime.timedelta(days=3))
    with pytest.raises(MatchingError, match="Enhanced DBS has expired"):
        accept(match, mentor.user)
    match.refresh_from_db()
    assert match.status == Match.Status.PROPOSED


@pytest.mark.django_db
def test_automatic_matching_rechecks_people_whose_check_lapsed_after_the_pool_was_read(screened):
    programme, topic, _dbs, _module, coordinator = screened
    mentor = ready_mentor(screened)
    MenteeFactory(programme=programme, topics=[topic])
    pool = load_pool(programme)
    ours, _greedy, _scores = assign_pool(pool)
    assert len(ours.pairs) == 1
    Check.objects.filter(person=mentor.user).update(outcome=Check.Outcome.NOT_CLEARED)

    assert _save_proposals(programme, pool, ours, coordinator) == 0
    assert not Match.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_number", range(3))
def test_two_concurrent_attempts_to_match_an_unready_mentor_are_both_refused(round_number):
    programme = ProgrammeFactory()
    topic = TopicFactory()
    programme.topics.add(topic)
    dbs = CheckType.objects.create(name="Enhanced DBS", valid_for_months=36)
    RequiredCheck.objects.create(programme=programme, role="mentor", check_type=dbs)
    coordinator = UserFactory(is_staff=True)
    mentor = MentorFactory(programme=programme, topics=[topic], capacity=2)
    first, second = (MenteeFactory(programme=programme, topics=[topic]) for _ in range(2))

    outcomes = race(
        lambda: propose(first, mentor, by=coordinator, source=Match.Source.COORDINATOR),
        lambda: match_directly(second, mentor, by=coordinator),
    )

    assert [kind for kind, _ in outcomes] == ["refused", "refused"]
    assert not Match.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_number", range(3))
def test_a_check_revoked_while_a_request_is_accepted_is_never_missed_by_both(round_number):
    """Either the acceptance came first (the match is current and the coordinator is alerted that the
    check no longer holds) or the revocation did (the acceptance is refused): never a match started on
    a check already revoked, unseen."""
    programme = ProgrammeFactory()
    topic = TopicFactory()
    programme.topics.add(topic)
    dbs = CheckType.objects.create(name="Enhanced DBS", valid_for_months=36)
    RequiredCheck.objects.create(programme=programme, role="mentor", check_type=dbs)
    mentor = MentorFactory(programme=programme, topics=[topic])
    check = clear(mentor.user, dbs)
    match = request_mentor(MenteeFactory(programme=programme, topics=[topic]), mentor)

    def revoke():
        check.outcome = Check.Outcome.NOT_CLEARED
        return screening.record(check, by=None)

    outcomes = race(lambda: accept(match, mentor.user), revoke)

    match.refresh_from_db()
    accepted = outcomes[0][0] == "ok"
    assert match.status == (Match.Status.ACTIVE if accepted else Match.Status.PROPOSED)
    if not accepted:
        assert "Enhanced DBS not cleared" in outcomes[0][1]
    assert not readiness(Membership.objects.get(pk=mentor.pk)).ready


@pytest.mark.django_db
def test_a_check_expiring_in_30_days_reminds_the_coordinators_once(screened, frozen):
    programme, _topic, dbs, _module, coordinator = screened
    mentor = ready_mentor(screened)
    Check.objects.filter(person=mentor.user).update(expires_on=timezone.localdate() + datetime.timedelta(days=30))
    later = mentor_in(programme, _topic)
    clear(later.user, dbs, expires_on=timezone.localdate() + datetime.timedelta(days=31))

    assert remind_expiring() == 1
    assert remind_expiring() == 0  # the next day's sweep does not repeat it
    row = OutboundEmail.objects.get(template="emails/checks_expiring")
    assert row.recipient == coordinator
    assert delivery.deliver(row.pk) == OutboundEmail.Status.SENT
    message = mail.outbox[-1]
    html = message.alternatives[0][0]
    expiry = (timezone.localdate() + datetime.timedelta(days=30)).strftime("%-d %B %Y")
    for part in (message.body, html):
        assert mentor.user.display_name in part
        assert "Enhanced DBS" in part
        assert expiry in part
        assert later.user.display_name not in part
    assert f"/admin/screening/check/{Check.objects.get(person=mentor.user).pk}/change/" in html


@pytest.mark.django_db
def test_a_check_lapsing_in_a_current_match_alerts_and_blocks_only_new_matches(screened, frozen):
    programme, topic, _dbs, _module, coordinator = screened
    mentor = ready_mentor(screened, capacity=2)
    Check.objects.filter(person=mentor.user).update(expires_on=timezone.localdate() + datetime.timedelta(days=1))
    match = accept(request_mentor(MenteeFactory(programme=programme, topics=[topic]), mentor), mentor.user)

    frozen.shift(datetime.timedelta(days=2))
    assert alert_lapsed() == 1
    assert alert_lapsed() == 0
    match.refresh_from_db()
    assert match.status == Match.Status.ACTIVE  # the pair go on
    row = OutboundEmail.objects.get(template="emails/check_lapsed")
    assert (row.recipient, row.kind) == (coordinator, "safeguarding")
    assert delivery.deliver(row.pk) == OutboundEmail.Status.SENT
    message = mail.outbox[-1]
    for part in (message.body, message.alternatives[0][0]):
        assert mentor.user.display_name in part
        assert "Enhanced DBS" in part
    with pytest.raises(MatchingError, match="Enhanced DBS has expired"):
        propose(MenteeFactory(programme=programme, topics=[topic]), mentor, by=coordinator,
                source=Match.Source.COORDINATOR)  # fmt: skip


@pytest.mark.django_db
def test_readiness_and_the_pool_filter_give_the_same_answers(screened, frozen):
    """matching.readiness's two shapes (SQL for pools, Python for one person) agree on every case."""
    programme, topic, dbs, module, _coordinator = screened
    programme.for_young_people = True
    programme.save()
    RequiredTraining.objects.create(programme=programme, role="mentee", module=Module.objects.get(slug="staying-safe"))
    today = timezone.localdate()
    people = []
    for checked, expired, trained, status in itertools.product([False, True], [False, True], [False, True],
                                                               ["approved", "applied"]):  # fmt: skip
        mentor = mentor_in(programme, topic, status=status)
        if checked:
            clear(mentor.user, dbs, verified_on=today - datetime.timedelta(days=20),
                  expires_on=today + datetime.timedelta(days=5))  # fmt: skip
            if expired:
                Check.objects.filter(person=mentor.user).update(expires_on=today - datetime.timedelta(days=1))
        if trained:
            train(mentor.user, module)
        people.append(mentor)
    staying_safe = Module.objects.get(slug="staying-safe")
    for age, consent in itertools.product([None, 14, 15, 16, 17], [None, "requested", "given", "withdrawn"]):
        born = None if age is None else today.replace(year=today.year - age) + datetime.timedelta(days=age % 2)
        mentee = MenteeFactory(programme=programme, topics=[topic], user=UserFactory(date_of_birth=born))
        train(mentee.user, staying_safe)
        if consent:
            GuardianConsent.objects.create(person=mentee.user, purpose=CONSENT_PURPOSE, purpose_id=mentee.pk,
                                           guardian_email="parent@example.org", status=consent, nonce="x")  # fmt: skip
        people.append(mentee)

    by_sql = set(Membership.objects.filter(programme=programme).matchable().values_list("pk", flat=True))
    by_python = {m.pk for m in Membership.objects.filter(programme=programme) if readiness(m).ready}
    assert by_sql == by_python
    assert 0 < len(by_sql) < len(people)
