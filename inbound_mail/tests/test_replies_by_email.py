"""Replies by e-mail, through messaging's one use case: what posts, what is refused (and said), what is
dropped without a word. The e-mails are the bytes real mail clients send, read as the receiver reads them."""

import datetime

import pytest
from django.core import mail

from accounts import delivery
from accounts.models import OutboundEmail
from inbound_mail import reading
from matching.models import Match
from matching.services import close
from messaging import email_replies, reply_addresses
from messaging.models import Message, ReceivedEmail, ReplyAddress
from messaging.services import send_message
from messaging.tests.helpers import one_to_one

from . import shapes
from .conftest import T0, e_mailed_pair

pytestmark = pytest.mark.django_db


def receive(raw: bytes, envelope_sender="sam@example.org", recipients=None, authenticated=None):
    message = reading.parse_bytes(raw)
    incoming = reading.read(
        message, channel="smtp", size=len(raw), recipients=recipients, envelope_sender=envelope_sender,
        authenticated=authenticated,
    )  # fmt: skip
    return email_replies.receive(incoming)


def replies_by(user):
    return list(Message.objects.filter(sender=user).order_by("pk"))


def refusals():
    return list(OutboundEmail.objects.filter(template=email_replies.REFUSED_TEMPLATE))


# --- Outbound: the text, a reply address, and the conversation's thread -------------------------


def test_the_new_message_e_mail_carries_the_text_a_reply_address_and_threading_headers(pair, time_machine):
    email = pair.email
    assert pair.reply_address.startswith("reply+") and pair.reply_address.endswith("@reply.testserver")
    assert pair.sam.email not in pair.reply_address and str(pair.sam.pk) not in pair.reply_address.split("@")[0][6:7]
    assert reply_addresses.key_of(pair.reply_address) == ReplyAddress.objects.get(participant__user=pair.sam).key
    root = email.extra_headers["References"]
    assert email.extra_headers["In-Reply-To"] == root
    html = email.alternatives[0][0]
    for part in (email.body, html):
        assert "Shall we meet on Thursday" in part
        assert "Reply to this e-mail" in part or "reply to this e-mail" in part

    # The next e-mail of the conversation answers the first: mail clients thread them.
    time_machine.move_to(T0 + datetime.timedelta(minutes=30), tick=False)
    send_message(pair.doreen, pair.conversation, "And bring the latest draft, please.")
    time_machine.move_to(T0 + datetime.timedelta(minutes=40), tick=False)
    delivery.deliver_due_emails()
    [second] = mail.outbox
    assert second.extra_headers["In-Reply-To"] == email.extra_headers["Message-ID"]
    assert second.extra_headers["References"] == f"{root} {email.extra_headers['Message-ID']}"
    assert second.extra_headers["Reply-To"] == pair.reply_address  # one address per person per conversation


@pytest.mark.parametrize("why", ["programme keeps text out of e-mail", "recipient under 18"])
def test_no_reply_address_where_the_e_mail_carries_no_text(time_machine, why):
    time_machine.move_to(T0, tick=False)
    conversation, sam, doreen = one_to_one(emails_include_message_text=why != "programme keeps text out of e-mail")
    if why == "recipient under 18":
        sam.date_of_birth = T0.date().replace(year=T0.year - 16)
        sam.save()
    OutboundEmail.objects.all().delete()
    send_message(doreen, conversation, "A private question")
    time_machine.move_to(T0 + datetime.timedelta(minutes=5), tick=False)
    delivery.deliver_due_emails()
    [email] = mail.outbox
    assert "Reply-To" not in email.extra_headers
    assert email.extra_headers["In-Reply-To"]  # still threaded
    for part in (email.body, email.alternatives[0][0]):
        assert "Replies to this e-mail are not read: please answer on the site." in part
        assert "private question" not in part
    assert not ReplyAddress.objects.exists()


# --- Real mail clients' replies post exactly their new text --------------------------------------


@pytest.mark.parametrize("shape", sorted(shapes.SHAPES))
def test_a_reply_from_a_real_mail_client_posts_exactly_its_new_text(pair, shape):
    outcome = receive(shapes.SHAPES[shape](pair.sam.email, pair.reply_address))

    assert outcome.outcome == ReceivedEmail.Outcome.POSTED, outcome
    [message] = replies_by(pair.sam)
    assert message.body == shapes.NEW_TEXT
    assert message.conversation == pair.conversation
    assert message.reply_to == pair.first
    assert ReceivedEmail.objects.get().message == message
    assert refusals() == []


def test_the_same_message_id_never_posts_twice(pair):
    raw = shapes.gmail(pair.sam.email, pair.reply_address, message_id="<once@mail.example.org>")
    receive(raw)
    again = receive(raw)
    assert again.reason == "duplicate"
    assert len(replies_by(pair.sam)) == 1


