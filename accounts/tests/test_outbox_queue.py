import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from accounts import delivery
from accounts.email_kinds import EmailKind
from accounts.emails import queue_email
from accounts.models import OutboundEmail

from .factories import UserFactory


def queue_welcome(user, key="welcome:test", **kwargs):
    return queue_email(
        user, EmailKind.WELCOME, "emails/welcome", {"profile_url": "http://testserver/profile/"}, key, **kwargs
    )


@pytest.mark.django_db(transaction=True)
def test_an_event_that_rolls_back_queues_nothing_and_sends_nothing(django_capture_on_commit_callbacks):
    person = UserFactory()

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue_welcome(person)
        raise RuntimeError("the event failed")

    assert callbacks == []  # no delivery task published
    assert not OutboundEmail.objects.exists()
    delivery.deliver_due_emails()
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_same_dedupe_key_twice_gives_one_row_and_one_email(django_capture_on_commit_callbacks):
    person = UserFactory()

    with django_capture_on_commit_callbacks() as callbacks:
        first = queue_welcome(person)
        second = queue_welcome(person)

    assert first.pk == second.pk
    assert OutboundEmail.objects.count() == 1
    assert len(callbacks) == 1  # one wake-up, not two
    delivery.deliver_due_emails()
    delivery.deliver_due_emails()
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_nothing_is_queued_for_a_kind_the_person_turned_off():
    person = UserFactory(email_opt_outs=[EmailKind.WELCOME])

    assert queue_welcome(person) is None
    assert not OutboundEmail.objects.exists()


@pytest.mark.django_db
def test_essential_kinds_are_queued_even_after_unsubscribing_from_everything():
    person = UserFactory(email_opt_outs=[kind.value for kind in EmailKind])

    row = queue_email(person, EmailKind.SAFEGUARDING, "emails/welcome", {}, "safeguarding:1")

    assert row is not None


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["inactive", "erased"])
def test_nothing_is_queued_to_inactive_or_erased_people(state):
    person = UserFactory(is_active=state != "inactive", erased_at=timezone.now() if state == "erased" else None)

    assert queue_welcome(person) is None
    assert queue_email(person, EmailKind.SAFEGUARDING, "emails/welcome", {}, "safeguarding:1") is None


@pytest.mark.django_db
def test_an_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown e-mail kind"):
        queue_email(UserFactory(), "carrier_pigeon", "emails/welcome", {}, "x:1")


@pytest.mark.django_db
def test_context_keeps_dates_and_times():
    due = datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC)
    row = queue_email(
        UserFactory(), EmailKind.MATCH_UPDATES, "emails/welcome", {"due": due, "day": due.date(), "n": 3}, "goal:1"
    )

    row.refresh_from_db()
    assert row.context == {"due": due, "day": due.date(), "n": 3}


@pytest.mark.django_db
def test_a_later_send_after_waits_for_the_sweeper(django_capture_on_commit_callbacks):
    person = UserFactory()
    later = timezone.now() + datetime.timedelta(minutes=5)

    with django_capture_on_commit_callbacks() as callbacks:
        queue_welcome(person, send_after=later)

    assert callbacks == []  # nothing to wake now
    assert delivery.deliver_due_emails() == {}
    assert mail.outbox == []
