"""The inbox shows a message's first words as plain text, kept with the message when it is sent or edited."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from messaging.models import Message
from messaging.services import edit_message, send_message

from .helpers import one_to_one

MARKDOWN = "## Plans\n\n**Bold** news: see [the guide](https://example.org) and\n\n> a quote"


@pytest.mark.django_db
def test_the_inbox_preview_is_plain_text_without_markdown_marks(client):
    conversation, sam, doreen = one_to_one()
    send_message(doreen, conversation, MARKDOWN)
    client.force_login(sam)

    page = client.get(reverse("messaging:inbox")).content.decode()

    assert "Doreen: Plans Bold news: see the guide and a quote" in page
    assert "**" not in page and "##" not in page


@pytest.mark.django_db
def test_an_edit_renews_the_preview_and_a_long_message_is_cut_with_an_ellipsis():
    conversation, sam, _doreen = one_to_one()
    message = send_message(sam, conversation, "First *draft*")
    assert message.preview == "First draft"

    edit_message(message, sam, "word " * 100)

    message.refresh_from_db()
    assert len(message.preview) == 160 and message.preview.endswith("…")


@pytest.mark.django_db
def test_messages_written_before_previews_existed_get_theirs_from_the_migration():
    conversation, sam, _doreen = one_to_one()
    send_message(sam, conversation, MARKDOWN)
    Message.objects.update(preview="")
    migration = importlib.import_module("messaging.migrations.0014_message_preview")

    migration.fill_previews(apps, None)

    assert Message.objects.get().preview == "Plans Bold news: see the guide and a quote"
