"""Initials avatars. No photographs: many mentees are children, and a face is the first thing a
safeguarding lead would ask us not to show to strangers. The colour follows the person (their id), so
the same person looks the same everywhere; every colour carries white text at AA contrast or better."""

from django.utils.html import format_html

HUES = 8  # .avatar-0 … .avatar-7 in static/css/site.css


def initials(name: str) -> str:
    words = [word for word in name.replace("-", " ").split() if word[:1].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def avatar(person, size: str = "") -> str:
    name = getattr(person, "display_name", "") or ""
    hue = (getattr(person, "pk", 0) or 0) % HUES
    classes = f"avatar avatar-{hue}" + (f" avatar-{size}" if size else "")
    return format_html('<span class="{}" aria-hidden="true">{}</span>', classes, initials(name))
