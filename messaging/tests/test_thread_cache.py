"""The thread page is served from a cache keyed by everything it shows (messaging.thread_cache).

Each test shows the page once (so that it is stored), changes one thing the page shows through the
path that really changes it, and checks that the next showing has the change.
"""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from matching.services import close
from messaging.models import Conversation, Message
from messaging.retention import purge_expired_messages
from messaging.services import approve_message, send_message

from .helpers import coordinator_of, one_to_one

NOW = datetime.datetime(2026, 3, 3, 13, 2, tzinfo=datetime.UTC)


def thread_url(conversation):
    return reverse("messaging:thread", args=[conversation.pk])


def shown(client, conversation) -> str:
    response = client.get(thread_url(conversation))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_a_repeat_view_costs_three_queries_however_long_the_history(client, django_assert_max_num_queries):
    conversation, sam, doreen = one_to_one()
    send_message(doreen, conversation, "Early")
    client.force_login(sam)
    shown(client, conversation)
    with django_assert_max_num_queries(3):  # session, account, the page's stamp
        shown(client, conversation)

    with time_machine.travel(NOW, tick=False):
        for n in range(60):
            send_message(sam if n % 2 else doreen, conversation, f"Later {n}")
    shown(client, conversation)
    with django_assert_max_num_queries(3):
        page = shown(client, conversation)
    assert "Later 59" in page


@pytest.mark.django_db
def test_a_new_name_shows_at_once_on_every_message(client):
    conversation, sam, doreen = one_to_one()
    send_message(doreen, conversation, "Hello from me")
    client.force_login(sam)
    assert "Doreen" in shown(client, conversation)

    doreen.display_name = "Dee"
    doreen.save()

    page = shown(client, conversation)
    assert "Doreen" not in page
    assert '<strong id="message-' in page and ">Dee</strong>" in page


@pytest.mark.django_db
def test_a_held_message_appears_once_a_coordinator_approves_it(client):
    conversation, sam, doreen = one_to_one()
    coordinator = coordinator_of(conversation.match.programme)
    held = send_message(sam, conversation, "text me on 07700 900123")
    assert held.status == Message.Status.HELD
    client.force_login(doreen)
    assert "07700" not in shown(client, conversation)

    approve_message(held, coordinator)

    assert "07700 900123" in shown(client, conversation)


@pytest.mark.django_db
def test_a_message_changed_in_the_database_directly_shows_changed(client):
    """However a message changes (a coordinator's script, a migration), its conversation's
    messages_version moves: the database counts it, not our code."""
    conversation, sam, doreen = one_to_one()
    message = send_message(doreen, conversation, "Spelled wrnog")
    client.force_login(sam)
    assert "wrnog" in shown(client, conversation)

    Message.objects.filter(pk=message.pk).update(body_html="<p>Spelled right</p>")

    assert "Spelled right" in shown(client, conversation)


@pytest.mark.django_db
def test_purged_messages_disappear_from_a_page_seen_before(client):
    conversation, sam, doreen = one_to_one(retention_days=30)
    with time_machine.travel(NOW, tick=False):
        send_message(doreen, conversation, "Something private")
        close(conversation.match, doreen, reason="completed", rating=None)
    client.force_login(sam)
    assert "Something private" in shown(client, conversation)

    with time_machine.travel(NOW + datetime.timedelta(days=31), tick=False):
        assert purge_expired_messages() == 1
        assert "Something private" not in shown(client, conversation)


@pytest.mark.django_db
def test_closing_the_match_and_renaming_the_programme_show_at_once(client):
    conversation, sam, doreen = one_to_one()
    client.force_login(sam)
    assert "no new messages can be sent" not in shown(client, conversation)

    programme = conversation.match.programme
    programme.name = "Renamed programme"
    programme.save()
    close(conversation.match, doreen, reason="completed", rating=None)

    page = shown(client, conversation)
    assert "no new messages can be sent" in page
    assert "Renamed programme" in page
    assert 'id="reply-form"' not in page


