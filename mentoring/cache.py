"""The shared cache that sign-in rate limits and message limits are counted in: Redis, and the
database while Redis is unreachable.

allauth counts failed logins in Django's cache and raises when the cache does: with Redis down,
signing in was a server error. Falling back to a local memory would keep people signing in but
count each process apart (an attacker's guesses spread over four processes get four times the
tries); the database is shared by every process, so the limits hold exactly as before, only
slower. After a failure Redis is left alone for RETRY_AFTER seconds, so that a request does not
wait for a dead server on every call.
"""

from __future__ import annotations

import logging
import time

import redis
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

logger = logging.getLogger(__name__)

# When each primary cache (by its location) may be tried again: shared by every thread of a process.
_DOWN_UNTIL: dict[str, float] = {}
_UNREACHABLE = (redis.RedisError, OSError)


class FailoverCache(BaseCache):
    """OPTIONS: PRIMARY and FALLBACK (the aliases of two other caches), RETRY_AFTER (seconds, default 15)."""

    def __init__(self, location, params):
        options = dict(params.get("OPTIONS", {}))
        self.primary_alias = options.pop("PRIMARY")
        self.fallback_alias = options.pop("FALLBACK")
        self.retry_after = float(options.pop("RETRY_AFTER", 15))
        super().__init__({**params, "OPTIONS": options})

    def _call(self, method: str, *args, **kwargs):
        primary = caches[self.primary_alias]
        where = str(getattr(primary, "_servers", self.primary_alias))
        if time.monotonic() >= _DOWN_UNTIL.get(where, 0):
            try:
                return getattr(primary, method)(*args, **kwargs)
            except _UNREACHABLE as error:
                _DOWN_UNTIL[where] = time.monotonic() + self.retry_after
                logger.warning("Cache %s unreachable (%s): counting in the database for now", where, error)
        return getattr(caches[self.fallback_alias], method)(*args, **kwargs)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def clear(self):
        return self._call("clear")
