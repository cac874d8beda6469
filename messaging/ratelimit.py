"""A per-person limit on messages sent, counted in the shared cache (Redis, or the database while it is down)."""

import logging
import time

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


def allow_message(user) -> bool:
    """True while this person has sent fewer than MESSAGES_PER_HOUR messages this hour.

    Fails open: if neither Redis nor the database can count, people can still write (the limit is a
    brake on abuse, not a safety mechanism; moderation and reporting still apply).
    """
    window = int(time.time() // 3600)
    key = f"message-rate:{user.pk}:{window}"
    try:
        cache.add(key, 0, timeout=3700)
        return cache.incr(key) <= settings.MESSAGES_PER_HOUR
    except Exception:
        logger.warning("Message rate limit unavailable; allowing the message", exc_info=True)
        return True
