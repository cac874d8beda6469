import datetime

import pytest
from django.urls import reverse

from messaging.search import Criteria, search_messages
from messaging.services import send_message

from .helpers import one_to_one


@pytest.fixture
def history():
    conversation, sam, doreen = one_to_one()
    send_message(sam, conversation, "My personal statement draft is attached below.")
    send_message(doreen, conversation, "Your statement reads well. Consider the opening paragraph again.")
    send_message(sam, conversation, "Interview practice next week? I am nervous about interviews.")
    # Someone else's conversation with the same words: must never be found by Sam.
    other, lucia, _tomas = one_to_one(mentee_name="Lucía", mentor_name="Tomás")
    send_message(lucia, other, "My personal statement is secret and about interviews.")
    return conversation, sam, doreen, lucia


def found(user, q, **filters):
    return [m.body for m in search_messages(user, Criteria(q=q, **filters))]


@pytest.mark.django_db
def test_search_by_word_uses_stemming_and_ranks(history):
    _conversation, sam, _doreen, _lucia = history

    results = found(sam, "interview")

    assert results == ["Interview practice next week? I am nervous about interviews."]


@pytest.mark.django_db
def test_search_by_phrase_exclusion_and_or(history):
    _conversation, sam, _doreen, _lucia = history

    assert found(sam, '"personal statement"') == ["My personal statement draft is attached below."]
    assert sorted(found(sam, "statement -draft")) == [
        "Your statement reads well. Consider the opening paragraph again."
    ]
    assert len(found(sam, "paragraph or nervous")) == 2


@pytest.mark.django_db
def test_search_never_shows_other_peoples_messages(history):
    _conversation, sam, _doreen, lucia = history

    assert all("secret" not in body for body in found(sam, "personal statement interviews"))
    assert found(sam, "secret") == []
    assert found(lucia, "secret") == ["My personal statement is secret and about interviews."]


@pytest.mark.django_db
def test_held_messages_are_found_only_by_their_sender(history):
    conversation, sam, doreen, _lucia = history
    send_message(sam, conversation, "Call me on 07700 900123 about the scholarship")

    assert found(sam, "scholarship") == ["Call me on 07700 900123 about the scholarship"]
    assert found(doreen, "scholarship") == []


@pytest.mark.django_db
def test_filters_by_sender_and_date(history):
    _conversation, sam, doreen, _lucia = history

    assert found(sam, "statement", sender_id=doreen.pk) == [
        "Your statement reads well. Consider the opening paragraph again."
    ]
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    assert found(sam, "statement", date_from=tomorrow) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "q",
    [
        '"unclosed',
        "-",
        "or or or",
        "!!!",
        "&|:*()",
        "a" * 5000,
        "the and of",
        "\x00nul",
        "'; DROP TABLE x; --",
        "ünïcödé 山田",
    ],
)
def test_malformed_queries_find_nothing_or_something_never_fail(client, history, q):
    _conversation, sam, _doreen, _lucia = history
    client.force_login(sam)

    response = client.get(reverse("messaging:search"), {"q": q})

    assert response.status_code == 200


@pytest.mark.django_db
def test_snippets_highlight_hits_and_escape_the_message(client):
    conversation, sam, doreen = one_to_one()
    send_message(doreen, conversation, "About your <script>alert(1)</script> essay: great essay.")
    client.force_login(sam)

    page = client.get(reverse("messaging:search"), {"q": "essay"}).content.decode()

    assert "<mark>essay</mark>" in page
    assert "<script>alert(1)</script>" not in page
    assert "alert(1)" in page  # the text stays; only the markup is gone


@pytest.mark.django_db
def test_empty_search_page_and_nothing_found(client, history):
    _conversation, sam, _doreen, _lucia = history
    client.force_login(sam)

    assert client.get(reverse("messaging:search")).status_code == 200
    assert "Nothing found" in client.get(reverse("messaging:search"), {"q": "zebra"}).content.decode()
    assert client.get(reverse("messaging:search"), {"q": "x", "date_from": "not-a-date"}).status_code == 200


def test_highlighting_escapes_everything_but_the_marks():
    from messaging.search import _START, _STOP, highlighted

    assert highlighted(f"<b>{_START}essay{_STOP}</b> & co") == "&lt;b&gt;<mark>essay</mark>&lt;/b&gt; &amp; co"
