"""Token-bucket rate limits per conversation and per client address, in memory.

One web app process serves a commune or a province; limits in its memory are enough and
need no extra service. Buckets idle long enough to be full again are forgotten.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from typing import Callable


class RateLimiter:
    """``count`` requests per ``seconds`` per key, in bursts of up to ``count``.

    ``hit(key)`` spends one token; it returns 0 when allowed, else the seconds to wait."""

    def __init__(
        self, count: int, seconds: int, max_keys: int = 100_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.count = count
        self.seconds = seconds
        self.max_keys = max_keys
        self.clock = clock
        self._per_second = count / seconds
        # key -> (tokens, time of last update); oldest first, so eviction is cheap.
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def hit(self, key: str) -> int:
        now = self.clock()
        tokens, then = self._buckets.pop(key, (float(self.count), now))
        tokens = min(float(self.count), tokens + (now - then) * self._per_second)
        if tokens >= 1.0:
            tokens -= 1.0
            wait = 0
        else:
            wait = max(1, math.ceil((1.0 - tokens) / self._per_second))
        self._buckets[key] = (tokens, now)
        self._forget(now)
        return wait

    def _forget(self, now: float) -> None:
        """Drop buckets that are full again (they behave like new ones), and cap the memory."""
        refill = self.seconds
        while self._buckets:
            key, (_, then) = next(iter(self._buckets.items()))
            if now - then < refill and len(self._buckets) <= self.max_keys:
                break
            del self._buckets[key]

    def __len__(self) -> int:
        return len(self._buckets)
