"""Delivery across real process boundaries: a real worker, a real Redis, a real SMTP server."""

import datetime
import subprocess
import sys
import textwrap
import time

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from accounts import delivery
from accounts.email_kinds import EmailKind
from accounts.emails import queue_email
from accounts.models import OutboundEmail

from .factories import UserFactory
from .worker_process import PROJECT, subprocess_env


def queue_for(people, prefix):
    with transaction.atomic():  # one event, many e-mails; each delivery task is published on commit
        return [
            queue_email(person, EmailKind.WELCOME, "emails/welcome", {"profile_url": "/"}, f"{prefix}:{person.pk}")
            for person in people
        ]


def wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_queued_emails(worker, smtp_sink):
    people = UserFactory.create_batch(5)

    rows = queue_for(people, "welcome")

    assert wait_for(lambda: OutboundEmail.objects.filter(status="sent").count() == 5), worker.log_path.read_text()
    assert sorted(r.rcpt_tos[0] for r in smtp_sink.received) == sorted(p.email for p in people)
    assert len({r.message_id for r in smtp_sink.received}) == 5
    assert {row.pk for row in rows} == set(OutboundEmail.objects.values_list("pk", flat=True))


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_loses_nothing_and_duplicates_nothing(worker, smtp_sink):
    smtp_sink.delay = 0.3  # each e-mail takes a while, so the kill lands mid-send
    people = UserFactory.create_batch(10)
    queue_for(people, "welcome")

    assert wait_for(lambda: len(smtp_sink.received) >= 3), worker.log_path.read_text()
    smtp_sink.data_started.clear()
    assert wait_for(smtp_sink.data_started.is_set)
    worker.kill()  # SIGKILL while the SMTP server is in the middle of a message

    statuses = list(OutboundEmail.objects.values_list("status", flat=True))
    assert statuses.count("sending") == 1  # the one it was sending when it died
    assert statuses.count("sent") == len(smtp_sink.received)

    smtp_sink.delay = 0
    with time_machine.travel(timezone.now() + OutboundEmail.STALE_CLAIM_AFTER + datetime.timedelta(minutes=1)):
        delivery.deliver_due_emails()
        assert delivery.deliver_due_emails() == {}

    assert OutboundEmail.objects.filter(status="sent").count() == 10
    received_ids = [r.message_id for r in smtp_sink.received]
    assert len(received_ids) == 10
    assert len(set(received_ids)) == 10, "an e-mail was sent twice"
    assert sorted(r.rcpt_tos[0] for r in smtp_sink.received) == sorted(p.email for p in people)


QUEUE_WITH_REDIS_DOWN = textwrap.dedent(
    """
    import sys, time, django
    django.setup()
    from django.db import transaction
    from accounts.email_kinds import EmailKind
    from accounts.emails import queue_email
    from accounts.models import User

    person = User.objects.get(pk=int(sys.argv[1]))
    started = time.monotonic()
    with transaction.atomic():
        row = queue_email(person, EmailKind.WELCOME, "emails/welcome", {"profile_url": "/"}, "welcome:redis-down")
    print(row.pk, round(time.monotonic() - started, 3))
    """
)


@pytest.mark.django_db(transaction=True)
def test_queueing_while_redis_is_unreachable_succeeds_and_the_sweeper_sends_once():
    person = UserFactory()

    # Another process, whose Redis is unreachable (nothing listens on port 1).
    result = subprocess.run(
        [sys.executable, "-c", QUEUE_WITH_REDIS_DOWN, str(person.pk)],
        cwd=PROJECT,
        env=subprocess_env(REDIS_URL="redis://127.0.0.1:1/0", DJANGO_SETTINGS_MODULE="mentoring.settings"),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    row_id, seconds = result.stdout.split()
    assert float(seconds) < 2.0
    assert "the sweeper will send it" in result.stderr
    row = OutboundEmail.objects.get(pk=int(row_id))
    assert row.status == OutboundEmail.Status.PENDING

    # Redis is back (this process's REDIS_URL answers); the beat sweeper runs, twice.
    assert delivery.deliver_due_emails() == {"sent": 1}
    assert delivery.deliver_due_emails() == {}
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_sweepers_at_once_send_each_email_once(smtp_sink):
    import threading

    from django.db import close_old_connections

    smtp_sink.delay = 0.02
    people = UserFactory.create_batch(20)
    queue_for(people, "welcome")
    start = threading.Barrier(2)
    outcomes = []

    def sweep():
        start.wait()
        try:
            outcomes.append(delivery.deliver_due_emails())
        finally:
            close_old_connections()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sum(outcome.get("sent", 0) for outcome in outcomes) == 20
    assert all(outcome.get("sent", 0) > 0 for outcome in outcomes)  # both really worked in parallel
    assert len({r.message_id for r in smtp_sink.received}) == len(smtp_sink.received) == 20
