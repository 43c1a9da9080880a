"""What the Slack emulator can be told to get wrong: failed methods, 429s (every n-th call, or
for a window of time, each with ``Retry-After``), slow answers, and errors for one channel."""

import math
import time
from dataclasses import dataclass, field
from typing import Any

Params = dict[str, Any]
# Status, answer body and headers, as the emulator sends them.
Refusal = tuple[int, Params, dict[str, str]]
# The methods that act on one channel, which a channel's error applies to.
CHANNEL_METHODS = frozenset({"chat.postMessage", "chat.update", "conversations.history"})


@dataclass
class _Failure:
    error: str
    status: int
    remaining: int | None  # None: until healed


@dataclass
class _RateLimit:
    every: int
    retry_after: int
    seen: int = 0
    then: tuple[int, ...] = ()  # the Retry-After of successive 429s; the last one repeats
    refused: int = 0

    def wait(self) -> int:
        self.refused += 1
        if not self.then:
            return self.retry_after
        return self.then[min(self.refused, len(self.then)) - 1]


@dataclass
class _Window:
    ends: float  # time.monotonic()
    retry_after: int | None  # None: the whole seconds left in the window


@dataclass
class Faults:
    failures: dict[str, _Failure] = field(default_factory=dict)
    rate_limits: dict[str, _RateLimit] = field(default_factory=dict)
    windows: dict[str, _Window] = field(default_factory=dict)
    latency: dict[str, float] = field(default_factory=dict)
    channel_errors: dict[str, str] = field(default_factory=dict)

    def fail(self, method: str, error: str, status: int, times: int | None) -> None:
        self.failures[method] = _Failure(error, status, times)

    def rate_limit(
        self, method: str, every: int, retry_after: int, then: tuple[int, ...] = ()
    ) -> None:
        self.rate_limits[method] = _RateLimit(every, retry_after, then=then)

    def rate_limit_window(self, method: str, seconds: float, retry_after: int | None) -> None:
        self.windows[method] = _Window(time.monotonic() + seconds, retry_after)

    def heal(self, method: str) -> None:
        self.failures.pop(method, None)
        self.rate_limits.pop(method, None)
        self.windows.pop(method, None)
        self.latency.pop(method, None)

    def refusal(self, method: str, params: Params) -> Refusal | None:
        """How Slack refuses this call, if it is told to; None to answer it normally."""
        return (
            self._rate_limited(method)
            or self._windowed(method)
            or self._failed(method)
            or self._channel_error(method, params)
        )

    def _rate_limited(self, method: str) -> Refusal | None:
        limit = self.rate_limits.get(method)
        if limit is None:
            return None
        limit.seen += 1
        return _too_many(limit.wait()) if limit.seen % limit.every == 0 else None

    def _windowed(self, method: str) -> Refusal | None:
        window = self.windows.get(method)
        left = window.ends - time.monotonic() if window is not None else 0.0
        if window is None or left <= 0:
            return None
        retry_after = window.retry_after
        return _too_many(retry_after if retry_after is not None else math.ceil(left))

    def _failed(self, method: str) -> Refusal | None:
        failure = self.failures.get(method)
        if failure is None:
            return None
        if failure.remaining is not None:
            failure.remaining -= 1
            if failure.remaining <= 0:
                del self.failures[method]
        return failure.status, error(failure.error), {}

    def _channel_error(self, method: str, params: Params) -> Refusal | None:
        problem = self.channel_errors.get(str(params.get("channel", "")))
        if problem and method in CHANNEL_METHODS:
            return 200, error(problem), {}
        return None


def _too_many(retry_after: int) -> Refusal:
    return 429, error("ratelimited"), {"Retry-After": str(retry_after)}


def error(code: str) -> Params:
    return {"ok": False, "error": code}
