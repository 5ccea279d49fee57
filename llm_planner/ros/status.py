"""Status events and plan messages on the ROS topics: one JSON object per message."""

from __future__ import annotations

import json
import time


def status_event(state: str, task_id: str | None, task: str | None = None, step: int | None = None,
                 reason: str | None = None, detail: str = "", latency_s: float | None = None) -> str:
    """The status event of DESIGN.md, as the JSON text to publish."""
    return json.dumps({
        "stamp": time.time(), "id": task_id, "task": task, "state": state, "step": step,
        "reason": reason, "detail": detail, "latency_s": latency_s,
    }, ensure_ascii=False)
