"""What people hear by e-mail about messages: batched new-message e-mails, digests at a local hour,
reply reminders and escalation, inactivity nudges."""

import datetime
import re
import threading

import pytest
from django.core import mail
from django.db import close_old_connections

from accounts import delivery
from accounts.models import OutboundEmail, User
from accounts.schedule import next_digest_at
from matching.models import Goal, Match
from messaging.digests import send_due_digests
from messaging.models import Participant
from messaging.reminders import send_due_reminders, send_inactivity_nudges
from messaging.services import acknowledge, mark_read, send_message

from .helpers import coordinator_of, one_to_one

T0 = datetime.datetime(2026, 4, 14, 10, 0, tzinfo=datetime.UTC)  # a Tuesday
MINUTE = datetime.timedelta(minutes=1)
HOUR = datetime.timedelta(hours=1)


def sent(template):
    return [
        m
        for m in mail.outbox
        if OutboundEmail.objects.filter(message_id=m.extra_headers["Message-ID"], template=template).exists()
    ]


def rows(template, **filters):
    return OutboundEmail.objects.filter(template=template, **filters)


def check_headers_and_links(message):
    assert "\n" not in message.subject and "\r" not in message.subject
    assert len(message.to) == 1
    if "List-Unsubscribe" in message.extra_headers:
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = message.alternatives[0][0]
    for link in re.findall(r'href="([^"]+)"', html):
        assert link.startswith("http://testserver/"), link


# --- New-message e-mails ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_message_is_e_mailed_after_the_batching_window(time_machine):
    time_machine.move_to(T0, tick=False)
    conversation, sam, doreen = one_to_one()
    OutboundEmail.objects.all().delete()  # the "you are matched" e-mails
    send_message(sam, conversation, "First question")
    time_machine.move_to(T0 + 2 * MINUTE, tick=False)
    send_message(sam, conversation, "And a second one")

    assert delivery.deliver_due_emails() == {}  # inside the window
    time_machine.move_to(T0 + 5 * MINUTE, tick=False)
    assert delivery.deliver_due_emails() == {"sent": 1}

    [email] = mail.outbox
    assert email.to == ["Doreen <" + doreen.email + ">"]
    assert email.subject == "New message from Sam: Getting to know each other"
    assert "Sam wrote 2 messages to you" in email.body
    assert "First question" not in email.body  # message text only when the programme allows it
    check_headers_and_links(email)


@pytest.mark.django_db
def test_reading_on_the_site_before_the_window_closes_cancels_the_e_mail(time_machine):
    time_machine.move_to(T0, tick=False)
    conversation, sam, doreen = one_to_one()
    OutboundEmail.objects.all().delete()
    send_message(sam, conversation, "Hello")
    time_machine.move_to(T0 + 3 * MINUTE, tick=False)
    mark_read(Participant.objects.select_related("conversation").get(user=doreen))

    time_machine.move_to(T0 + 5 * MINUTE, tick=False)
    assert delivery.deliver_due_emails() == {"cancelled": 1}
    assert mail.outbox == []


@pytest.mark.django_db
def test_at_most_one_new_message_e_mail_per_window_and_text_when_allowed(time_machine):
    time_machine.move_to(T0, tick=False)
    conversation, sam, _doreen = one_to_one(emails_include_message_text=True)
    OutboundEmail.objects.all().delete()
    send_message(sam, conversation, "One")
    time_machine.move_to(T0 + 5 * MINUTE, tick=False)
    delivery.deliver_due_emails()
    time_machine.move_to(T0 + 6 * MINUTE, tick=False)
    send_message(sam, conversation, "Two")

    second = rows("emails/new_message", status="pending").get()
    assert second.send_after == T0 + 11 * MINUTE  # not before a full window after the first
    time_machine.move_to(T0 + 11 * MINUTE, tick=False)
    delivery.deliver_due_emails()
    assert len(mail.outbox) == 2
    assert "One" in mail.outbox[0].body and "Two" in mail.outbox[1].body


