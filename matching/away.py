"""What away mode means for matching: requests waiting for someone away do not expire while they are
away, and a pair one of whom is away for longer than three weeks is marked at risk for coordinators."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from accounts.models import User

from .models import Match, MatchMember, Role

REQUEST_GRACE_DAYS = 3  # after coming back, to answer what waited
AWAY_TOO_LONG_DAYS = 21


def away_changed(user: User) -> None:
    ends = user.away_ends_at
    if ends is None or ends <= timezone.now():  # back: nothing to hold open
        return
    # Requests to them wait: each open one lasts until a few days after they come back.
    waiting = Match.objects.filter(
        status=Match.Status.PROPOSED,
        source=Match.Source.REQUEST,
        members__user=user,
        members__role=Role.MENTOR,
    ).filter(Q(expires_at__isnull=True) | Q(expires_at__lt=ends + datetime.timedelta(days=REQUEST_GRACE_DAYS)))
    waiting.update(expires_at=ends + datetime.timedelta(days=REQUEST_GRACE_DAYS))
    if ends - timezone.now() > datetime.timedelta(days=AWAY_TOO_LONG_DAYS):
        from .services import mark_at_risk

        current = MatchMember.objects.filter(user=user, match_status__in=Match.CURRENT).select_related("match")
        for member in current:
            mark_at_risk(member.match, Match.AtRisk.AWAY)