def test_a_reply_goes_through_moderation_like_one_typed_on_the_site(pair):
    outcome = receive(shapes.plain(pair.sam.email, pair.reply_address, text="Text me on 07700 900123 instead"))

    assert outcome.outcome == ReceivedEmail.Outcome.POSTED
    [message] = replies_by(pair.sam)
    assert message.status == Message.Status.HELD
    told = OutboundEmail.objects.get(template=email_replies.HELD_TEMPLATE)
    assert told.recipient == pair.sam
    delivery.deliver_due_emails()
    [email] = [m for m in mail.outbox if m.to[0].endswith(f"<{pair.sam.email}>")]
    for part in (email.body, email.alternatives[0][0]):
        assert "A coordinator will read it before it is delivered" in part


def test_attachments_are_not_stored_and_the_answer_says_so(pair):
    outcome = receive(shapes.with_attachment(pair.sam.email, pair.reply_address))

    assert outcome.outcome == ReceivedEmail.Outcome.POSTED
    assert replies_by(pair.sam)[0].body == shapes.NEW_TEXT
    assert ReceivedEmail.objects.get().attachments_dropped == 1
    delivery.deliver_due_emails()
    [email] = mail.outbox
    assert email.subject == "Your e-mail reply was delivered without its attachments"
    for part in (email.body, email.alternatives[0][0]):
        assert "Attachments are never kept" in part


# --- Refused, with one explanation --------------------------------------------------------------


def test_another_sender_is_refused_and_told_once_a_day(pair):
    for n in range(2):
        raw = shapes.plain("someone.else@example.net", pair.reply_address, message_id=f"<other{n}@x.example>")
        assert receive(raw).reason == ReceivedEmail.Reason.OTHER_SENDER
    assert replies_by(pair.sam) == []
    [refusal] = refusals()
    assert refusal.to_address == "someone.else@example.net" and refusal.recipient is None
    delivery.deliver_due_emails()
    [email] = mail.outbox
    for part in (email.body, email.alternatives[0][0]):
        assert "only takes replies from the person it was sent to" in part
        assert "Getting to know each other" not in part  # nothing about the conversation to a stranger
        assert pair.doreen.display_name not in part


def test_a_forged_or_altered_reply_address_is_refused(pair):
    key = reply_addresses.key_of(pair.reply_address)
    forged = [
        pair.reply_address.replace(key, "a" * len(key)),  # another key, the old signature
        pair.reply_address[:-len("@reply.testserver")].rstrip("abcdefghijklmnopqrstuvwxyz234567") + "@reply.testserver",
        "reply+" + key + "@reply.testserver",  # no signature
    ]  # fmt: skip
    for n, address in enumerate(forged):
        raw = shapes.plain(pair.sam.email, address, message_id=f"<forged{n}@mail.example.org>")
        assert receive(raw).reason == ReceivedEmail.Reason.UNKNOWN_ADDRESS
    assert replies_by(pair.sam) == []


def test_a_failed_spf_and_dkim_check_is_refused_and_nobody_is_written_to(pair):
    raw = shapes.gmail(pair.sam.email, pair.reply_address)
    assert receive(raw, authenticated=False).reason == ReceivedEmail.Reason.NOT_AUTHENTICATED
    assert replies_by(pair.sam) == [] and refusals() == []


def test_a_closed_match_is_read_only_by_e_mail_too(pair):
    close(pair.conversation.match, by=pair.doreen, reason=Match.CloseReason.COMPLETED, rating=None)
    outcome = receive(shapes.gmail(pair.sam.email, pair.reply_address))
    assert outcome.reason == ReceivedEmail.Reason.CLOSED
    assert replies_by(pair.sam) == []
    [refusal] = refusals()
    assert refusal.recipient == pair.sam


def test_a_revoked_or_expired_address_is_refused(pair, time_machine):
    reply_addresses.revoke(pair.sam)
    assert receive(shapes.gmail(pair.sam.email, pair.reply_address)).reason == ReceivedEmail.Reason.EXPIRED

    other = e_mailed_pair(time_machine)
    time_machine.move_to(T0 + datetime.timedelta(days=61), tick=False)
    raw = shapes.plain(other.sam.email, other.reply_address, message_id="<late@mail.example.org>")
    assert receive(raw).reason == ReceivedEmail.Reason.EXPIRED
    assert replies_by(pair.sam) == [] and replies_by(other.sam) == []


def test_too_much_text_and_no_new_text_are_refused(pair):
    long_text = "word " * 5000
    assert receive(shapes.plain(pair.sam.email, pair.reply_address, text=long_text)).reason == "too_large"
    only_quote = "On Tue, 14 Apr 2026 at 11:05, Waymark wrote:\n> Hello Sam,\n"
    raw = shapes.plain(pair.sam.email, pair.reply_address, text=only_quote, message_id="<q@mail.example.org>")
    assert receive(raw).reason == "empty"
    assert replies_by(pair.sam) == []


