"""Search in every language: each message is indexed with its own language's configuration (detected, or
its writer's language), so a Spanish message is found by its Spanish stem and an Arabic one by its words."""

import pytest

from messaging import search
from messaging.models import Message
from messaging.services import send_message
from messaging.tests.helpers import one_to_one
from messaging.text_language import language_of

pytestmark = pytest.mark.django_db


def found(user, q):
    return [m.body for m in search.search_messages(user, search.Criteria(q=q))]


def test_the_language_is_detected_and_a_short_text_takes_its_writers():
    assert language_of("Hola Doreen, estoy trabajando en mi carta de motivación esta semana.", "en") == "es"
    assert language_of("Bonjour, je travaille sur ma lettre de motivation cette semaine.", "en") == "fr"
    assert language_of("مرحبا، أعمل على رسالتي هذا الأسبوع مع مرشدتي", "en") == "ar"
    assert language_of("Gracias", "fr") == "fr"  # too short to tell: the writer's own
    assert language_of("ok", "de") == ""  # not one of the site's: indexed without stems


def test_a_spanish_message_is_found_by_its_spanish_stem_and_an_arabic_one_by_its_words():
    conversation, sam, doreen = one_to_one()
    send_message(doreen, conversation, "Estoy trabajando en las entrevistas de la universidad esta semana.")
    send_message(doreen, conversation, "أعمل هذا الأسبوع على المقابلات الجامعية مع المرشدة")
    send_message(doreen, conversation, "Je prépare mes candidatures pour les universités cette semaine.")

    languages = dict(Message.objects.values_list("body", "language"))
    assert sorted(languages.values()) == ["ar", "es", "fr"]
    assert found(sam, "trabajo") == ["Estoy trabajando en las entrevistas de la universidad esta semana."]
    assert found(sam, "entrevista") == ["Estoy trabajando en las entrevistas de la universidad esta semana."]
    assert found(sam, "المقابلات") == ["أعمل هذا الأسبوع على المقابلات الجامعية مع المرشدة"]
    assert found(sam, "candidature") == ["Je prépare mes candidatures pour les universités cette semaine."]
    [result] = search.search_messages(sam, search.Criteria(q="trabajo"))
    assert "<mark>trabajando</mark>" in result.snippet  # highlighted with the message's own configuration


def test_english_stems_still_work_for_english_messages():
    conversation, sam, doreen = one_to_one()
    send_message(doreen, conversation, "I have been working on my personal statement for weeks.")
    assert found(sam, "work") == ["I have been working on my personal statement for weeks."]
    assert found(sam, "week statement") == ["I have been working on my personal statement for weeks."]
