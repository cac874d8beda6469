"""CR/LF and Unicode line separators in display names never add a header or a recipient (S6)."""

import pytest

from accounts import delivery
from accounts.email_kinds import EmailKind
from accounts.emails import queue_email, single_line

from .factories import UserFactory

HOSTILE_NAMES = [
    "Sam\r\nBcc: attacker@evil.example",
    "Sam\nX-Injected: yes",
    "Sam\u2028Bcc: attacker@evil.example",
    "Sam\u2029X-Injected: yes\u0085Cc: attacker@evil.example",
    "attacker@evil.example, Sam",
    'Sam" <attacker@evil.example>, "x',
    "Sam <attacker@evil.example>",
    "Sam\x0b\x0c\x1bX-Injected: yes",  # (NUL cannot be stored: forms refuse it, see test_profile)
    "Zoë Ñandú 山田",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_display_names_add_no_header_and_no_recipient(smtp_sink, name):
    person = UserFactory(display_name=name, email="sam@example.org")
    row = queue_email(person, EmailKind.WELCOME, "emails/welcome", {"profile_url": "http://testserver/"}, "w:1")

    assert delivery.deliver(row.pk) == "sent"

    [received] = smtp_sink.received
    assert received.rcpt_tos == ["sam@example.org"]
    message = received.message
    for header in ["Bcc", "Cc", "X-Injected"]:
        assert header not in message
    assert len(message.get_all("To")) == 1
    assert len(message.get_all("Subject")) == 1
    assert "evil.example" not in str(message["To"]).split("<")[-1]
    # The subject carries the name too: it must stay one line.
    assert "\n" not in str(message["Subject"]).replace("\n ", "")


@pytest.mark.parametrize(
    "text", ["a\r\nb", "a\nb", "a\rb", "a\u2028b", "a\u2029b", "a\x85b", "a\x0bb", "a\x0cb", "a\x00b", "a\x1cb"]
)
def test_single_line_removes_every_kind_of_line_break(text):
    assert single_line(text) == "a b"
    assert single_line(text).splitlines() == ["a b"]
