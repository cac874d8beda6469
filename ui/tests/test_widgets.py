"""The Python-written selects render what Django's own templates render, option for option."""

from html.parser import HTMLParser

from django import forms

from ui.widgets import FastSelect, FastSelectMultiple

CHOICES = [("", "Choose"), ("a&b", "A & B"), ("x", "<X>"), ("3", "Three")]


def tags(html: str) -> list:
    """The elements, their attributes (in any order) and their text; whitespace between them aside."""
    found = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, sorted(attrs, key=str)))

        def handle_data(self, data):
            if data.strip():
                found.append(data)

    Parser().feed(html)
    return found


def test_a_single_select_renders_as_djangos_does():
    ours = FastSelect(choices=CHOICES, attrs={"class": "form-select"}).render("zone", "x", {"id": "id_zone"})
    django = forms.Select(choices=CHOICES, attrs={"class": "form-select"}).render("zone", "x", {"id": "id_zone"})

    assert tags(ours) == tags(django)
    assert '<option value="x" selected>&lt;X&gt;</option>' in ours and "A &amp; B" in ours


def test_a_multiple_select_keeps_every_chosen_value_and_its_attributes():
    attrs = {"data-searchable": "", "size": 8}
    ours = FastSelectMultiple(choices=CHOICES, attrs=attrs).render("langs", ["a&b", "3"], {"id": "id_langs"})
    django = forms.SelectMultiple(choices=CHOICES, attrs=attrs).render("langs", ["a&b", "3"], {"id": "id_langs"})

    assert tags(ours) == tags(django)
    assert ours.count(" selected") == 2 and " multiple" in ours
