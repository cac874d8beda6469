from django import template
from django.utils import dateformat

from ..models import Match, Role

register = template.Library()


@register.filter
def close_reason_label(code: str) -> str:
    """The reason a match closed, in the reader's language (e-mails store the code)."""
    try:
        return Match.CloseReason(code).label
    except ValueError:
        return code


@register.filter
def role_label(code: str) -> str:
    try:
        return Role(code).label
    except ValueError:
        return code


@register.filter
def local_clock(user) -> str:
    """What the clock says for this person now ("Sat 21:40"), in their own time zone.

    Formatted here: the `date` filter would convert the time into the viewer's zone.
    """
    moment = user.local_now()
    return f"{dateformat.format(moment, 'D')} {moment:%H:%M}"
