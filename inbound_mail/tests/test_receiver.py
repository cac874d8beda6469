"""The built-in receiver, driven by real SMTP and LMTP sessions on loopback (smtplib, as a mail server would)."""

import smtplib

import pytest

from inbound_mail.receiver import ReplyController
from messaging.models import Message, ReceivedEmail
from tools.smtp_sink import free_port

from . import shapes
from .conftest import e_mailed_pair

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def receiver(request):
    lmtp = getattr(request, "param", False)
    controller = ReplyController("127.0.0.1", free_port(), lmtp=lmtp)
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


def client(controller):
    if controller.lmtp:
        connection = smtplib.LMTP()
        connection.connect("127.0.0.1", controller.port)
        return connection
    return smtplib.SMTP("127.0.0.1", controller.port, timeout=20)


@pytest.mark.parametrize("receiver", [False, True], ids=["smtp", "lmtp"], indirect=True)
def test_a_reply_sent_over_smtp_or_lmtp_is_posted_once(time_machine, receiver):
    pair = e_mailed_pair(time_machine)
    raw = shapes.gmail(pair.sam.email, pair.reply_address, in_reply_to=pair.email.extra_headers["Message-ID"])
    with client(receiver) as session:
        assert session.sendmail(pair.sam.email, [pair.reply_address], raw) == {}
        session.sendmail(pair.sam.email, [pair.reply_address], raw)  # a mail server's retry

    [message] = Message.objects.filter(sender=pair.sam)
    assert message.body == shapes.NEW_TEXT
    assert message.reply_to == pair.first
    assert ReceivedEmail.objects.filter(outcome="posted", channel="lmtp" if receiver.lmtp else "smtp").count() == 1


def test_other_recipients_are_refused_at_rcpt_so_it_never_relays(time_machine, receiver):
    pair = e_mailed_pair(time_machine)
    with client(receiver) as session:
        session.ehlo()
        session.mail(pair.sam.email)
        assert session.rcpt("someone@example.net")[0] == 550
        assert session.rcpt("reply+anything@elsewhere.example")[0] == 550
        forged = pair.reply_address.replace(pair.reply_address[6:10], "aaaa")
        assert session.rcpt(forged)[0] == 550  # our domain, a made-up key: no backscatter to a forger
        assert session.rcpt(pair.reply_address)[0] == 250
    assert not ReceivedEmail.objects.exists()


def test_ten_megabytes_are_refused_during_the_session(time_machine, receiver):
    pair = e_mailed_pair(time_machine)
    huge = shapes.plain(pair.sam.email, pair.reply_address, text="x" * (10 * 1024 * 1024))
    with client(receiver) as session, pytest.raises(smtplib.SMTPException) as refused:
        session.sendmail(pair.sam.email, [pair.reply_address], huge)
    assert "552" in str(refused.value) or getattr(refused.value, "smtp_code", 0) == 552
    assert not Message.objects.filter(sender=pair.sam).exists()
    assert not ReceivedEmail.objects.exists()


def test_hostile_mime_over_smtp_is_answered_and_stores_nothing(time_machine, receiver):
    pair = e_mailed_pair(time_machine)
    with client(receiver) as session:
        session.sendmail(pair.sam.email, [pair.reply_address], shapes.nested(pair.sam.email, pair.reply_address))
        session.sendmail("", [pair.reply_address], shapes.plain(pair.sam.email, pair.reply_address))  # a bounce
        garbage = b"\x00\xff" * 400 + b"\r\n\r\n" + b"--\r\n" * 100
        session.sendmail(pair.sam.email, [pair.reply_address], garbage)
    assert not Message.objects.filter(sender=pair.sam).exists()
    assert sorted(ReceivedEmail.objects.values_list("reason", flat=True)) == ["automatic", "other_sender", "unreadable"]
