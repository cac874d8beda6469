"""The benchmark's seeding (COPY straight into the tables) makes rows the application can serve.

It bypasses the models, so a column added later breaks it only when `make bench` runs; this test runs
it small on the test database and opens what it made."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from accounts.models import User
from matching.models import Match
from messaging.models import Conversation, Message


@pytest.mark.django_db(transaction=True)
def test_seed_scale_makes_people_threads_and_messages_the_pages_serve(client):
    call_command("seed_scale", users=330, messages=4_000, heavy=1)

    assert User.objects.count() == 330
    assert Match.objects.filter(status="active").count() >= 300 + 6
    assert Message.objects.count() >= 4_000 * 0.9
    heavy_mentor = User.objects.get(pk=1)
    conversation = Conversation.objects.filter(participants__user=heavy_mentor).order_by("-last_message_at").first()
    client.force_login(heavy_mentor)
    assert client.get(reverse("messaging:inbox")).status_code == 200
    page = client.get(reverse("messaging:thread", args=[conversation.pk]))
    assert page.status_code == 200
    assert conversation.subject in page.content.decode()
    # The defaults the seeding left to the models are the models' own.
    assert set(Message.objects.values_list("submission_key", flat=True)) == {""}
    assert set(Match.objects.values_list("safeguarding_hold_reason", flat=True)) == {""}


@pytest.mark.django_db
def test_seed_scale_refuses_a_database_that_is_neither_a_benchmark_nor_a_test_one(monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "NAME", "mentoring")
    with pytest.raises(CommandError, match="_bench"):
        call_command("seed_scale", users=330, messages=100, heavy=1)
