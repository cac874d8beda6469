import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import delivery
from accounts.email_kinds import EmailKind
from accounts.emails import message_id_for, queue_email
from accounts.models import OutboundEmail

from .factories import UserFactory

NOW = datetime.datetime(2026, 11, 21, 12, 0, tzinfo=datetime.UTC)


def queue_welcome(user, key="welcome:1", template="emails/welcome"):
    return queue_email(user, EmailKind.WELCOME, template, {"profile_url": "http://testserver/profile/"}, key)


@pytest.mark.django_db
def test_a_delivered_email_has_text_html_and_the_right_headers():
    with time_machine.travel(NOW, tick=False):
        person = UserFactory(display_name="Aiko Tanaka", email="aiko@example.org", timezone="Asia/Tokyo")
        row = queue_welcome(person)
        assert delivery.deliver(row.pk) == OutboundEmail.Status.SENT

    [sent] = mail.outbox
    assert sent.to == ["Aiko Tanaka <aiko@example.org>"]
    assert sent.subject == "Welcome to Mentoring, Aiko Tanaka"
    assert "Hello Aiko Tanaka," in sent.body
    html, mimetype = sent.alternatives[0]
    assert mimetype == "text/html"
    assert "Hello Aiko Tanaka," in html
    # Times in the recipient's zone: 12:00 UTC is 21:00 in Tokyo.
    assert "Asia/Tokyo, where it is now Saturday 21:00" in sent.body
    assert "Saturday 21:00" in html
    assert sent.extra_headers["Message-ID"] == message_id_for("welcome:1")
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = sent.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith("http://testserver/unsubscribe/")
    assert unsubscribe in sent.body and unsubscribe in html
    assert "http://testserver" + reverse("accounts:email_preferences") in sent.body
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.SENT
    assert row.sent_at == NOW
    assert row.attempts == 1
    assert row.subject == "Welcome to Mentoring, Aiko Tanaka"


@pytest.mark.django_db
def test_message_id_is_the_same_for_the_same_key_and_differs_between_keys():
    assert message_id_for("digest:1:2026-11-21") == message_id_for("digest:1:2026-11-21")
    assert message_id_for("digest:1:2026-11-21") != message_id_for("digest:1:2026-11-22")
    assert message_id_for("x").endswith("@testserver>")


@pytest.mark.django_db
def test_essential_emails_carry_no_unsubscribe_header():
    row = queue_email(UserFactory(), EmailKind.SAFEGUARDING, "emails/welcome", {"profile_url": "/"}, "safe:1")

    delivery.deliver(row.pk)

    assert "List-Unsubscribe" not in mail.outbox[0].extra_headers


@pytest.mark.django_db
def test_a_row_is_sent_once_however_often_it_is_delivered():
    row = queue_welcome(UserFactory())

    assert delivery.deliver(row.pk) == OutboundEmail.Status.SENT
    assert delivery.deliver(row.pk) is None
    assert delivery.deliver_due_emails() == {}
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_template_error_fails_that_row_only():
    people = UserFactory.create_batch(3)
    good_before = queue_welcome(people[0], key="welcome:a")
    broken = queue_welcome(people[1], key="welcome:b", template="emails/no_such_template")
    good_after = queue_welcome(people[2], key="welcome:c")

    outcomes = delivery.deliver_due_emails()

    assert outcomes == {"sent": 2, "failed": 1}
    broken.refresh_from_db()
    assert broken.status == OutboundEmail.Status.FAILED
    assert "Template error" in broken.last_error
    assert broken.attempts == 1
    assert {good_before.recipient.email, good_after.recipient.email} == {
        m.to[0].split("<")[1][:-1] for m in mail.outbox
    }


@pytest.mark.django_db
def test_smtp_failing_twice_then_working_sends_exactly_once(smtp_sink):
    smtp_sink.data_responses.extend(["451 4.3.0 Try again later", "421 4.7.0 Too busy"])

    with time_machine.travel(NOW, tick=False) as clock:
        row = queue_welcome(UserFactory())
        assert delivery.deliver(row.pk) == OutboundEmail.Status.PENDING
        row.refresh_from_db()
        assert row.send_after == NOW + datetime.timedelta(minutes=1)
        assert "451" in row.last_error
        assert delivery.deliver_due_emails() == {}  # backing off: not due yet

        clock.shift(datetime.timedelta(minutes=1))
        assert delivery.deliver_due_emails() == {"pending": 1}
        row.refresh_from_db()
        assert row.send_after == timezone.now() + datetime.timedelta(minutes=5)

        clock.shift(datetime.timedelta(minutes=5))
        assert delivery.deliver_due_emails() == {"sent": 1}

    assert smtp_sink.attempts == 3
    assert len(smtp_sink.received) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (OutboundEmail.Status.SENT, 3, "")


