"""R6: every Celery task of ours, run twice with the same arguments, has its side effects once.

Celery delivers at least once, so each task must be idempotent. This test fails when a new task
is added without a scenario here.
"""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import mail
from django.utils import timezone

from accounts.email_kinds import EmailKind
from accounts.emails import queue_email
from accounts.models import OutboundEmail
from accounts.tests.factories import UserFactory
from mentoring.celery import app

# Every runtime app: a task in any of them needs a scenario.
OUR_APPS = ("accounts.", "screening.", "training.", "consent.", "matching.", "agreements.", "checkins.", "guides.",
            "meetings.", "messaging.", "coordination.", "mentoring.")  # fmt: skip


def queue_welcome(key):
    return queue_email(UserFactory(), EmailKind.WELCOME, "emails/welcome", {"profile_url": "/"}, key)


def deliver_email_scenario():
    row = queue_welcome("welcome:twice")

    def check(results):
        assert results == ["sent", None]
        assert len(mail.outbox) == 1

    return (row.pk,), check


def deliver_due_emails_scenario():
    for n in range(3):
        queue_welcome(f"welcome:{n}")

    def check(results):
        assert results == [{"sent": 3}, {}]
        assert len(mail.outbox) == 3

    return (), check


def clear_expired_sessions_scenario():
    expired = SessionStore()
    expired.create()
    Session.objects.filter(pk=expired.session_key).update(expire_date=timezone.now() - timedelta(days=1))
    live = SessionStore()
    live.create()

    def check(results):
        assert results == [1, 0]
        assert Session.objects.filter(pk=live.session_key).exists()

    return (), check