@pytest.mark.django_db
def test_archiving_and_a_saved_draft_show_and_the_notice_shows_once(client):
    conversation, sam, _doreen = one_to_one()
    client.force_login(sam)
    assert ">Archive<" in shown(client, conversation)

    client.post(reverse("messaging:archive", args=[conversation.pk]))
    assert ">Unarchive<" in shown(client, conversation)

    client.post(reverse("messaging:draft", args=[conversation.pk]), {"body": "Half a thought"})
    with_notice = shown(client, conversation)
    assert "Draft saved." in with_notice and "Half a thought" in with_notice
    again = shown(client, conversation)
    assert "Draft saved." not in again  # the notice was for that one page, which was not stored
    assert "Half a thought" in again


@pytest.mark.django_db
def test_an_edit_link_lapses_with_its_edit_window(client):
    conversation, sam, _doreen = one_to_one()
    with time_machine.travel(NOW, tick=False):
        message = send_message(sam, conversation, "Typo here")
    edit = reverse("messaging:edit", args=[message.pk])
    client.force_login(sam)
    with time_machine.travel(NOW + datetime.timedelta(minutes=14), tick=False):
        assert edit in shown(client, conversation)
    with time_machine.travel(NOW + datetime.timedelta(minutes=16), tick=False):
        assert edit not in shown(client, conversation)


@pytest.mark.django_db
def test_the_wait_shown_moves_on_with_the_clock(client):
    conversation, sam, _doreen = one_to_one()
    with time_machine.travel(NOW, tick=False):
        send_message(sam, conversation, "Can we talk about essays?")
    client.force_login(sam)
    with time_machine.travel(NOW + datetime.timedelta(hours=2, minutes=5), tick=False):
        assert "Waiting for Doreen · 2 hours" in shown(client, conversation)
    with time_machine.travel(NOW + datetime.timedelta(hours=3, minutes=5), tick=False):
        assert "Waiting for Doreen · 3 hours" in shown(client, conversation)


@pytest.mark.django_db
def test_a_stored_page_carries_each_browsers_own_csrf_token():
    conversation, sam, _doreen = one_to_one()
    laptop, phone = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    laptop.force_login(sam)
    phone.force_login(sam)
    shown(laptop, conversation)  # stored

    page = shown(phone, conversation)  # served from the cache to another browser
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    sent = phone.post(
        reverse("messaging:reply", args=[conversation.pk]), {"body": "From my phone", "csrfmiddlewaretoken": token}
    )

    assert sent.status_code == 302
    assert Message.objects.filter(body="From my phone").exists()


@pytest.mark.django_db
def test_messages_version_counts_each_statement_and_never_goes_back():
    conversation, sam, _doreen = one_to_one()
    version = Conversation.objects.values_list("messages_version", flat=True).get(pk=conversation.pk)
    stale = Conversation.objects.get(pk=conversation.pk)

    Message.objects.bulk_create(
        Message(conversation=conversation, sender=sam, body=f"n{n}", body_html=f"n{n}") for n in range(50)
    )
    Message.objects.filter(conversation=conversation).update(edited_at=NOW)
    Message.objects.filter(conversation=conversation, body="n0").delete()
    stale.subject = "Renamed"
    stale.save()  # a full save from a copy read before all that

    conversation.refresh_from_db()
    assert conversation.messages_version == version + 3  # one per statement, not one per row
    assert conversation.subject == "Renamed"


@pytest.mark.django_db
def test_a_conversation_id_beyond_any_database_id_is_not_found(client):
    """The stamp is hand-written SQL: PostgreSQL refuses such a number (it was a 500)."""
    _conversation, sam, _doreen = one_to_one()
    client.force_login(sam)

    response = client.get("/messages/99999999999999999999999/")

    assert response.status_code == 404


def test_a_deploy_that_changes_only_a_static_file_or_an_icon_changes_every_key():
    """In production the page names site.js by its content's hash: a page kept from before a deploy that
    changed site.js would ask for a file the new release no longer has."""
    from django.conf import settings

    from messaging.thread_cache import page_sources

    project = settings.BASE_DIR
    names = {str(path.relative_to(project)) for path in page_sources(project)}
    assert {"static/js/site.js", "static/css/site.css", "static/vendor/bootstrap/bootstrap.used.min.css"} <= names
    assert {"ui/templatetags/ui.py", "templates/base.html", "messaging/thread_page.py"} <= names
    assert {"locale/es/LC_MESSAGES/django.mo", "locale/ar/LC_MESSAGES/django.mo"} <= names  # a new translation
    assert not any("/tests/" in name or "/migrations/" in name for name in names)
