"""Hard-coded English, found by rendering every main page in a pseudo-language: each of our translations
with its vowels accented ("Sénd"), placeholders and markup kept. Any word of plain ASCII letters with a
vowel that is left on a page came from no catalogue: a string someone forgot to mark for translation.
The people, programme and messages of the test are named with accented vowels for the same reason."""

import datetime
import functools
import re
import zoneinfo
from html.parser import HTMLParser

import polib
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from accounts.languages import SPOKEN_LANGUAGE_CHOICES, language_name
from checkins.models import Round, Survey
from checkins.services import link_token
from guides.models import Guide
from matching.tests.factories import TopicFactory
from mentoring.tests.test_translations import PLACEHOLDER
from messaging.services import send_message
from messaging.tests.helpers import one_to_one
from training.models import Module

PSEUDO = "eo"  # a code Django knows (its own strings come in Esperanto); our catalogue for it is made here
# What a translation must keep as it is: its placeholders (as the catalogue test reads them), markup, entities.
_KEEP = re.compile(rf"({PLACEHOLDER.pattern}|<[^>]+>|&[a-z#0-9]+;)")
_ACCENT = str.maketrans("aeiouAEIOU", "áéíóúÁÉÍÓÚ")
# Ours yet not English to translate: the platform's name, what a person picks their language by, a zone name.
ALLOWED = {"Waymark", "English", "Esperanto", "Markdown", "Europe", "London", "UTC"}
_ENGLISH_WORD = re.compile(r"\b[A-Za-z]*[aeiouAEIOU][A-Za-z]*\b")


def pseudo(text: str) -> str:
    return "".join(part if _KEEP.fullmatch(part) else part.translate(_ACCENT) for part in _KEEP.split(text))


class _VisibleText(HTMLParser):
    HIDDEN = {"script", "style", "svg", "template", "title"}  # (the title is checked apart: it has the name)
    SPOKEN = ("aria-label", "placeholder", "title", "alt")

    def __init__(self):
        super().__init__()
        self.hidden, self.words = 0, []

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        self.words += [value for name, value in attrs if name in self.SPOKEN and value]
        if tag == "input" and dict(attrs).get("type") in ("submit", "button"):
            self.words.append(dict(attrs).get("value") or "")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.words.append(data)


def django_date_words() -> set[str]:
    """Month and day names as Django's own catalogue gives them in the active language ("Dec" in Esperanto)."""
    days = [datetime.date(2026, 12, day) for day in range(1, 8)] + [datetime.date(2026, m, 1) for m in range(1, 13)]
    return {word for day in days for fmt in ("F", "M", "N", "b", "E", "l", "D")
            for word in _ENGLISH_WORD.findall(date_format(day, fmt))}  # fmt: skip


def spoken_language_words() -> set[str]:
    """The names of the languages people say they speak, as pycountry's catalogue gives them in this language."""
    with translation.override(PSEUDO):
        return {word for code, _name in SPOKEN_LANGUAGE_CHOICES for word in _ENGLISH_WORD.findall(language_name(code))}


@functools.cache
def zone_words() -> set[str]:
    """The words of the time zones' names (Europe/London, America/Argentina/Buenos_Aires): names, not English."""
    return {word for zone in zoneinfo.available_timezones() for word in _ENGLISH_WORD.findall(zone.replace("_", " "))}


def english_left(html: str) -> set[str]:
    reader = _VisibleText()
    reader.feed(html)
    found = {word for text in reader.words for word in _ENGLISH_WORD.findall(text)}
    with translation.override(PSEUDO):
        return found - ALLOWED - django_date_words() - spoken_language_words() - zone_words()


@pytest.fixture
def pseudo_language(settings, tmp_path):
    source = polib.pofile(str(settings.BASE_DIR / "locale" / "es" / "LC_MESSAGES" / "django.po"))
    target = polib.POFile()
    target.metadata = {**source.metadata, "Language": PSEUDO, "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    for entry in source:
        plural = {0: pseudo(entry.msgid), 1: pseudo(entry.msgid_plural)} if entry.msgid_plural else {}
        target.append(polib.POEntry(msgid=entry.msgid, msgid_plural=entry.msgid_plural, msgctxt=entry.msgctxt,
                                    msgstr="" if plural else pseudo(entry.msgid), msgstr_plural=plural))  # fmt: skip
    folder = tmp_path / PSEUDO / "LC_MESSAGES"
    folder.mkdir(parents=True)
    target.save_as_mofile(str(folder / "django.mo"))
    settings.LOCALE_PATHS = [tmp_path, *settings.LOCALE_PATHS]
    settings.LANGUAGES = [*settings.LANGUAGES, (PSEUDO, "Pseudo")]
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.mark.django_db
def test_no_page_shows_english_that_is_not_in_a_catalogue(client, pseudo_language):
    conversation, sam, doreen = one_to_one(mentee_name="Sám Pátél", mentor_name="Dórééń Ókáfór",
                                           name="Wídéníng Áccéss", slug="widening-access",
                                           description="Ún prógrámmé fór stúdénts", agreement="Bé kínd")  # fmt: skip
    conversation.match.programme.topics.set([TopicFactory(name="Láw", slug="law")])
    conversation.subject = "Gétting tó knów"
    conversation.save(update_fields=["subject"])
    send_message(doreen, conversation, "Hélló Sám, hów wás yóúr wéék?")
    sam.language = PSEUDO
    sam.save(update_fields=["language"])
    client.force_login(sam)
    match = conversation.match
    pages = [
        reverse("home"), reverse("messaging:inbox"), reverse("messaging:thread", args=[conversation.pk]),
        reverse("messaging:search") + "?q=wéék", reverse("accounts:profile"), reverse("accounts:time_zone"),
        reverse("accounts:email_preferences"), reverse("accounts:away"), reverse("matching:programmes"),
        reverse("matching:programme", args=[match.programme.slug]), reverse("matching:match", args=[match.pk]),
        reverse("matching:requests"), reverse("notices:list"), reverse("matching:join_form"),
        reverse("socialaccount_connections"), reverse("sso:start"), "/no-such-page/",
        reverse("messaging:announcements"), reverse("messaging:scheduled", args=[conversation.pk]),
        reverse("agreements:agreement", args=[match.pk]),
    ]  # fmt: skip
    # The platform's default content is data written by migrations, translated when shown (ui/content.py):
    # every training module, this week's prompt of a default guide on the thread, each default check-in.
    Guide.objects.get(name="University access").programmes.add(match.programme)
    pages += [reverse("training:index"), *(module.get_absolute_url() for module in Module.objects.all())]
    for survey in Survey.objects.filter(programme=None):
        check_in = Round.objects.create(survey=survey, match=match, person=sam)
        pages.append(reverse("checkins:answer", args=[link_token(check_in)]))
    found = {}
    for path in pages:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert f'lang="{PSEUDO}"' in response.content.decode()[:200], path
        if left := english_left(response.content.decode()):
            found[path] = sorted(left)

    prompt = client.get(reverse("guides:prompt", args=[match.pk])).content.decode()  # a fragment of the thread
    assert "data-prompt" in prompt
    if left := english_left(prompt):
        found["this week's prompt"] = sorted(left)

    visitor = Client(HTTP_ACCEPT_LANGUAGE=PSEUDO)  # the landing page, signed out
    if left := english_left(visitor.get(reverse("home")).content.decode()):
        found["/ (signed out)"] = sorted(left)

    assert found == {}, found