def remind_and_expire_match_requests_scenario():
    from matching.models import Match
    from matching.services import request_mentor
    from matching.tests.factories import MenteeFactory, MentorFactory, ProgrammeFactory

    programme = ProgrammeFactory()
    match = request_mentor(MenteeFactory(programme=programme), MentorFactory(programme=programme))
    Match.objects.filter(pk=match.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    def check(results):
        assert results == [{"reminded": 0, "expired": 1}, {"reminded": 0, "expired": 0}]
        match.refresh_from_db()
        assert match.status == "expired"

    return (), check


def send_invitation_reminders_scenario():
    from matching.invitations import invite
    from matching.models import Invitation
    from matching.tests.factories import ProgrammeFactory

    invitation = invite(ProgrammeFactory(), "new.person@example.org", "mentee", by=None)
    Invitation.objects.filter(pk=invitation.pk).update(created_at=timezone.now() - timedelta(days=7, hours=1))

    def check(results):
        assert results == [1, 0]
        assert OutboundEmail.objects.filter(dedupe_key__endswith=":reminder-7").count() == 1

    return (), check


def _list_being_sent(rows: int):
    from matching.models import InvitationList
    from matching.tests.factories import ProgrammeFactory

    people = [{"line": n + 2, "name": f"P{n}", "email": f"p{n}@school.example", "role": "mentee", "answers": {}}
              for n in range(rows)]  # fmt: skip
    return InvitationList.objects.create(programme=ProgrammeFactory(), file_name="p.csv", rows=people,
                                         sending_since=timezone.now() - timedelta(minutes=10))  # fmt: skip


def send_invitation_list_scenario():
    from matching.models import Invitation

    saved = _list_being_sent(3)

    def check(results):
        assert results == [3, 3]  # the second run finds it sent and says how many were
        assert Invitation.objects.filter(programme=saved.programme).count() == 3

    return (saved.pk,), check


def resume_invitation_lists_scenario():
    from matching.models import Invitation

    saved = _list_being_sent(2)

    def check(results):
        assert results == [1, 0]
        assert Invitation.objects.filter(programme=saved.programme).count() == 2

    return (), check


def sweep_screening_checks_scenario():
    from matching.models import ProgrammeCoordinator, RequiredCheck
    from messaging.tests.helpers import one_to_one
    from screening.models import Check, CheckType

    conversation, _sam, doreen = one_to_one()
    _other, _lucia, tomas = one_to_one(mentee_name="Lucía", mentor_name="Tomás")
    for programme in (conversation.match.programme, _other.match.programme):
        ProgrammeCoordinator.objects.create(programme=programme, user=UserFactory(is_staff=True))
    dbs = CheckType.objects.create(name="Enhanced DBS")
    today = timezone.localdate()
    for programme in (conversation.match.programme, _other.match.programme):
        RequiredCheck.objects.create(programme=programme, role="mentor", check_type=dbs)
    Check.objects.create(person=doreen, check_type=dbs, outcome="cleared", verified_on=today - timedelta(days=700),
                         expires_on=today + timedelta(days=10))  # fmt: skip
    Check.objects.create(person=tomas, check_type=dbs, outcome="cleared", verified_on=today - timedelta(days=800),
                         expires_on=today - timedelta(days=1))  # fmt: skip

    def check(results):
        assert results == [{"reminded": 1, "alerted": 1}, {"reminded": 0, "alerted": 0}]
        assert OutboundEmail.objects.filter(template="emails/checks_expiring").count() == 1
        assert OutboundEmail.objects.filter(template="emails/check_lapsed").count() == 1

    return (), check


def send_due_digests_scenario():
    from messaging.services import send_message
    from messaging.tests.helpers import one_to_one

    conversation, sam, doreen = one_to_one()
    doreen.notification_preference = "daily_digest"
    doreen.save()
    send_message(sam, conversation, "Hello")
    type(doreen).objects.filter(pk=doreen.pk).update(next_digest_at=timezone.now() - timedelta(minutes=1))

    def check(results):
        assert results == [1, 0]
        assert OutboundEmail.objects.filter(template="emails/digest").count() == 1

    return (), check


def send_due_reminders_scenario():
    from messaging.models import Participant
    from messaging.services import send_message
    from messaging.tests.helpers import one_to_one

    conversation, sam, doreen = one_to_one()
    send_message(sam, conversation, "Hello")
    Participant.objects.filter(user=doreen).update(
        awaiting_reply_since=timezone.now() - timedelta(hours=80), reply_due_at=timezone.now() - timedelta(hours=8)
    )

    def check(results):
        assert results == [{"reminded": 1, "escalated": 0}, {"reminded": 0, "escalated": 0}]
        assert OutboundEmail.objects.filter(template="emails/reply_reminder").count() == 1

    return (), check


def send_inactivity_nudges_scenario():
    from matching.models import Match
    from messaging.tests.helpers import one_to_one

    conversation, _sam, _doreen = one_to_one()
    Match.objects.filter(pk=conversation.match_id).update(activated_at=timezone.now() - timedelta(days=30))

    def check(results):
        assert results == [1, 0]
        assert OutboundEmail.objects.filter(template="emails/inactivity_nudge").count() == 2

    return (), check


def purge_expired_messages_scenario():
    from matching.models import Match
    from matching.services import close
    from messaging.models import Message
    from messaging.services import send_message
    from messaging.tests.helpers import one_to_one

    conversation, sam, doreen = one_to_one()
    send_message(sam, conversation, "Hello")
    close(conversation.match, doreen, reason="completed", rating=5)
    Match.objects.filter(pk=conversation.match_id).update(closed_at=timezone.now() - timedelta(days=400))

    def check(results):
        assert results == [1, 0]
        assert not Message.objects.exists()

    return (), check


def send_due_check_ins_scenario():
    from matching.models import Match
    from messaging.tests.helpers import one_to_one

    conversation, _sam, _doreen = one_to_one()
    Match.objects.filter(pk=conversation.match_id).update(activated_at=timezone.now() - timedelta(days=15))

    def check(results):
        assert results == [2, 0]
        assert OutboundEmail.objects.filter(template="emails/check_in").count() == 2

    return (), check


def send_scheduled_messages_scenario():
    from messaging.models import Message, ScheduledMessage
    from messaging.tests.helpers import one_to_one

    conversation, sam, _doreen = one_to_one()
    ScheduledMessage.objects.create(conversation=conversation, sender=sam, body="Good morning",
                                    deliver_at=timezone.now() - timedelta(minutes=1))  # fmt: skip

    def check(results):
        assert results == [1, 0]
        assert Message.objects.filter(body="Good morning").count() == 1

    return (), check


def send_meeting_reminders_scenario():
    from meetings import services
    from meetings.models import MeetingPolicy
    from messaging.tests.helpers import one_to_one

    conversation, sam, doreen = one_to_one()
    MeetingPolicy.objects.create(programme=conversation.match.programme, video_link_template="https://v/{room}")
    meeting = services.propose(conversation.match, doreen, [timezone.now() + timedelta(hours=20)])
    services.choose(meeting, sam, meeting.slots.get().starts_at)

    def check(results):
        assert results == [2, 0]
        assert OutboundEmail.objects.filter(template="emails/meeting_reminder").count() == 2

    return (), check


SCENARIOS = {
    "meetings.tasks.send_meeting_reminders": send_meeting_reminders_scenario,
    "messaging.tasks.send_scheduled_messages": send_scheduled_messages_scenario,
    "checkins.tasks.send_due_check_ins": send_due_check_ins_scenario,
    "messaging.tasks.purge_expired_messages": purge_expired_messages_scenario,
    "messaging.tasks.send_due_digests": send_due_digests_scenario,
    "messaging.tasks.send_due_reminders": send_due_reminders_scenario,
    "messaging.tasks.send_inactivity_nudges": send_inactivity_nudges_scenario,
    "matching.tasks.remind_and_expire_match_requests": remind_and_expire_match_requests_scenario,
    "matching.tasks.sweep_screening_checks": sweep_screening_checks_scenario,
    "matching.tasks.send_invitation_reminders": send_invitation_reminders_scenario,
    "matching.tasks.send_invitation_list": send_invitation_list_scenario,
    "matching.tasks.resume_invitation_lists": resume_invitation_lists_scenario,
    "accounts.tasks.deliver_email": deliver_email_scenario,
    "accounts.tasks.deliver_due_emails": deliver_due_emails_scenario,
    "accounts.tasks.clear_expired_sessions": clear_expired_sessions_scenario,
}


def our_tasks() -> set[str]:
    app.loader.import_default_modules()
    return {name for name in app.tasks if name.startswith(OUR_APPS)}


def test_every_task_has_a_run_twice_scenario():
    assert our_tasks() == set(SCENARIOS), "add a scenario for each new task to SCENARIOS"


@pytest.mark.django_db
@pytest.mark.parametrize("task_name", sorted(SCENARIOS))
def test_running_a_task_twice_has_its_effects_once(task_name):
    assert task_name in our_tasks()
    args, check = SCENARIOS[task_name]()
    task = app.tasks[task_name]

    results = [task.apply(args=args, throw=True).get() for _ in range(2)]

    check(results)
