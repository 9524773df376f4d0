"""A Redis cache that fails open: when Redis cannot be reached, reads miss and writes are dropped, with a
warning logged (at most every ``WARN_EVERY`` seconds), instead of every request answering 500.

What the cache holds here can mostly be lost: API throttle histories (an outage lets requests through
rather than refusing everyone), memoised reads. A limit that must hold checks ``is_down`` and refuses
instead (the self check-in's guess counter does). The login lockout does not live in
the cache (django-axes keeps it in the database), so it holds through an outage. ``/healthz`` reports
Redis separately (``ping``).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)
WARN_EVERY = 30.0
# After a failure Redis is not tried again for this long: a Redis that stopped answering (rather than
# refusing connections) would otherwise cost every cache call its socket timeout.
RETRY_AFTER = 5.0


def _unreachable() -> tuple[type[BaseException], ...]:
    import redis

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class FailOpenRedisCache(RedisCache):
    _last_warning = 0.0
    # Per Redis location, shared by the threads' cache objects: until when it is not tried again.
    _down_until: dict[str, float] = {}

    @property
    def _where(self) -> str:
        return ",".join(map(str, self._servers))

    @property
    def is_down(self) -> bool:
        """Whether Redis failed within the last ``RETRY_AFTER`` seconds: a caller whose limit must hold
        (a guess counter) refuses instead of going on without it."""
        return time.monotonic() < FailOpenRedisCache._down_until.get(self._where, 0.0)

    def _down(self, operation: str, exc: BaseException) -> None:
        now = time.monotonic()
        FailOpenRedisCache._down_until[self._where] = now + RETRY_AFTER
        if now - FailOpenRedisCache._last_warning >= WARN_EVERY:
            FailOpenRedisCache._last_warning = now
            logger.warning("Redis unreachable (%s on %s): the cache fails open until it returns",
                           type(exc).__name__, operation)

    def _guard(self, operation: str, call: Any, fallback: Any) -> Any:
        if self.is_down:
            return fallback
        try:
            return call()
        except _unreachable() as exc:
            self._down(operation, exc)
            return fallback

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self._guard("get", lambda: super(FailOpenRedisCache, self).get(key, default, version), default)

    def get_many(self, keys: Any, version: Any = None) -> Any:
        return self._guard("get_many", lambda: super(FailOpenRedisCache, self).get_many(keys, version), {})

    def has_key(self, key: Any, version: Any = None) -> Any:
        return self._guard("has_key", lambda: super(FailOpenRedisCache, self).has_key(key, version), False)

    def add(self, key: Any, value: Any, *args: Any, **kwargs: Any) -> Any:
        return self._guard("add", lambda: super(FailOpenRedisCache, self).add(key, value, *args, **kwargs), False)

    def set(self, key: Any, value: Any, *args: Any, **kwargs: Any) -> Any:
        return self._guard("set", lambda: super(FailOpenRedisCache, self).set(key, value, *args, **kwargs), None)

    def set_many(self, data: Any, *args: Any, **kwargs: Any) -> Any:
        return self._guard("set_many", lambda: super(FailOpenRedisCache, self).set_many(data, *args, **kwargs),
                           list(data))

    def touch(self, key: Any, *args: Any, **kwargs: Any) -> Any:
        return self._guard("touch", lambda: super(FailOpenRedisCache, self).touch(key, *args, **kwargs), False)

    def delete(self, key: Any, version: Any = None) -> Any:
        return self._guard("delete", lambda: super(FailOpenRedisCache, self).delete(key, version), False)

    def delete_many(self, keys: Any, version: Any = None) -> Any:
        return self._guard("delete_many", lambda: super(FailOpenRedisCache, self).delete_many(keys, version), None)

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        # Fails open like the rest: the counter is not kept during the outage.
        return self._guard("incr", lambda: super(FailOpenRedisCache, self).incr(key, delta, version), delta)

    def clear(self) -> Any:
        return self._guard("clear", lambda: super(FailOpenRedisCache, self).clear(), False)

    def ping(self) -> None:
        """Raise when Redis cannot be reached (for /healthz); a success ends the pause after a failure."""
        self._cache.get_client().ping()
        FailOpenRedisCache._down_until.pop(self._where, None)
