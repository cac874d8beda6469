"""The IANA time zones people can choose, and the check that a stored name is one of them."""

import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Links such as "US/Pacific" resolve too, but people should see canonical, city-named zones.
_LEGACY_PREFIXES = ("Etc/", "SystemV/", "US/", "Canada/", "Mexico/", "Brazil/", "Chile/")


@cache
def timezone_choices() -> list[tuple[str, str]]:
    names = sorted(
        name
        for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(_LEGACY_PREFIXES) and name != "localtime"
    )
    return [("UTC", "UTC"), *((name, name.replace("_", " ")) for name in names)]


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(value)s is not a time zone we know. Choose one such as Europe/London."),
            code="invalid_timezone",
            params={"value": value},
        )


def zone_named(name: str) -> zoneinfo.ZoneInfo:
    """The zone of that name; one removed from the tz database since it was chosen falls back to the site's."""
    from django.conf import settings

    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)