@pytest.mark.django_db
def test_message_text_never_reaches_the_e_mail_of_someone_under_18(time_machine):
    time_machine.move_to(T0, tick=False)
    conversation, sam, doreen = one_to_one(emails_include_message_text=True)
    doreen.date_of_birth = T0.date().replace(year=T0.year - 17)
    doreen.save()
    OutboundEmail.objects.all().delete()
    send_message(sam, conversation, "My personal statement draft is attached below")
    time_machine.move_to(T0 + 5 * MINUTE, tick=False)
    delivery.deliver_due_emails()

    (message,) = mail.outbox
    assert "Sam" in message.body
    for part in (message.body, message.alternatives[0][0]):
        assert "personal statement" not in part


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["muted", "digest_person", "unsubscribed"])
def test_no_new_message_e_mail_for_people_who_do_not_want_one(time_machine, reason):
    time_machine.move_to(T0, tick=False)
    conversation, sam, doreen = one_to_one()
    if reason == "muted":
        Participant.objects.filter(user=doreen).update(muted=True)
    elif reason == "digest_person":
        doreen.notification_preference = User.NotificationPreference.DAILY_DIGEST
        doreen.save()
    else:
        doreen.email_opt_outs = ["new_message"]
        doreen.save()

    send_message(sam, conversation, "Hello")

    assert not rows("emails/new_message").exists()


# --- Reply reminders --------------------------------------------------------------------------


@pytest.fixture
def waiting(time_machine):
    time_machine.move_to(T0, tick=False)
    conversation, sam, doreen = one_to_one()
    doreen.quiet_hours_start, doreen.quiet_hours_end = datetime.time(0, 0), datetime.time(0, 0)  # no quiet hours
    doreen.save()
    coordinator = coordinator_of(conversation.match.programme)
    send_message(sam, conversation, "Hello Doreen")
    OutboundEmail.objects.all().delete()
    return conversation, sam, doreen, coordinator


@pytest.mark.django_db
def test_exactly_one_reminder_at_the_due_time(time_machine, waiting):
    _conversation, _sam, doreen, _coordinator = waiting

    time_machine.move_to(T0 + 71 * HOUR, tick=False)
    assert send_due_reminders() == {"reminded": 0, "escalated": 0}
    time_machine.move_to(T0 + 72 * HOUR, tick=False)
    assert send_due_reminders() == {"reminded": 1, "escalated": 0}
    assert send_due_reminders() == {"reminded": 0, "escalated": 0}

    reminder = rows("emails/reply_reminder").get()
    assert reminder.recipient == doreen
    delivery.deliver_due_emails()
    assert "Sam has been waiting 3 days for your reply" in mail.outbox[-1].body
    check_headers_and_links(mail.outbox[-1])


@pytest.mark.django_db
def test_no_reminder_after_a_reply(time_machine, waiting):
    conversation, _sam, doreen, _coordinator = waiting
    time_machine.move_to(T0 + 70 * HOUR, tick=False)
    send_message(doreen, conversation, "Sorry for the wait!")

    time_machine.move_to(T0 + 200 * HOUR, tick=False)
    send_due_reminders()

    assert not rows("emails/reply_reminder", recipient=doreen).exists()
    assert not rows("emails/reply_escalation").exists()


