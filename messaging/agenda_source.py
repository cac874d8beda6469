"""Messages a meeting's agenda can be picked from (registered with meetings.extensions): the latest
delivered messages of the match's conversations the person takes part in, by their one-line preview."""

from __future__ import annotations

from .models import Message


def _readable(match, user):
    return Message.objects.filter(
        conversation__match=match, conversation__participants__user=user, status__in=Message.DELIVERED
    ).exclude(preview="")


def recent(match, user, limit: int) -> list[dict]:
    rows = _readable(match, user).select_related("sender").order_by("-created_at", "-pk")[:limit]
    return [{"id": m.pk, "author": m.sender.display_name, "sent_at": m.created_at, "text": m.preview} for m in rows]


def by_id(match, user, ids) -> dict[int, str]:
    wanted = [int(pk) for pk in ids if str(pk).isdigit()][:20]
    return dict(_readable(match, user).filter(pk__in=wanted).order_by("created_at", "pk").values_list("pk", "preview"))
