"""Dates in the order each language writes them, and every pattern the house uses decided for every language."""

import datetime
import pathlib
import re
import zoneinfo

from django.conf import settings
from django.template import Context, Template
from django.utils import timezone, translation

from ui.dates import COMMON, LOCAL, local_date

MONDAY = datetime.datetime(2026, 5, 4, 7, 30, tzinfo=datetime.UTC)
ROOT = pathlib.Path(settings.BASE_DIR)


def test_each_language_writes_the_same_pattern_its_own_way():
    with timezone.override(zoneinfo.ZoneInfo("Europe/Madrid")):
        written = {}
        for language in ("en", "es", "fr", "ar"):
            with translation.override(language):
                written[language] = (local_date(MONDAY, "l j F, H:i"), local_date(MONDAY.date(), "j F Y"))
    assert written == {
        "en": ("Monday 4 May, 09:30", "4 May 2026"),
        "es": ("lunes, 4 de mayo, 09:30", "4 de mayo de 2026"),
        "fr": ("lundi 4 mai à 09:30", "4 mai 2026"),
        "ar": ("الاثنين 4 مايو، 09:30", "4 مايو 2026"),
    }


def test_the_filter_shows_the_time_in_the_viewers_zone():
    template = Template('{% load ui %}{{ when|local_date:"l j F, H:i" }}')
    with timezone.override(zoneinfo.ZoneInfo("America/Mexico_City")), translation.override("es"):
        assert template.render(Context({"when": MONDAY})) == "lunes, 4 de mayo, 01:30"
    with timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")):
        assert local_date(MONDAY, "H:i") == "16:30"


def test_a_time_put_in_another_persons_zone_stays_in_it():
    """The meeting page shows each person's time: |timezone sets the zone and the filter must not undo it."""
    template = Template('{% load tz ui %}{{ when|timezone:"Asia/Tokyo"|local_date:"D j M, H:i" }}')
    with timezone.override(zoneinfo.ZoneInfo("Europe/London")):
        assert template.render(Context({"when": MONDAY})) == "Mon 4 May, 16:30"


def test_every_pattern_the_house_uses_is_decided_for_every_language():
    used = set()
    for path in (ROOT / "templates").rglob("*"):
        if path.suffix in (".html", ".txt"):
            used |= set(re.findall(r"""\|local_date:["']([^"']+)["']""", path.read_text()))
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" not in path.parts and "tests" not in path.parts:
            used |= set(re.findall(r"""local_date\([^,]+, ["']([^"']+)["']\)""", path.read_text()))
    assert {"l j F, H:i", "j F Y", "H:i"} <= used  # the search itself works
    assert "|date:" not in "".join(p.read_text() for p in (ROOT / "templates").rglob("*.html"))
    undecided = {(language, pattern) for language, known in LOCAL.items() for pattern in used - COMMON - known.keys()}
    assert undecided == set()
