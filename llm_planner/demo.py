"""`python -m llm_planner demo TASK`: the whole stack on the simulated robot, for one task.

Starts simulated robot, bridge and planner (one process each), sends the task, follows
it live on stderr, and prints the robot's end state as the last stdout line.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time

from llm_planner.bringup import start_node, stop_all


def _isolate_dds() -> None:
    """A private DDS domain on this machine unless the user chose one."""
    os.environ.setdefault("ROS_DOMAIN_ID", str(random.SystemRandom().randint(1, 100)))
    os.environ.setdefault("ROS_AUTOMATIC_DISCOVERY_RANGE", "LOCALHOST")


def run_demo(task: str, model_path: str | None = None, timeout_s: float = 180.0) -> int:
    _isolate_dds()
    from llm_planner.stack_client import running_client

    print(f"demo: ROS_DOMAIN_ID={os.environ['ROS_DOMAIN_ID']}; starting sim_robot, bridge_node, planner_node",
          file=sys.stderr)
    processes = [
        start_node("sim_robot"),
        start_node("bridge_node"),
        start_node("planner_node", {"model_path": model_path} if model_path else None),
    ]
    try:
        with running_client("demo_client") as client:
            result = _follow(client, task, timeout_s)
    finally:
        stop_all(processes)
    if result is None:
        return 2
    print(json.dumps(result, ensure_ascii=False))
    return 0 if result["ok"] else 1


def _follow(client, task: str, timeout_s: float) -> dict | None:
    """Send the task, show its events as they come, and return the end state (None: no planner)."""
    if not client.wait_for_planner(60.0):
        print("demo: error: the planner node did not come up", file=sys.stderr)
        return None
    client.wait_for(lambda c: c.state is not None, 30.0)
    task_id = f"demo-{int(time.time())}"
    shown = 0
    client.send_task(task, task_id)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and client.final_event(task_id) is None:
        client.wait_for(lambda c, n=shown: len(c.events) > n, 0.5)
        for event in client.events[shown:]:
            latency = f" in {event['latency_s']:.2f} s" if event.get("latency_s") else ""
            print(f"demo: {event['topic']}: {event['state']}{latency} step={event['step']} "
                  f"{event['reason'] or ''} {event['detail']}", file=sys.stderr)
        shown = len(client.events)
    final = client.final_event(task_id)
    if final is None:
        print(f"demo: error: no final event within {timeout_s:.0f} s", file=sys.stderr)
    if client.first_motion is not None:
        print(f"demo: first motion request {client.first_motion - client.sent_at:.3f} s after the task",
              file=sys.stderr)
    time.sleep(0.2)  # let the last state arrive
    ok = final is not None and final["state"] == "completed"
    return {**client.pose(), "plan": client.plans.get(task_id), "ok": ok}
