import datetime
from dataclasses import dataclass

import pytest
from django.core import mail

from accounts import delivery
from accounts.models import OutboundEmail
from messaging.services import send_message
from messaging.tests.helpers import one_to_one

T0 = datetime.datetime(2026, 4, 14, 10, 0, tzinfo=datetime.UTC)


@dataclass
class Pair:
    conversation: object
    sam: object  # the mentee, who answers by e-mail
    doreen: object
    first: object  # Doreen's message Sam answers
    email: object  # the new-message e-mail Sam got
    reply_address: str


def e_mailed_pair(time_machine, **programme) -> Pair:
    """Doreen writes; after the batching window Sam gets the new-message e-mail with a reply address."""
    time_machine.move_to(T0, tick=False)
    conversation, sam, doreen = one_to_one(emails_include_message_text=True, **programme)
    OutboundEmail.objects.all().delete()
    first = send_message(doreen, conversation, "Shall we meet on Thursday to talk about your statement?")
    time_machine.move_to(T0 + datetime.timedelta(minutes=5), tick=False)
    delivery.deliver_due_emails()
    [email] = mail.outbox
    mail.outbox.clear()
    return Pair(conversation, sam, doreen, first, email, email.extra_headers.get("Reply-To", ""))


@pytest.fixture
def pair(time_machine):
    return e_mailed_pair(time_machine)
