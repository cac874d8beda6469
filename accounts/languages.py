"""Languages people can say they speak: Django's list, which is translated and well known."""

from django.conf.global_settings import LANGUAGES as ALL_LANGUAGES

# Regional variants ("en-gb", "zh-hans") are noise when saying which languages one speaks.
SPOKEN_LANGUAGE_CHOICES = sorted(
    ((code, name) for code, name in ALL_LANGUAGES if "-" not in code),
    key=lambda choice: str(choice[1]),
)
