"""The providers' inbound webhooks (django-anymail), with real signed payloads in each provider's format."""

import base64
import hashlib
import hmac
import json
import time

import pytest
from django.test import Client

from messaging.models import Message, ReceivedEmail

from . import shapes
from .conftest import e_mailed_pair

pytestmark = pytest.mark.django_db

SECRET = "hook:test-only-webhook-password"  # pytest.ini
MAILGUN_KEY = "test-only-mailgun-signing-key"


def basic_auth(credentials=SECRET):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(credentials.encode()).decode()}


def mailgun_fields(raw: bytes, sender: str, recipient: str, key=MAILGUN_KEY, **extra):
    timestamp, token = str(int(time.time())), "a" * 50
    signature = hmac.new(key.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest()
    return {"timestamp": timestamp, "token": token, "signature": signature, "recipient": recipient,
            "sender": sender, "body-mime": raw.decode(), **extra}  # fmt: skip


def posted(pair):
    return list(Message.objects.filter(sender=pair.sam))


def test_a_signed_mailgun_post_is_posted_once(time_machine):
    pair = e_mailed_pair(time_machine)
    fields = mailgun_fields(shapes.outlook(pair.sam.email, pair.reply_address), pair.sam.email, pair.reply_address)
    client = Client()
    for _ in range(2):  # Mailgun retries when it is unsure we answered
        response = client.post("/email/inbound/mailgun/", fields, **basic_auth())
        assert response.status_code == 200
    [message] = posted(pair)
    assert message.body == shapes.NEW_TEXT
    assert ReceivedEmail.objects.get(outcome="posted").channel == "mailgun"


@pytest.mark.parametrize("forgery", ["wrong signing key", "no basic auth", "wrong basic auth"])
def test_an_unsigned_or_forged_post_is_refused_and_stores_nothing(time_machine, forgery):
    pair = e_mailed_pair(time_machine)
    raw = shapes.gmail(pair.sam.email, pair.reply_address)
    key = "guessed-key" if forgery == "wrong signing key" else MAILGUN_KEY
    auth = {} if forgery == "no basic auth" else basic_auth("hook:guess" if forgery == "wrong basic auth" else SECRET)
    response = Client().post(
        "/email/inbound/mailgun/", mailgun_fields(raw, pair.sam.email, pair.reply_address, key=key), **auth
    )
    assert response.status_code == 400
    assert posted(pair) == [] and not ReceivedEmail.objects.exists()


def test_a_failed_spf_and_dkim_reported_by_mailgun_is_refused(time_machine):
    pair = e_mailed_pair(time_machine)
    raw = shapes.plain(pair.sam.email, pair.reply_address, X_Mailgun_Spf="Fail", X_Mailgun_Dkim_Check_Result="Fail")
    response = Client().post(
        "/email/inbound/mailgun/", mailgun_fields(raw, pair.sam.email, pair.reply_address), **basic_auth()
    )
    assert response.status_code == 200
    assert posted(pair) == []
    assert ReceivedEmail.objects.get().reason == ReceivedEmail.Reason.NOT_AUTHENTICATED


def test_a_postmark_post_with_basic_auth_is_posted(time_machine):
    pair = e_mailed_pair(time_machine)
    payload = {
        "FromFull": {"Email": pair.sam.email, "Name": "Sam"},
        "ToFull": [{"Email": pair.reply_address, "Name": ""}],
        "OriginalRecipient": pair.reply_address,
        "Subject": "Re: New message",
        "Headers": [
            {"Name": "Return-Path", "Value": f"<{pair.sam.email}>"},
            {"Name": "Message-ID", "Value": "<postmark-1@mail.example.org>"},
            {"Name": "Received-SPF", "Value": "Pass (sender SPF authorized)"},
        ],
        "TextBody": f"{shapes.NEW_TEXT}\n\nOn Tue, 14 Apr 2026, Waymark <{pair.reply_address}> wrote:\n> Hello",
        "HtmlBody": "",
        "Attachments": [],
        "MessageID": "7c1d-postmark-uuid",
    }
    response = Client().post(
        "/email/inbound/postmark/", json.dumps(payload), content_type="application/json", **basic_auth()
    )
    assert response.status_code == 200
    assert [m.body for m in posted(pair)] == [shapes.NEW_TEXT]


def test_a_mailgun_fully_parsed_post_with_an_html_only_reply(time_machine):
    pair = e_mailed_pair(time_machine)
    headers = [["From", f"Sam <{pair.sam.email}>"], ["To", pair.reply_address], ["Subject", "Re: hello"],
               ["Message-ID", "<parsed-1@mail.example.org>"], ["X-Mailgun-Spf", "Pass"]]  # fmt: skip
    fields = mailgun_fields(b"", pair.sam.email, pair.reply_address)
    del fields["body-mime"]
    fields.update({"message-headers": json.dumps(headers),
                   "body-html": "<p>Thursday at four works for me.</p><p>Could we look at the second paragraph of my "
                                "statement?</p><blockquote>On Tue, Waymark wrote: Hello</blockquote>"})  # fmt: skip
    assert Client().post("/email/inbound/mailgun/", fields, **basic_auth()).status_code == 200
    [message] = posted(pair)
    assert message.body.startswith("Thursday at four works for me.")
    assert "second paragraph of my statement?" in message.body and "<p>" not in message.body


@pytest.mark.parametrize(
    ("provider", "body", "content_type"),
    [
        ("postmark", "{not json", "application/json"),
        ("postmark", json.dumps({"Headers": "nonsense"}), "application/json"),
        ("mailgun", "signed, but no message in it", "application/x-www-form-urlencoded"),
    ],
)
def test_a_malformed_post_gets_a_400_not_a_500(db, provider, body, content_type):
    if provider == "mailgun":
        fields = mailgun_fields(b"", "sam@example.org", "reply+x@reply.testserver")
        del fields["body-mime"]
        response = Client(raise_request_exception=False).post("/email/inbound/mailgun/", fields, **basic_auth())
    else:
        response = Client(raise_request_exception=False).post(
            f"/email/inbound/{provider}/", body, content_type=content_type, **basic_auth()
        )
    assert response.status_code == 400
    assert not ReceivedEmail.objects.exists()


def test_a_provider_not_configured_has_no_url(db):
    response = Client().post("/email/inbound/sparkpost/", "{}", content_type="application/json", **basic_auth())
    assert response.status_code == 404
