"""The platform's default content is translated when shown; anything else is shown as written."""

from django.utils import translation

from ui.content import in_reader_language


def test_a_default_text_is_shown_in_the_readers_language():
    with translation.override("fr"):
        assert in_reader_language("Staying safe") == "Rester en sécurité"
    with translation.override("en"):
        assert in_reader_language("Staying safe") == "Staying safe"


def test_a_coordinators_own_text_is_shown_as_written():
    with translation.override("es"):
        assert in_reader_language("Nuestra propia revisión de las dos semanas") == (
            "Nuestra propia revisión de las dos semanas"
        )
        assert in_reader_language("Staying safe, our way") == "Staying safe, our way"


def test_an_empty_text_stays_empty_rather_than_becoming_the_catalogues_header():
    with translation.override("ar"):
        assert in_reader_language("") == ""
