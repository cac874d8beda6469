import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ui.dates import local_date

register = template.Library()


@register.filter
def usually_replies(seconds) -> str:
    """ "usually replies within a day": a person's typical response time in words."""
    if seconds is None:
        return ""
    hours = seconds / 3600
    if hours <= 1:
        return _("usually replies within an hour")
    if hours <= 6:
        return _("usually replies within a few hours")
    if hours <= 24:
        return _("usually replies within a day")
    days = int(-(-hours // 24))
    if days <= 7:
        return ngettext("usually replies within %(days)d day", "usually replies within %(days)d days", days) % {
            "days": days
        }
    return _("usually takes more than a week to reply")


@register.filter
def waited(since) -> str:
    """How long something has been waiting: "3 hours", "2 days"."""
    if since is None:
        return ""
    delta = timezone.now() - since
    if delta < datetime.timedelta(hours=1):
        return _("less than an hour")
    if delta < datetime.timedelta(days=1):
        hours = int(delta.total_seconds() // 3600)
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    days = delta.days
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


@register.filter
def away_now(user) -> bool:
    """Away today (in the viewer's zone, as the thread page's cache key counts it)."""
    return user.away_until is not None and user.away_until >= timezone.localdate()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def names_except(participants, user) -> str:
    """The other people in a conversation, by display name: "Doreen Okafor, Tomás Herrera"."""
    return ", ".join(p.user.display_name for p in participants if p.user_id != user.pk)


@register.filter
def first_other(participants, user):
    """The first other person in a conversation (their avatar stands for the conversation in the inbox)."""
    return next((p.user for p in participants if p.user_id != user.pk), None)


@register.filter
def owed_words(participant) -> str:
    """What the dashboard says of a reply this person owes, in their zone: "You owe Sam a reply · due
    Thursday", "… · overdue since Monday", or the day they promised."""
    names = names_except(getattr(participant.conversation, "everyone", []), participant.user)
    if participant.promised_reply_by:
        return _("You owe %(names)s a reply · you promised it by %(day)s") % {
            "names": names,
            "day": _day(participant.promised_reply_by),
        }
    due = participant.reply_due_at
    if due is None:
        return _("You owe %(names)s a reply") % {"names": names}
    if due < timezone.now():
        return _("You owe %(names)s a reply · overdue since %(day)s") % {"names": names, "day": _day(due)}
    return _("You owe %(names)s a reply · due %(day)s") % {"names": names, "day": _day(due)}


def _day(moment) -> str:
    """A day in words near today ("today", "tomorrow", "Thursday"), else its date ("3 March")."""
    day = timezone.localtime(moment).date() if isinstance(moment, datetime.datetime) else moment
    distance = (day - timezone.localdate()).days
    if distance == 0:
        return _("today")
    if distance == 1:
        return _("tomorrow")
    if distance == -1:
        return _("yesterday")
    if -6 <= distance <= 6:
        return date_format(day, "l")
    return local_date(day, "j F")
