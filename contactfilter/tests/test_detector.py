"""The contact filter on the forms of QUALITY.md (S11) and on hostile input."""

import re

import pytest

from contactfilter import MAX_FINDINGS_PER_KIND, find_contact_details
from contactfilter.hostile import HOSTILE

SHOULD_FIND = [
    ("07700 900123", "phone"),
    ("+44 7700 900123", "phone"),
    ("call me on 0207-946-0018", "phone"),
    ("(020) 7946 0018", "phone"),
    ("0 7 7 0 0 9 0 0 1 2 3", "phone"),
    ("+1 415 555 2671", "phone"),
    ("me@example.com", "email"),
    ("me (at) example dot com", "email"),
    ("me [at] example [dot] co [dot] uk", "email"),
    ("me at example dot com", "email"),
    ("wa.me/447700900123", "handle"),
    ("t.me/jo_smith", "handle"),
    ("https://discord.gg/abcd", "handle"),
    ("snap: jo_123", "handle"),
    ("insta @jo.123", "handle"),
    ("my insta is jo.123", "handle"),
    ("discord: jo#1234", "handle"),
    ("https://example.com/about", "url"),
    ("www.example.org", "url"),
    ("see example.co.uk/page", "url"),
]
SHOULD_NOT_FIND = [
    "meet on 12/03/2025 at 14:30",
    "grade 7 in maths",
    "it cost £12.50",
    "in 1998",
    "version 3.11.7",
    "room 101",
    "page 42-45",
    "I'll be at the library at 5",
    "Let's talk at 10.30 tomorrow",
    "my sister is at uni. She studies maths",
    "I'm at home. Dot said hi",
    "Insta is fun",
    "I love snapchat filters",
    "between 9.00 and 17.30",
    "I scored 1450 on the SAT",
    "The year 2024-2025 was hard",
    "e.g. this, i.e. that",
]


def _letters_and_digits_within(found: str, text: str) -> bool:
    remaining = iter(re.sub(r"[^a-z0-9]", "", text.lower()))
    return all(character in remaining for character in re.sub(r"[^a-z0-9]", "", found))


@pytest.mark.parametrize(("text", "kind"), SHOULD_FIND)
def test_contact_details_are_found(text, kind):
    findings = find_contact_details(f"Hi! {text} thanks")

    assert [finding.kind for finding in findings] == [kind], findings
    # A finding reads as the text does once normalised ("me@example.com" for "me (at) example dot com"):
    # its letters and digits come from the text, in order.
    assert _letters_and_digits_within(findings[0].text, text)


@pytest.mark.parametrize("text", SHOULD_NOT_FIND)
def test_ordinary_sentences_are_left_alone(text):
    assert find_contact_details(text) == []


def test_programme_words_are_found_as_whole_words():
    findings = find_contact_details("Let us meet up at the park, not a meetup", words=("meet up", "park"))

    assert [(f.kind, f.text) for f in findings] == [("word", "meet up"), ("word", "park")]


@pytest.mark.parametrize("shape", HOSTILE)
def test_hostile_input_is_scanned_with_bounded_findings(shape):
    # The time it takes is measured in `make bench` (never in a test); here: it finishes, and caps what it reports.
    findings = find_contact_details(HOSTILE[shape][:100_000])

    assert len(findings) <= MAX_FINDINGS_PER_KIND * 5


@pytest.mark.parametrize(
    "text",
    [
        "add me on snap " * 600 + "snap: jo_123",
        "one " * 3_000 + "oh seven seven double oh nine double oh one two three",
    ],
)
def test_a_text_too_strange_to_read_cheaply_is_never_passed(text):
    """Past the filter's bounds, it reports the text (a person reads it) instead of missing what is hidden in it."""
    assert find_contact_details(text)
