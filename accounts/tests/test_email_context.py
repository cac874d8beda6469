"""An e-mail's context is kept as JSON until delivery: dates come back as dates, and nothing in it may already
be translated, since the e-mail is written in its recipient's language at delivery, not in the sender's."""

import datetime

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy

from accounts.emails import EmailKind, queue_email
from accounts.models import OutboundEmail
from accounts.tests.factories import UserFactory


@pytest.mark.django_db
def test_dates_and_times_come_back_as_dates_and_times():
    at = datetime.datetime(2026, 12, 3, 9, 30, tzinfo=datetime.UTC)
    row = queue_email(UserFactory(), EmailKind.WELCOME, "emails/welcome", {"at": at, "on": at.date()}, "k:dates")
    context = OutboundEmail.objects.get(pk=row.pk).context
    assert context == {"at": at, "on": at.date()}


@pytest.mark.django_db
def test_a_lazily_translated_string_is_refused_rather_than_frozen_in_the_senders_language():
    with translation.override("fr"), pytest.raises(TypeError, match="translated lazily"):
        queue_email(UserFactory(language="en"), EmailKind.WELCOME, "emails/welcome",
                    {"what": gettext_lazy("Profile")}, "k:lazy")  # fmt: skip
    assert not OutboundEmail.objects.filter(dedupe_key="k:lazy").exists()
