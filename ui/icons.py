"""Bootstrap Icons, inlined: each page carries the few icons it shows (no icon font or sprite to fetch,
nothing for the CSP to allow). The SVG files are vendored from npm under static/vendor/bootstrap-icons/."""

import functools
import re

from django.contrib.staticfiles import finders
from django.utils.html import format_html
from django.utils.safestring import mark_safe

FOLDER = "vendor/bootstrap-icons"
_NAME = re.compile(r"^[a-z0-9-]+$")
_OPENING = re.compile(r"<svg[^>]*>")


# Icons that point along the line of text (an arrow out, a reply, a paper plane, a speech bubble's tail):
# mirrored on right-to-left pages by site.css (.bi-directional), as Bootstrap's RTL guide advises.
DIRECTIONAL = {"box-arrow-right", "reply-fill", "send", "chat-left-text", "chat-quote"}


class UnknownIcon(LookupError):
    pass


@functools.cache
def _inner_svg(name: str) -> str:
    """The icon's drawing (the paths inside its <svg>), read once per process."""
    path = finders.find(f"{FOLDER}/{name}.svg") if _NAME.match(name) else None
    if not path:
        raise UnknownIcon(f"No icon {name!r} in static/{FOLDER}: copy it from npm's bootstrap-icons (README there).")
    with open(path, encoding="utf-8") as svg:
        return _OPENING.sub("", svg.read(), count=1).replace("</svg>", "").strip()


def icon(name: str, label: str = "", css_class: str = "") -> str:
    """An inline SVG icon: decorative (hidden from screen readers) unless it has a label of its own."""
    drawing = mark_safe(_inner_svg(name))  # noqa: S308 - our vendored file, never anyone's input
    classes = f"bi bi-{name}{' bi-directional' if name in DIRECTIONAL else ''} {css_class}".strip()
    # Named for screen readers when labelled; otherwise hidden from them (the text beside it says it).
    speaks = format_html('role="img" aria-label="{}"', label) if label else mark_safe('aria-hidden="true"')
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="{}" width="1em" height="1em" fill="currentColor" '
        'viewBox="0 0 16 16" {} focusable="false">{}</svg>',
        classes, speaks, drawing,
    )  # fmt: skip
