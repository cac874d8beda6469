r"""Dates in the reader's language, in the order that language puts them.

The house writes each date format once, as an English pattern ("l j F, H:i": "Monday 4 May, 09:00"). Django
already translates the names of days and months; what differs between languages is the order and the words around
them, so each language here says how it writes the same pattern (Spanish "l, j \d\e F, H:i": "lunes, 4 de mayo,
09:00"). A pattern a language does not list is already right in it, and a language not listed here (none is
offered) gets the English order with its own names. Times are converted to the viewer's zone first, as Django's
`date` filter does: use {{ value|local_date:"l j F, H:i" }} in templates and local_date() in Python.
"""

import datetime

from django.template import defaultfilters
from django.utils import timezone
from django.utils.translation import get_language

# Every pattern the templates and code use is in COMMON or written out per language
# (ui/tests/test_dates.py holds that to be so, so a new pattern gets a decision in every language).
COMMON = {"H:i", "l", "D j M", "j M", "j M Y", "j/n", "D H:i", "c"}
LOCAL = {
    "es": {
        "j F": r"j \d\e F",
        "j F Y": r"j \d\e F \d\e Y",
        "l j F": r"l, j \d\e F",
        "l j F Y": r"l, j \d\e F \d\e Y",
        "l j F, H:i": r"l, j \d\e F, H:i",
        "j F Y, H:i": r"j \d\e F \d\e Y, H:i",
        "l j F Y, H:i": r"l, j \d\e F \d\e Y, H:i",
        "D j M, H:i": "D j M, H:i",
        "D j M Y, H:i": "D j M Y, H:i",
    },
    "fr": {
        "j F": "j F",
        "j F Y": "j F Y",
        "l j F": "l j F",
        "l j F Y": "l j F Y",
        "l j F, H:i": "l j F à H:i",
        "j F Y, H:i": "j F Y à H:i",
        "l j F Y, H:i": "l j F Y à H:i",
        "D j M, H:i": "D j M, H:i",
        "D j M Y, H:i": "D j M Y, H:i",
    },
    "ar": {
        "j F": "j F",
        "j F Y": "j F Y",
        "l j F": "l j F",
        "l j F Y": "l، j F Y",
        "l j F, H:i": "l j F، H:i",
        "j F Y, H:i": "j F Y، H:i",
        "l j F Y, H:i": "l، j F Y، H:i",
        "D j M, H:i": "D j M، H:i",
        "D j M Y, H:i": "D j M Y، H:i",
    },
}


def local_pattern(pattern: str) -> str:
    return LOCAL.get((get_language() or "en").split("-")[0], {}).get(pattern, pattern)


def local_date(value, pattern: str) -> str:
    """`value` (a date, or a datetime, shown in the current zone) written by the English `pattern`, as the active
    language writes it."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return defaultfilters.date(value, local_pattern(pattern))
