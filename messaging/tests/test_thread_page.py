"""The thread page's one declaration of what it shows (messaging.thread_page.SHOWN) is complete and true:
rendering reads nothing undeclared, and every declared column is part of the cache key."""

import datetime
import uuid

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.db.models import Model
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from matching.models import Match, Programme
from messaging import selectors, services, thread_cache, thread_page, views
from messaging.models import Conversation, Message, Participant
from messaging.services import acknowledge, edit_message, mark_read, reject_message, save_draft, send_message

from .helpers import coordinator_of, one_to_one


@pytest.fixture
def busy_conversation():
    """A conversation that shows a bit of everything: waits, a promise, a quote, an edit, held and
    rejected messages, receipts and a draft."""
    conversation, sam, doreen = one_to_one()
    coordinator = coordinator_of(conversation.match.programme)
    first = send_message(doreen, conversation, "Hello Sam, how is the statement going?")
    mark_read(Participant.objects.get(conversation=conversation, user=sam))
    reply = send_message(sam, conversation, "Slowly! A question about it", reply_to=first)
    edit_message(reply, sam, "Slowly! A question about it, below")
    send_message(sam, conversation, "text me on 07700 900123")  # held
    rejected = send_message(sam, conversation, "or on 07700 900124")
    reject_message(rejected, coordinator, "Please keep it here")
    acknowledge(Participant.objects.get(conversation=conversation, user=doreen), timezone.localdate())
    save_draft(Participant.objects.get(conversation=conversation, user=sam), "Half a thought")
    return conversation, sam, doreen


def only_declared(user) -> User:
    return User.objects.only(*thread_page.VIEWER_FIELDS).get(pk=user.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", ["sam", "doreen"])
@pytest.mark.parametrize("query", ["", "?quote=first"])
def test_rendering_the_page_reads_nothing_it_does_not_declare(client, monkeypatch, busy_conversation, viewer, query):
    """A field the template reads but SHOWN does not declare would be missing from the cache key: the page
    would go stale silently. Rendered from rows with only the declared fields, any other read is a query."""
    conversation, sam, doreen = busy_conversation
    person = {"sam": sam, "doreen": doreen}[viewer]
    monkeypatch.setattr(ModelBackend, "get_user", lambda self, user_id: only_declared(person))
    reads, rendering = [], [False]
    refresh = Model.refresh_from_db

    def recording(self, using=None, fields=None, from_queryset=None):
        if rendering[0]:
            reads.append((type(self).__name__, tuple(fields or ["(all)"])))
        return refresh(self, using, fields, from_queryset)

    page = thread_cache.page

    def recorded_page(request, stamp, render):
        def render_and_record():
            rendering[0] = True
            try:
                return render()
            finally:
                rendering[0] = False

        return page(request, stamp, render_and_record)

    monkeypatch.setattr(Model, "refresh_from_db", recording)
    monkeypatch.setattr(views.thread_cache, "page", recorded_page)
    client.force_login(person)
    first = Message.objects.filter(conversation=conversation).earliest("created_at").pk
    url = reverse("messaging:thread", args=[conversation.pk]) + query.replace("first", str(first))

    response = client.get(url)

    assert response.status_code == 200
    assert "Hello Sam" in response.content.decode()
    assert reads == [], f"the page read fields thread_page.SHOWN does not declare: {reads}"


def key_of(user, conversation) -> str:
    request = RequestFactory().get(reverse("messaging:thread", args=[conversation.pk]))
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    stamp = selectors.thread_stamp(user, conversation.pk, services.EDIT_WINDOW)
    return thread_cache.key(request, stamp)


def changed(value, column):
    if isinstance(value, bool):
        return not value
    if isinstance(value, datetime.datetime) or (value is None and column.endswith(("_at", "_since", "_by"))):
        return (value or timezone.now()) + datetime.timedelta(hours=3)
    if isinstance(value, datetime.date) or (value is None and column.endswith("_until")):
        return (value or timezone.localdate()) + datetime.timedelta(days=3)
    if isinstance(value, uuid.UUID):
        return uuid.uuid4()
    if isinstance(value, int):
        return value + 1
    if column == "role":
        return "mentor" if value == "mentee" else "mentee"
    if column == "status":
        return "paused" if value == "active" else "active"
    return f"{value} changed"


# What each alias of the declaration is, and which of its rows the page of the viewer (Sam) shows.
ROWS = {
    "p": lambda conversation, other: Participant.objects.filter(conversation=conversation, user=other),
    "u": lambda conversation, other: User.objects.filter(pk=other.pk),
    "c": lambda conversation, other: Conversation.objects.filter(pk=conversation.pk),
    "m": lambda conversation, other: Match.objects.filter(pk=conversation.match_id),
    "g": lambda conversation, other: Programme.objects.filter(pk=conversation.match.programme_id),
}
IDENTITIES = {"p.id", "p.user_id", "m.id"}  # which rows they are, not what is on them


@pytest.mark.django_db
@pytest.mark.parametrize("column", [c for c in thread_page.columns() if c not in IDENTITIES | {*thread_page.NOT_SHOWN}])
def test_every_declared_column_is_part_of_the_key(busy_conversation, column):
    conversation, sam, doreen = busy_conversation
    alias, name = column.split(".")
    rows = ROWS[alias](conversation, doreen)
    before = key_of(only_declared(sam), conversation)
    value = rows.values_list(name, flat=True).get()

    rows.update(**{name: changed(value, name)})

    assert key_of(only_declared(sam), conversation) != before, column


@pytest.mark.django_db
def test_the_viewers_own_read_state_is_not_in_the_key_but_the_rest_of_their_row_is(busy_conversation):
    conversation, sam, _doreen = busy_conversation
    mine = Participant.objects.filter(conversation=conversation, user=sam)
    before = key_of(only_declared(sam), conversation)

    mine.update(unread_count=7, last_read_at=timezone.now())  # opening the page marks it read
    assert key_of(only_declared(sam), conversation) == before
    mine.update(archived=True)
    assert key_of(only_declared(sam), conversation) != before


@pytest.mark.django_db
def test_the_draft_and_the_edit_window_are_in_the_key(busy_conversation):
    conversation, sam, _doreen = busy_conversation
    before = key_of(only_declared(sam), conversation)
    save_draft(Participant.objects.get(conversation=conversation, user=sam), "A whole thought now")
    after_draft = key_of(only_declared(sam), conversation)
    Message.objects.filter(sender=sam).update(created_at=timezone.now() - datetime.timedelta(hours=1))

    assert before != after_draft != key_of(only_declared(sam), conversation)


@pytest.mark.django_db
def test_with_the_cache_off_the_page_is_rendered_every_time(client, settings, busy_conversation):
    conversation, sam, _doreen = busy_conversation
    settings.THREAD_PAGE_CACHE = False
    client.force_login(sam)
    url = reverse("messaging:thread", args=[conversation.pk])
    client.get(url)
    Conversation.objects.filter(pk=conversation.pk).update(subject="Renamed behind the cache's back")

    assert "Renamed behind the cache" in client.get(url).content.decode()
