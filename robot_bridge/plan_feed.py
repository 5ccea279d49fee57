"""A plan whose steps may still be arriving: the planner streams valid prefixes (final=false).

The running plan's thread takes step k as soon as it has arrived; the feed ends when the
final message came and every step was taken, and fails when no step comes for too long.
Stream updates must extend what was sent before, never change it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence

from llm_planner.plan.schema import Step


class FeedError(RuntimeError):
    """The stream broke its contract or stalled; `reason` is machine-readable."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


class PlanFeed:
    def __init__(self, steps: Sequence[Step], final: bool, stall_timeout_s: float = 10.0) -> None:
        self._steps = list(steps)
        self._final = final
        self._changed = threading.Condition()
        self.stall_timeout_s = stall_timeout_s

    @property
    def steps(self) -> list[Step]:
        with self._changed:
            return list(self._steps)

    @property
    def final(self) -> bool:
        return self._final

    def update(self, steps: Sequence[Step], final: bool) -> None:
        """A newer message for the same plan; raises FeedError if it rewrites earlier steps."""
        with self._changed:
            if list(steps[: len(self._steps)]) != self._steps:
                raise FeedError("plan_changed", "a streamed plan changed steps already sent")
            self._steps = list(steps) if len(steps) > len(self._steps) else self._steps
            self._final = self._final or final
            self._changed.notify_all()

    def __iter__(self) -> Iterator[Step]:
        """Steps in order, waiting for streamed ones; raises FeedError when the stream stalls."""
        index = 0
        while True:
            with self._changed:
                deadline = time.monotonic() + self.stall_timeout_s
                while index >= len(self._steps) and not self._final:
                    if not self._changed.wait(max(0.0, deadline - time.monotonic())):
                        raise FeedError("plan_incomplete", f"no further steps for {self.stall_timeout_s} s")
                if index >= len(self._steps):
                    return
                step = self._steps[index]
            yield step
            index += 1
