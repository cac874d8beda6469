"""This week's prompt for a pair: the match's week since it started, in the first active guide its
programme uses that has a prompt for that week."""

from __future__ import annotations

import datetime

from django.utils import timezone

from .models import Prompt


def week_of(match, now: datetime.datetime | None = None) -> int | None:
    if match.activated_at is None:
        return None
    return ((now or timezone.now()) - match.activated_at).days // 7 + 1


def prompt_for(match, now: datetime.datetime | None = None) -> Prompt | None:
    week = week_of(match, now)
    if week is None:
        return None
    return (
        Prompt.objects.filter(week=week, guide__is_active=True, guide__programmes=match.programme_id)
        .order_by("guide__name")
        .first()
    )
