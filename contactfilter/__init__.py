"""The contact filter: finds e-mail addresses, phone numbers, links and messenger handles in what people
write, however they disguise them. Plain Python (no models, no settings): every app may use it."""

from .detector import KINDS, MAX_FINDINGS_PER_KIND, Finding, find_contact_details


def warm_up() -> None:
    """Build the look-alike table and the list of domains now (~0.15 s), not while the first sender waits."""
    find_contact_details("warm up: jo.smith\uff20example\uff0ecom, 07700 900123")


__all__ = ["KINDS", "MAX_FINDINGS_PER_KIND", "Finding", "find_contact_details", "warm_up"]
