from django import template
from django.conf import settings
from django.template import defaultfilters
from django.utils.safestring import mark_safe

from ui import avatars, content, dates, icons, theme

register = template.Library()


@register.simple_tag
def icon(name, label="", css_class=""):
    """{% icon "bell" %}, or {% icon "bell" _("Notifications") %} where the icon alone says it."""
    return icons.icon(name, label, css_class)


@register.simple_tag
def avatar(person, size=""):
    """{% avatar message.sender %}: the person's initials in their colour (decorative: the name is beside it)."""
    return avatars.avatar(person, size)


@register.filter
def in_reader_language(text):
    """{{ module.title|in_reader_language }}: a platform default in the reader's language (see ui/content.py)."""
    return content.in_reader_language(text)


@register.filter(expects_localtime=True)
def local_date(value, pattern):
    """{{ when|local_date:"l j F, H:i" }}: Django's `date` in the order the reader's language writes (ui/dates.py)."""
    # The template has already put the value in the viewer's zone (or another, by the |timezone filter).
    return defaultfilters.date(value, dates.local_pattern(pattern))


@register.simple_tag
def platform_name():
    return settings.PLATFORM_NAME


@register.simple_tag
def theme_script():
    """The colour-scheme script, inline (its hash is in the CSP: see ui/theme.py)."""
    return mark_safe(f"<script>{theme.source()}</script>")  # noqa: S308 - our own file, byte for byte