def test_the_rate_limit_holds_by_e_mail(pair, settings):
    settings.MESSAGES_PER_HOUR = 1
    receive(shapes.plain(pair.sam.email, pair.reply_address, text="One", message_id="<r1@mail.example.org>"))
    outcome = receive(shapes.plain(pair.sam.email, pair.reply_address, text="Two", message_id="<r2@mail.example.org>"))
    assert outcome.reason == ReceivedEmail.Reason.RATE_LIMITED
    assert [m.body for m in replies_by(pair.sam)] == ["One"]


# --- Dropped without a word: nothing that could start a loop is ever answered ------------------


@pytest.mark.parametrize(
    ("headers", "envelope_sender", "subject"),
    [
        ({"Auto_Submitted": "auto-replied"}, "sam@example.org", "Re: our conversation"),
        ({"Precedence": "bulk"}, "sam@example.org", "Re: our conversation"),
        ({"X_Autoreply": "yes"}, "sam@example.org", "Re: our conversation"),
        ({"List_Id": "<list.example.org>"}, "sam@example.org", "Re: our conversation"),
        ({}, "", "Re: our conversation"),  # a bounce: the null return path
        ({}, "sam@example.org", "Out of Office: back on Monday"),
        ({}, "sam@example.org", "Automatic reply: Re: New message"),
    ],
)
def test_automatic_mail_is_dropped_silently(pair, headers, envelope_sender, subject):
    raw = shapes.plain(pair.sam.email, pair.reply_address, subject=subject, **headers)
    outcome = receive(raw, envelope_sender=envelope_sender)
    assert outcome.outcome == ReceivedEmail.Outcome.DROPPED and outcome.reason == ReceivedEmail.Reason.AUTOMATIC
    assert replies_by(pair.sam) == [] and refusals() == []


def test_one_of_our_own_e_mails_coming_back_is_dropped(pair):
    ours = pair.email.extra_headers["Message-ID"]
    outcome = receive(shapes.plain(pair.sam.email, pair.reply_address, message_id=ours))
    assert outcome.reason == ReceivedEmail.Reason.LOOP
    assert replies_by(pair.sam) == [] and refusals() == []


# --- Hostile MIME: refused or read safely, never a crash, never a stored message ----------------


def test_a_multipart_bomb_is_refused_as_unreadable(pair):
    outcome = receive(shapes.nested(pair.sam.email, pair.reply_address, depth=60))
    assert outcome.reason == ReceivedEmail.Reason.UNREADABLE
    assert replies_by(pair.sam) == []


def test_an_unknown_charset_is_read_with_replacement_characters(pair):
    outcome = receive(shapes.bad_charset(pair.sam.email, pair.reply_address))
    assert outcome.outcome == ReceivedEmail.Outcome.POSTED
    [message] = replies_by(pair.sam)
    assert message.body.startswith("Thanks") and message.body.endswith("see you on Thursday.")


def test_header_injection_reaches_no_header_we_write(pair):
    raw = (
        f"From: Sam <{pair.sam.email}>\r\nTo: {pair.reply_address}\r\nSubject: hi\r\n\tBcc: victim@example.net\r\n"
        "Message-ID: <inj@mail.example.org>\r\nContent-Type: text/plain\r\n\r\nA reply with a folded Bcc.\r\n"
    ).encode()
    outcome = receive(raw, envelope_sender="")  # and as a bounce it is dropped, not answered
    assert outcome.outcome == ReceivedEmail.Outcome.DROPPED
    raw2 = raw.replace(b"<inj@", b"<inj2@")
    outcome = receive(raw2)
    assert outcome.outcome == ReceivedEmail.Outcome.POSTED
    assert replies_by(pair.sam)[0].body == "A reply with a folded Bcc."
    delivery.deliver_due_emails()
    assert all("victim@example.net" not in str(m.to) + str(m.bcc) for m in mail.outbox)


def test_a_reply_from_a_second_verified_address_of_the_holder_is_theirs(pair):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=pair.sam, email="sam.at.home@example.net", verified=True, primary=False)
    assert receive(shapes.gmail("sam.at.home@example.net", pair.reply_address)).outcome == "posted"


def test_what_an_e_mail_refusal_says_in_text_and_html(pair):
    close(pair.conversation.match, by=pair.doreen, reason=Match.CloseReason.COMPLETED, rating=None)
    mail.outbox.clear()
    delivery.deliver_due_emails()  # the match-closed e-mails
    mail.outbox.clear()
    receive(shapes.with_attachment(pair.sam.email, pair.reply_address))
    delivery.deliver_due_emails()
    [email] = mail.outbox
    assert email.subject == "Your e-mail reply was not delivered"
    assert email.extra_headers["Auto-Submitted"] == "auto-generated"
    assert "Reply-To" not in email.extra_headers
    for part in (email.body, email.alternatives[0][0]):
        assert "This conversation is closed" in part
        assert "Attachments are never kept" in part
        assert "Getting to know each other" in part


