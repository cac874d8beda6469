"""Languages people can say they speak: the ISO 639-1 list, with names in the viewer's language."""

import gettext
import re
from functools import cache

import pycountry
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ui.widgets import FastSelectMultiple

# "Modern Greek (1453-)" reads oddly in a form; the date range says nothing to a person.
_QUALIFIER = re.compile(r"\s*\(.*\)$")


@cache
def _catalogue(language_code: str) -> gettext.NullTranslations:
    return gettext.translation("iso639-3", pycountry.LOCALES_DIR, languages=[language_code], fallback=True)


def _localised_name(english_name: str) -> str:
    translated = _catalogue(translation.get_language() or "en").gettext(english_name)
    return _QUALIFIER.sub("", translated)


localised_name = lazy(_localised_name, str)

_ISO_639_1 = sorted(
    ((language.alpha_2, language.name) for language in pycountry.languages if hasattr(language, "alpha_2")),
    key=lambda code_and_name: _QUALIFIER.sub("", code_and_name[1]),
)
SPOKEN_LANGUAGE_CHOICES = [(code, localised_name(name)) for code, name in _ISO_639_1]

_KNOWN_CODES = frozenset(code for code, _name in _ISO_639_1)


def validate_language_codes(codes: list[str]) -> None:
    """Model-level check; kept out of the field's choices so a pycountry upgrade needs no migration."""
    unknown = sorted(set(codes) - _KNOWN_CODES)
    if unknown:
        raise ValidationError(_("Unknown language codes: %(codes)s"), params={"codes": ", ".join(unknown)})


def validate_site_language(code: str) -> None:
    from django.conf import settings

    if code not in dict(settings.LANGUAGES):
        raise ValidationError(_("%(code)s is not a language this site is available in."), params={"code": code})


_ENGLISH_NAMES = dict(_ISO_639_1)


def language_name(code: str) -> str:
    """The name of a language, in the active language ("fr" -> "French", or "Französisch")."""
    english = _ENGLISH_NAMES.get(code)
    return _localised_name(english) if english else code


def chosen_first(choices, chosen) -> list:
    """Put the languages already chosen at the top of a long list, so people can see them."""
    chosen = set(chosen or [])
    return sorted(choices, key=lambda choice: choice[0] not in chosen)


def language_picker():
    """A <select multiple> that static/js/forms.js turns into a searchable picker (tom-select): 184
    checkboxes were a wall to scroll, and the slowest part of the forms to render. Its words are
    translated here, for the script to use as they are."""
    return FastSelectMultiple(
        attrs={
            "data-searchable": "",
            "data-placeholder": gettext_lazy("Type to find a language"),
            "data-no-results": gettext_lazy("No language by that name"),
            "data-remove": gettext_lazy("Remove"),
            "size": 8,
        }
    )


def site_language_choices() -> list[tuple[str, str]]:
    """The site's languages, each named in its own words ("Español", "العربية"): people look for their own."""
    from django.conf import settings

    return [(code, translation.get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]