@pytest.mark.django_db
def test_a_permanent_smtp_refusal_stops_after_one_attempt(smtp_sink):
    smtp_sink.data_responses.append("550 5.1.1 Mailbox does not exist")
    row = queue_welcome(UserFactory())

    assert delivery.deliver(row.pk) == OutboundEmail.Status.FAILED

    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.FAILED
    assert row.attempts == 1
    assert "550" in row.last_error
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        assert delivery.deliver_due_emails() == {}
    assert smtp_sink.attempts == 1


@pytest.mark.django_db
def test_a_row_that_always_fails_stops_after_a_bounded_number_of_attempts(smtp_sink):
    smtp_sink.data_responses.extend(["451 4.3.0 Try again later"] * 50)

    with time_machine.travel(NOW, tick=False) as clock:
        row = queue_welcome(UserFactory())
        for _ in range(20):
            delivery.deliver_due_emails()
            clock.shift(datetime.timedelta(hours=2))

    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.FAILED
    assert row.attempts == delivery.MAX_ATTEMPTS
    assert smtp_sink.attempts == delivery.MAX_ATTEMPTS
    assert smtp_sink.received == []


@pytest.mark.django_db
def test_smtp_server_unreachable_is_transient(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    row = queue_welcome(UserFactory())

    assert delivery.deliver(row.pk) == OutboundEmail.Status.PENDING
    row.refresh_from_db()
    assert "ConnectionRefusedError" in row.last_error


@pytest.mark.django_db
def test_a_row_left_in_sending_by_a_dead_worker_is_taken_back_only_when_stale():
    with time_machine.travel(NOW, tick=False):
        row = queue_welcome(UserFactory())
        claimed = delivery.claim(row.pk)  # the worker claimed it, then died
    assert claimed.status == OutboundEmail.Status.SENDING

    with time_machine.travel(NOW + datetime.timedelta(minutes=9), tick=False):
        assert delivery.deliver_due_emails() == {}
    with time_machine.travel(NOW + datetime.timedelta(minutes=11), tick=False):
        assert delivery.deliver_due_emails() == {"sent": 1}

    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboundEmail.Status.SENT, 2)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["deactivated", "unsubscribed"])
def test_a_row_is_cancelled_if_the_person_stops_wanting_it_before_it_is_sent(change):
    person = UserFactory()
    row = queue_welcome(person)
    if change == "deactivated":
        person.is_active = False
    else:
        person.email_opt_outs = [EmailKind.WELCOME]
    person.save()

    assert delivery.deliver(row.pk) == OutboundEmail.Status.CANCELLED
    assert mail.outbox == []


@pytest.mark.django_db
def test_coordinators_can_retry_a_failed_row_from_the_admin(client, django_capture_on_commit_callbacks):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    row = queue_welcome(UserFactory(), template="emails/no_such_template")
    delivery.deliver(row.pk)
    OutboundEmail.objects.filter(pk=row.pk).update(template="emails/welcome")  # the template is fixed

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:accounts_outboundemail_changelist"),
            {"action": "retry_failed", "_selected_action": [row.pk]},
        )

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status in {OutboundEmail.Status.PENDING, OutboundEmail.Status.SENT}
    delivery.deliver_due_emails()
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.SENT


@pytest.mark.django_db
def test_the_outbox_admin_is_read_only(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    row = queue_welcome(UserFactory())

    change_page = client.get(reverse("admin:accounts_outboundemail_change", args=[row.pk]))
    post = client.post(reverse("admin:accounts_outboundemail_change", args=[row.pk]), {"status": "sent"})

    assert change_page.status_code == 200
    assert 'name="status"' not in change_page.content.decode()
    assert post.status_code == 403
    assert client.get(reverse("admin:accounts_outboundemail_add")).status_code == 403
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.PENDING
    listing = client.get(reverse("admin:accounts_outboundemail_changelist"), {"status__exact": "pending"})
    assert listing.status_code == 200


def test_a_template_has_one_send_hook_owner(monkeypatch):
    monkeypatch.setattr(delivery, "SEND_HOOKS", {})

    def first(row):
        return {}

    delivery.register_send_hook("emails/example", first)
    delivery.register_send_hook("emails/example", first)  # AppConfig.ready() may run twice in a process

    with pytest.raises(ValueError, match="emails/example already has a send hook"):
        delivery.register_send_hook("emails/example", lambda row: {})
