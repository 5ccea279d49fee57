"""`python -m llm_planner demo TASK`: the whole stack on the simulated robot, for one task.

Starts simulated robot, bridge, planner and task server (one process each), sends the task as a
goal of the `execute_task` action, shows it live on stderr (the plan in words, each step, the
robot's pose), optionally draws it (`--plot`), and prints the robot's end state as the last
stdout line.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
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
        view.status(f"ROS_DOMAIN_ID={os.environ['ROS_DOMAIN_ID']}; starting sim_robot, bridge_node, planner_node,"
                    " task_server (the planner loads its model, ~20 s)")
        raise_on_stop_signals()  # SIGHUP, and a SIGINT the shell ignored; rclpy takes SIGINT/SIGTERM over below
        processes = [
            start_node("sim_robot", stdout=log, stderr=log),
            start_node("bridge_node", SIM_BRIDGE, stdout=log, stderr=log),
            start_node("planner_node", {"model_path": model_path} if model_path else None, stdout=log, stderr=log),
            start_node("task_server", stdout=log, stderr=log),
        ]
        interrupted = False
        try:
            with running_client("demo_client") as client:
                result = _follow(client, view, task, timeout_s, plot, processes)
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


def _follow(client, view: LiveView, task: str, timeout_s: float, plot: str | None, processes: list) -> dict | None:
    """Send the task as an `execute_task` goal, show it as it goes, and return the end state (None: no stack)."""
    from llm_planner_interfaces.action import ExecuteTask
    from rclpy.action import ActionClient

    from llm_planner.tools.stack_client import MODEL_READY_S

    action = ActionClient(client, ExecuteTask, "execute_task")
    if not (action.wait_for_server(timeout_sec=60.0) and client.wait_for_planner(MODEL_READY_S, processes)):
        view.message("error: the task server or the planner node did not come up", error=True)
        return None
    client.wait_for_robot(30.0)
    follower = Follower(client, view, plot)
    goal_id: list[str] = []  # the id the task server gave the task, from the first feedback
    outcome: dict = {}
    ended = threading.Event()

    def on_goal(future) -> None:
        handle = future.result()
        if not handle.accepted:
            outcome["state"] = "goal rejected"
            ended.set()
            return
        handle.get_result_async().add_done_callback(lambda f: (outcome.update(result=f.result().result), ended.set()))

    sent = action.send_goal_async(ExecuteTask.Goal(task=task),
                                  feedback_callback=lambda m: goal_id or goal_id.append(m.feedback.plan.id))
    sent.add_done_callback(on_goal)
    deadline = time.monotonic() + timeout_s
    announced = False
    while client.ok() and time.monotonic() < deadline and not ended.is_set():
        if goal_id and not announced:
            view.status(f"execute_task goal accepted as task {goal_id[0]}")
            announced = True
        follower.poll(0.2)
    time.sleep(0.2)  # let the last state arrive
    follower.poll(0.0)
    result = outcome.get("result")
    if client.ok() and not ended.is_set():
        view.message(f"error: no result within {timeout_s:.0f} s", error=True)
        record = follower.book.tasks.get(goal_id[0]) if goal_id else None
        if record is not None:
            follower.plot(record)
    plan = client.plans.get(goal_id[0]) if goal_id else None
    return {**client.pose(), "plan": plan, "ok": result is not None and result.success}