@pytest.mark.django_db
def test_second_reminder_then_escalation_to_coordinators_only(time_machine, waiting):
    conversation, sam, doreen, coordinator = waiting
    for hours in (72, 120):
        time_machine.move_to(T0 + hours * HOUR, tick=False)
        send_due_reminders()
    time_machine.move_to(T0 + 168 * HOUR, tick=False)
    assert send_due_reminders() == {"reminded": 0, "escalated": 1}
    assert send_due_reminders() == {"reminded": 0, "escalated": 0}

    assert rows("emails/reply_reminder", recipient=doreen).count() == 2
    escalation = rows("emails/reply_escalation").get()
    assert escalation.recipient == coordinator
    assert not rows("emails/reply_escalation", recipient__in=[sam, doreen]).exists()
    assert f"/admin/matching/match/{conversation.match_id}/change/" in escalation.context["admin_url"]
    match = Match.objects.get()
    assert (match.at_risk_reason, match.at_risk_since) == ("overdue", T0 + 168 * HOUR)
    delivery.deliver_due_emails()
    [alert] = [m for m in mail.outbox if m.to[0].endswith(f"<{coordinator.email}>")]
    assert "a message to Doreen has had no reply for 7 days, after two reminders" in alert.body
    check_headers_and_links(alert)


@pytest.mark.django_db
def test_a_reminder_due_in_quiet_hours_waits_for_morning(time_machine):
    # Due at 23:00 in Lagos (22:00 UTC); quiet hours 21:00-08:00.
    start = datetime.datetime(2026, 4, 14, 22, 0, tzinfo=datetime.UTC) - 72 * HOUR
    time_machine.move_to(start, tick=False)
    conversation, sam, doreen = one_to_one()
    doreen.timezone = "Africa/Lagos"
    doreen.save()
    send_message(sam, conversation, "Hello")
    OutboundEmail.objects.all().delete()

    time_machine.move_to(start + 72 * HOUR, tick=False)
    send_due_reminders()

    reminder = rows("emails/reply_reminder").get()
    assert reminder.send_after == datetime.datetime(2026, 4, 15, 7, 0, tzinfo=datetime.UTC)  # 08:00 in Lagos
    assert delivery.deliver_due_emails() == {}
    time_machine.move_to(reminder.send_after, tick=False)
    assert delivery.deliver_due_emails() == {"sent": 1}


@pytest.mark.django_db
def test_a_promised_day_postpones_reminders(time_machine, waiting):
    _conversation, _sam, doreen, _coordinator = waiting
    time_machine.move_to(T0 + HOUR, tick=False)
    acknowledge(Participant.objects.get(user=doreen), datetime.date(2026, 4, 24))  # a Friday, 10 days on

    time_machine.move_to(T0 + 100 * HOUR, tick=False)
    assert send_due_reminders() == {"reminded": 0, "escalated": 0}
    time_machine.move_to(datetime.datetime(2026, 4, 24, 23, 0, tzinfo=datetime.UTC), tick=False)
    assert send_due_reminders() == {"reminded": 1, "escalated": 0}
    assert rows("emails/reply_reminder").get().context["promised"] is not None


# --- Inactivity nudges --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_quiet_pair_is_nudged_once_per_quiet_spell(time_machine):
    time_machine.move_to(T0, tick=False)
    conversation, sam, doreen = one_to_one()
    send_message(sam, conversation, "Hello")
    send_message(doreen, conversation, "Hi!")
    OutboundEmail.objects.all().delete()

    time_machine.move_to(T0 + datetime.timedelta(days=20), tick=False)
    assert send_inactivity_nudges() == 0
    time_machine.move_to(T0 + datetime.timedelta(days=21, minutes=1), tick=False)
    assert send_inactivity_nudges() == 1
    assert send_inactivity_nudges() == 0
    assert {row.recipient for row in rows("emails/inactivity_nudge")} == {sam, doreen}
    assert Match.objects.get().at_risk_reason == "inactive"
    time_machine.move_to(T0 + datetime.timedelta(days=22), tick=False)  # after everyone's quiet hours
    delivery.deliver_due_emails()
    nudge = next(m for m in mail.outbox if "gone quiet" in m.subject)
    assert "for 21 days" in nudge.body
    check_headers_and_links(nudge)

    time_machine.move_to(T0 + datetime.timedelta(days=22), tick=False)
    send_message(sam, conversation, "Back again")  # a new spell begins
    assert Match.objects.get().at_risk_reason == ""
    time_machine.move_to(T0 + datetime.timedelta(days=42), tick=False)
    assert send_inactivity_nudges() == 0
    time_machine.move_to(T0 + datetime.timedelta(days=43, minutes=1), tick=False)
    assert send_inactivity_nudges() == 1


