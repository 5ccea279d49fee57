"""Status events on `planner/status` and `bridge/status`: llm_planner_interfaces/StatusEvent.

Inside the nodes and tools an event is a dict (DESIGN.md's fields, None where there is none); on
the wire "none" is "" for text, -1 for the step and NaN for the latency, as StatusEvent.msg says.
"""

from __future__ import annotations

import math
import time

from llm_planner_interfaces.msg import StatusEvent


def status_event(state: str, task_id: str | None, task: str | None = None, step: int | None = None,
                 reason: str | None = None, detail: str = "", latency_s: float | None = None) -> StatusEvent:
    """The status event of DESIGN.md, as the message to publish."""
    return StatusEvent(stamp=time.time(), id=task_id or "", task=task or "", state=state,
                       step=-1 if step is None else step, reason=reason or "", detail=detail,
                       latency_s=math.nan if latency_s is None else float(latency_s))


def event_fields(msg: StatusEvent) -> dict:
    """The event a message carries, as a dict with None for the fields it leaves empty."""
    return {"stamp": msg.stamp, "id": msg.id or None, "task": msg.task or None, "state": msg.state,
            "step": None if msg.step < 0 else msg.step, "reason": msg.reason or None, "detail": msg.detail,
            "latency_s": None if math.isnan(msg.latency_s) else msg.latency_s}
