"""`python -m llm_planner demo TASK`: the whole stack on the simulated robot, for one task.

Starts simulated robot, bridge and planner (one process each), sends the task, shows it
live on stderr (the plan in words, each step, the robot's pose), optionally draws it
(`--plot`), and prints the robot's end state as the last stdout line.
"""

from __future__ import annotations

import json
import os
import tempfile
import time

from llm_planner.tools.bringup import SIM_BRIDGE, isolate_dds, raise_on_stop_signals, start_node, stop_all
from llm_planner.tools.live_view import LiveView
from llm_planner.tools.watch import Follower


def run_demo(task: str, model_path: str | None = None, timeout_s: float = 180.0, plot: str | None = None) -> int:
    isolate_dds(keep_existing=True)
    from llm_planner.tools.stack_client import running_client

    view = LiveView("demo")
    # The nodes' logs would tear through a live view: on a terminal they go to a file instead.
    log = None
    if view.live:
        log = tempfile.NamedTemporaryFile("w", prefix="llm_planner_demo_", suffix=".log", delete=False)
    with view:
        view.status(f"ROS_DOMAIN_ID={os.environ['ROS_DOMAIN_ID']}; starting sim_robot, bridge_node, planner_node"
                    " (the planner loads its model, ~20 s)")
        raise_on_stop_signals()  # SIGHUP, and a SIGINT the shell ignored; rclpy takes SIGINT/SIGTERM over below
        processes = [
            start_node("sim_robot", stdout=log, stderr=log),
            start_node("bridge_node", SIM_BRIDGE, stdout=log, stderr=log),
            start_node("planner_node", {"model_path": model_path} if model_path else None, stdout=log, stderr=log),
        ]
        interrupted = False
        try:
            with running_client("demo_client") as client:
                result = _follow(client, view, task, timeout_s, plot)
                interrupted = not client.ok()
        except KeyboardInterrupt:
            result, interrupted = None, True
        finally:
            view.status("stopping the nodes")
            stop_all(processes)
    if log is not None:
        log.close()
        view.message(f"node logs: {log.name}")
    if interrupted:
        view.message("interrupted; the nodes are stopped", error=True)
        return 130
    if result is None:
        return 2
    print(json.dumps(result, ensure_ascii=False))
    return 0 if result["ok"] else 1


def _follow(client, view: LiveView, task: str, timeout_s: float, plot: str | None) -> dict | None:
    """Send the task, show it as it goes, and return the end state (None: no planner)."""
    if not client.wait_for_planner(60.0):
        view.message("error: the planner node did not come up", error=True)
        return None
    client.wait_for(lambda c: c.state is not None, 30.0)
    task_id = f"demo-{int(time.time())}"
    follower = Follower(client, view, plot)
    view.status(f"task sent as {task_id}")
    client.send_task(task, task_id)
    deadline = time.monotonic() + timeout_s
    record = None
    while client.ok() and time.monotonic() < deadline and not (record is not None and record.ended):
        follower.poll(0.2)
        record = follower.book.tasks.get(task_id)
    time.sleep(0.2)  # let the last state arrive
    follower.poll(0.0)
    if client.ok() and (record is None or not record.ended):
        view.message(f"error: no final event within {timeout_s:.0f} s", error=True)
        if record is not None:
            follower.plot(record)
    ok = record is not None and record.outcome == "completed"
    return {**client.pose(), "plan": client.plans.get(task_id), "ok": ok}