# --- Digests ----------------------------------------------------------------------------------


def digest_person(zone, **fields):
    conversation, sam, doreen = one_to_one()
    doreen.timezone = zone
    doreen.notification_preference = fields.pop("preference", User.NotificationPreference.DAILY_DIGEST)
    for name, value in fields.items():
        setattr(doreen, name, value)
    doreen.save()
    send_message(sam, conversation, "Something to read")
    return doreen


@pytest.mark.django_db
def test_digests_arrive_at_eight_local_in_tokyo_and_new_york_on_the_same_utc_day(time_machine):
    time_machine.move_to(datetime.datetime(2026, 4, 13, 12, 0, tzinfo=datetime.UTC), tick=False)
    tokyo = digest_person("Asia/Tokyo")
    new_york = digest_person("America/New_York")
    assert tokyo.next_digest_at == datetime.datetime(2026, 4, 13, 23, 0, tzinfo=datetime.UTC)  # 08:00 JST on the 14th
    assert new_york.next_digest_at == datetime.datetime(2026, 4, 14, 12, 0, tzinfo=datetime.UTC)  # 08:00 EDT

    time_machine.move_to(datetime.datetime(2026, 4, 13, 23, 0, tzinfo=datetime.UTC), tick=False)
    assert send_due_digests() == 1
    time_machine.move_to(datetime.datetime(2026, 4, 14, 11, 59, tzinfo=datetime.UTC), tick=False)
    assert send_due_digests() == 0
    time_machine.move_to(datetime.datetime(2026, 4, 14, 12, 0, tzinfo=datetime.UTC), tick=False)
    assert send_due_digests() == 1

    assert [row.recipient for row in rows("emails/digest").order_by("pk")] == [tokyo, new_york]
    delivery.deliver_due_emails()
    digest = next(m for m in mail.outbox if "Your day in mentoring" in m.subject)
    assert "Waiting for your reply" in digest.body and "Unread messages" in digest.body
    check_headers_and_links(digest)


@pytest.mark.django_db
def test_digest_time_follows_daylight_saving_changes():
    person = User(notification_preference="daily_digest", digest_hour=8, timezone="America/New_York")
    before = datetime.datetime(2026, 3, 7, 12, 0, tzinfo=datetime.UTC)  # Saturday; clocks spring forward Sunday

    saturday = next_digest_at(person, before)
    sunday = next_digest_at(person, saturday)
    assert saturday == datetime.datetime(2026, 3, 7, 13, 0, tzinfo=datetime.UTC)  # 08:00 EST
    assert sunday == datetime.datetime(2026, 3, 8, 12, 0, tzinfo=datetime.UTC)  # 08:00 EDT

    london = User(notification_preference="daily_digest", digest_hour=1, timezone="Europe/London")
    # 01:00 does not exist in London on 29 March 2026; the digest goes at 02:00 BST, once.
    assert next_digest_at(london, datetime.datetime(2026, 3, 28, 12, 0, tzinfo=datetime.UTC)) == datetime.datetime(
        2026, 3, 29, 1, 0, tzinfo=datetime.UTC
    )


@pytest.mark.django_db
def test_weekly_digests_come_on_monday(time_machine):
    time_machine.move_to(T0, tick=False)  # Tuesday
    person = digest_person("Europe/London", preference=User.NotificationPreference.WEEKLY_DIGEST)

    assert person.next_digest_at == datetime.datetime(2026, 4, 20, 7, 0, tzinfo=datetime.UTC)  # Mon 08:00 BST
    time_machine.move_to(person.next_digest_at, tick=False)
    assert send_due_digests() == 1
    assert rows("emails/digest").get().context["weekly"] is True
    person.refresh_from_db()
    assert person.next_digest_at == datetime.datetime(2026, 4, 27, 7, 0, tzinfo=datetime.UTC)