def test_the_records_of_received_e_mails_are_kept_90_days(pair, time_machine):
    from messaging.retention import purge_expired_messages

    receive(shapes.gmail(pair.sam.email, pair.reply_address))
    time_machine.move_to(T0 + datetime.timedelta(days=89), tick=False)
    purge_expired_messages()
    assert ReceivedEmail.objects.count() == 1
    time_machine.move_to(T0 + datetime.timedelta(days=91), tick=False)
    purge_expired_messages()
    assert not ReceivedEmail.objects.exists()
    assert len(replies_by(pair.sam)) == 1  # the message itself follows the programme's retention


# --- The person and the programme decide --------------------------------------------------------


def test_a_person_who_turns_replies_off_gets_no_reply_address_and_old_ones_stop(pair, time_machine, client):
    client.force_login(pair.sam)
    time_machine.move_to(T0 + datetime.timedelta(minutes=10), tick=False)
    response = client.post("/profile/emails/", {"wanted_kinds": ["new_message"]})  # the box left unticked
    assert response.status_code == 302
    pair.sam.refresh_from_db()
    assert pair.sam.replies_by_email is False

    outcome = receive(shapes.gmail(pair.sam.email, pair.reply_address))
    assert outcome.reason == ReceivedEmail.Reason.EXPIRED
    assert replies_by(pair.sam) == []

    time_machine.move_to(T0 + datetime.timedelta(minutes=30), tick=False)
    send_message(pair.doreen, pair.conversation, "Another question")
    time_machine.move_to(T0 + datetime.timedelta(minutes=40), tick=False)
    delivery.deliver_due_emails()
    [email] = [m for m in mail.outbox if m.subject.startswith("New message")]
    assert "Reply-To" not in email.extra_headers
    assert "Replies to this e-mail are not read" in email.body


def test_stopping_the_current_addresses_makes_the_next_e_mail_carry_a_new_one(pair, time_machine, client):
    client.force_login(pair.sam)
    time_machine.move_to(T0 + datetime.timedelta(minutes=10), tick=False)
    page = client.get("/profile/emails/").content.decode()
    assert "Stop my current reply addresses" in page
    assert client.post("/profile/emails/", {"void_reply_addresses": "1"}).status_code == 302

    assert receive(shapes.gmail(pair.sam.email, pair.reply_address)).reason == ReceivedEmail.Reason.EXPIRED
    time_machine.move_to(T0 + datetime.timedelta(minutes=30), tick=False)
    send_message(pair.doreen, pair.conversation, "Another question")
    time_machine.move_to(T0 + datetime.timedelta(minutes=40), tick=False)
    delivery.deliver_due_emails()
    [email] = [m for m in mail.outbox if m.subject.startswith("New message")]
    fresh = email.extra_headers["Reply-To"]
    assert fresh != pair.reply_address
    raw = shapes.plain(pair.sam.email, fresh, text="Through the new address", message_id="<new@mail.example.org>")
    assert receive(raw).outcome == ReceivedEmail.Outcome.POSTED


def test_a_programme_can_keep_text_in_e_mails_but_take_no_replies_by_e_mail(pair):
    from messaging.models import MessagingPolicy

    MessagingPolicy.objects.filter(programme=pair.conversation.match.programme).update(accepts_email_replies=False)
    outcome = receive(shapes.gmail(pair.sam.email, pair.reply_address))
    assert outcome.reason == ReceivedEmail.Reason.NOT_OFFERED
    delivery.deliver_due_emails()
    [email] = mail.outbox
    for part in (email.body, email.alternatives[0][0]):
        assert "Replies by e-mail are not taken in this conversation" in part


def test_only_our_mail_servers_authentication_results_count():
    def verdict_of(*headers, authserv_id="mx.example.org"):
        raw = "".join(f"Authentication-Results: {h}\r\n" for h in headers) + "From: a@b.org\r\n\r\nHi\r\n"
        return reading.authentication_from(reading.parse_bytes(raw.encode()), authserv_id)

    assert verdict_of("mx.example.org; spf=fail smtp.mailfrom=b.org; dkim=pass header.d=b.org") is True
    assert verdict_of("mx.example.org; spf=fail smtp.mailfrom=b.org; dkim=fail header.d=b.org") is False
    assert verdict_of("forger.example; spf=pass; dkim=pass") is None  # written by the sender: not ours
    assert verdict_of("mx.example.org; dmarc=pass") is None  # neither SPF nor DKIM reported
    assert verdict_of("mx.example.org; spf=pass", authserv_id="") is None  # no trusted server configured
