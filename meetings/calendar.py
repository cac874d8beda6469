"""A meeting as calendars see it: the .ics each person gets (meetings.ics writes the file), the "add to
Google / Outlook" links, and each person's private feed."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.emails import absolute_url
from accounts.models import User

from . import ics
from .models import CalendarFeed, Meeting

FEED_TOKEN_BYTES = 32
_UTC = datetime.UTC
_STAMP = "%Y%m%dT%H%M%SZ"


def _domain() -> str:
    return settings.MEETINGS_FROM_EMAIL.rsplit("@", 1)[-1]


def _summary(others: list[str]) -> str:
    return _("Mentoring meeting with %(names)s") % {"names": ", ".join(others)}


def _where(meeting: Meeting) -> str:
    from .services import policy_of, video_link

    if meeting.mode == Meeting.Mode.VIDEO:
        return video_link(meeting)
    if meeting.mode == Meeting.Mode.PHONE:
        return _("Phone call: %(how)s") % {"how": policy_of(meeting.match).phone_arrangements}
    return meeting.place


def _description(meeting: Meeting) -> str:
    url = absolute_url(reverse("meetings:meeting", args=[meeting.pk]))
    lines = [_("Arranged on %(platform)s: %(url)s") % {"platform": settings.PLATFORM_NAME, "url": url}]
    agenda = [item.text for item in meeting.items.all() if item.kind == "agenda"]
    if agenda:
        lines += ["", _("Agenda:"), *(f"- {text}" for text in agenda)]
    return "\n".join(lines)


def event_of(meeting: Meeting, others: list[str]) -> ics.CalendarEvent:
    return ics.CalendarEvent(
        uid=f"{meeting.uid}@{_domain()}",
        sequence=meeting.sequence,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=_summary(others),
        description=_description(meeting),
        location=_where(meeting),
        url=absolute_url(reverse("meetings:meeting", args=[meeting.pk])),
        cancelled=meeting.status == Meeting.Status.CANCELLED,
    )


def organizer() -> ics.Party:
    return ics.Party(settings.PLATFORM_NAME, settings.MEETINGS_FROM_EMAIL)


def invitation_for(meeting: Meeting, person: User, others: list[str]) -> str:
    return ics.invitation(event_of(meeting, others), organizer(), ics.Party(person.display_name, person.email),
                          timezone.now(), settings.PLATFORM_NAME)  # fmt: skip


def google_link(meeting: Meeting, others: list[str]) -> str:
    event = event_of(meeting, others)
    dates = f"{event.starts_at.astimezone(_UTC).strftime(_STAMP)}/{event.ends_at.astimezone(_UTC).strftime(_STAMP)}"
    query = {"action": "TEMPLATE", "text": event.summary, "dates": dates, "details": event.description,
             "location": event.location}  # fmt: skip
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_link(meeting: Meeting, others: list[str]) -> str:
    event = event_of(meeting, others)
    query = {"path": "/calendar/action/compose", "rru": "addevent", "subject": event.summary,
             "startdt": event.starts_at.astimezone(_UTC).isoformat().replace("+00:00", "Z"),
             "enddt": event.ends_at.astimezone(_UTC).isoformat().replace("+00:00", "Z"),
             "body": event.description, "location": event.location}  # fmt: skip
    return "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(query)


def new_feed_token(user: User) -> str:
    """A new secret for the person's feed; the old link stops working. Shown once: only its hash is kept."""
    token = secrets.token_urlsafe(FEED_TOKEN_BYTES)
    CalendarFeed.objects.update_or_create(user=user, defaults={"token_hash": _hash(token)})
    return token


def revoke_feed(user: User) -> None:
    CalendarFeed.objects.filter(user=user).delete()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_owner(token: str) -> User | None:
    feed = CalendarFeed.objects.filter(token_hash=_hash(token)).select_related("user").first()
    return feed.user if feed and feed.user.is_active else None


def feed_for(user: User) -> str:
    """Every agreed meeting of the person's matches, cancelled ones marked so (calendars then drop them)."""
    meetings = (
        Meeting.objects.filter(match__members__user=user, starts_at__isnull=False)
        .exclude(status=Meeting.Status.AWAITING_APPROVAL)
        .select_related("match__programme__meeting_policy")
        .prefetch_related("items", "match__members__user")
        .order_by("starts_at")
        .distinct()
    )
    items = []
    for meeting in meetings:
        others = [m.user.display_name for m in meeting.match.members.all() if m.user_id != user.pk]
        items.append(event_of(meeting, others))
    return ics.feed(
        items, organizer(), timezone.now(), _("%(platform)s meetings") % {"platform": settings.PLATFORM_NAME}
    )