@pytest.mark.django_db
def test_an_empty_digest_is_not_sent_but_the_schedule_moves_on(time_machine):
    time_machine.move_to(T0, tick=False)
    _conversation, _sam, doreen = one_to_one()
    doreen.notification_preference = User.NotificationPreference.DAILY_DIGEST
    doreen.save()
    first = doreen.next_digest_at

    time_machine.move_to(first, tick=False)
    assert send_due_digests() == 0
    doreen.refresh_from_db()
    assert doreen.next_digest_at == first + datetime.timedelta(days=1)


@pytest.mark.django_db
def test_digest_lists_requests_goals_and_promises(time_machine):
    time_machine.move_to(T0, tick=False)
    conversation, sam, doreen = one_to_one()
    Goal.objects.create(match=conversation.match, title="Finish the statement", target_date=datetime.date(2026, 4, 17))
    send_message(doreen, conversation, "How is it going?")
    acknowledge(Participant.objects.get(user=sam), datetime.date(2026, 4, 16))
    doreen.notification_preference = User.NotificationPreference.DAILY_DIGEST
    doreen.save()

    time_machine.move_to(doreen.next_digest_at, tick=False)
    send_due_digests()

    context = rows("emails/digest").get().context
    assert context["goals"] == [{"title": "Finish the statement", "date": datetime.date(2026, 4, 17)}]
    assert context["promised"][0]["name"] == "Sam"
    delivery.deliver_due_emails()
    body = next(m for m in mail.outbox if "Your day" in m.subject).body
    assert "Sam will reply to" in body and "Finish the statement" in body


@pytest.mark.django_db(transaction=True)
def test_two_digest_sweeps_in_parallel_for_500_people_send_exactly_500():
    conversation, _sam, _doreen = one_to_one()
    due = datetime.datetime(2026, 4, 14, 7, 0, tzinfo=datetime.UTC)
    people = User.objects.bulk_create(
        User(
            email=f"reader{n}@example.org",
            display_name=f"Reader {n}",
            notification_preference="daily_digest",
            next_digest_at=due,
            password="!",
        )
        for n in range(500)
    )
    Participant.objects.bulk_create(
        Participant(conversation=conversation, user=person, role="mentee", unread_count=1) for person in people
    )
    barrier = threading.Barrier(2)
    counts = []

    def sweep():
        barrier.wait()
        try:
            counts.append(send_due_digests(now=due + MINUTE, batch=50))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sum(counts) == 500
    assert all(counts)  # both sweeps did part of the work
    assert rows("emails/digest").count() == 500
    assert rows("emails/digest").values("recipient").distinct().count() == 500


@pytest.mark.django_db
def test_a_batch_of_digests_costs_the_same_queries_for_one_person_or_forty(django_assert_max_num_queries):
    from django.utils import timezone

    from messaging.digests import build_digests

    now = timezone.now()
    conversation, sam, doreen = one_to_one()
    send_message(doreen, conversation, "Something to read")
    sam.next_digest_at = now
    with django_assert_max_num_queries(6) as one:
        [digest] = build_digests([sam], now)
    assert digest.context["unread"][0]["last_sender"] == "Doreen"

    readers = []
    for n in range(40):
        other, reader, writer = one_to_one(mentee_name=f"Reader {n}", mentor_name=f"Writer {n}")
        send_message(writer, other, "Hello")
        reader.next_digest_at = now
        readers.append(reader)
    with django_assert_max_num_queries(len(one)):
        digests = build_digests(readers, now)
    assert [d.context["unread"][0]["last_sender"] for d in digests] == [f"Writer {n}" for n in range(40)]
