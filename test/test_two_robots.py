"""Two robots side by side on one DDS graph, and run-time parameters, without the launch system.

Each robot is a whole stack (planner with the real model, bridge, simulated robot) in
its own namespace, started the way `python -m llm_planner bringup --namespace` does.
Each gets a different task; each must do its own and nothing of the other's. The
second test changes a bridge limit at run time through the parameter services, as
`ros2 param set` does, and watches the motion commands obey it.
"""

from __future__ import annotations

import math
import time

import pytest
from rclpy.parameter import Parameter
from rclpy.parameter_client import AsyncParameterClient

from llm_planner.tools.bringup import SIM_BRIDGE, start_node, stop_all
from llm_planner.tools.stack_client import MODEL_READY_S

TASKS = {"r1": ("r1-walk", "walk forward 1 meter"), "r2": ("r2-turn", "turn left 90 degrees")}
SIM = {"stand_up_duration_s": 0.5}
PLANNER = {"n_threads": 1}  # two planners on a small machine: one thread each, not four on two cores


def _result(future, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while not future.done():
        assert time.monotonic() < deadline, "parameter service did not answer"
        time.sleep(0.02)
    return future.result()


@pytest.mark.model
def test_two_namespaced_robots_do_their_own_tasks(stack_clients):
    processes = []
    for ns in TASKS:
        processes += [start_node("sim_robot", SIM, namespace=ns), start_node("bridge_node", SIM_BRIDGE, namespace=ns),
                      start_node("planner_node", PLANNER, namespace=ns)]
    try:
        clients = {ns: stack_clients(ns) for ns in TASKS}
        for ns, client in clients.items():
            assert client.wait_for_planner(MODEL_READY_S, processes), f"/{ns}/planner_node never subscribed"
            assert client.wait_for_robot(30.0), f"no /{ns}/odom"
            assert client.state["fsm_id"] == 1, "each simulated robot starts damped"
        for ns, (task_id, task) in TASKS.items():
            clients[ns].send_task(task, task_id)
        for ns, (task_id, _task) in TASKS.items():
            assert clients[ns].wait_for(lambda c, i=task_id: c.final_event(i) is not None, 120.0), clients[ns].events
            assert clients[ns].final_event(task_id)["state"] == "completed", clients[ns].events
        for client in clients.values():
            assert client.wait_for(lambda c: max(abs(v) for v in c.state["velocity"]) < 0.01, 5.0)

        walker, turner = clients["r1"].pose(), clients["r2"].pose()
        assert math.hypot(walker["x"] - 1.0, walker["y"]) <= 0.1 and abs(walker["yaw_deg"]) <= 5.0, walker
        assert math.hypot(turner["x"], turner["y"]) <= 0.05 and abs(turner["yaw_deg"] - 90.0) <= 5.0, turner
        for ns, (task_id, _task) in TASKS.items():
            events = clients[ns].events
            # every task event is this robot's own (the bridge also says things of no task: its odometry session)
            assert {e["id"] for e in events if e["topic"] == "bridge/status" and e["id"]} == {task_id}, events
            assert {e["id"] for e in events if e["topic"] == "planner/status"} == {task_id}, events
            assert set(clients[ns].plans) == {task_id}, clients[ns].plans
        node = clients["r1"]
        foreign = [name for name, _types in node.get_topic_names_and_types()
                   if not name.startswith(("/r1/", "/r2/")) and name not in ("/rosout", "/parameter_events")]
        assert not foreign, f"topics outside the robots' namespaces: {foreign}"
    finally:
        codes = stop_all(processes)
    assert codes == [0] * len(processes)


def test_runtime_limit_change_is_applied_or_refused(stack_clients):
    ns = "p1"
    processes = [start_node("sim_robot", {"initial_fsm": 500}, namespace=ns),
                 start_node("bridge_node", SIM_BRIDGE, namespace=ns)]
    try:
        client = stack_clients(ns)  # it records every request the bridge sends on api/sport/request
        params = AsyncParameterClient(client, f"/{ns}/bridge_node")
        assert params.wait_for_services(timeout_sec=30.0), "bridge_node parameter services never appeared"

        described = _result(params.describe_parameters(["max_speed_mps"])).descriptors[0]
        assert described.description and described.floating_point_range[0].to_value == 2.0

        names = ["max_speed_mps", "command_duration_s"]
        before = [v.double_value for v in _result(params.get_parameters(names)).values]
        accepted = _result(params.set_parameters([Parameter("max_speed_mps", value=0.3)])).results[0]
        assert accepted.successful, accepted.reason
        refused = _result(params.set_parameters([Parameter("command_duration_s", value=1.0)])).results[0]
        assert not refused.successful and "0.3" in refused.reason, refused.reason
        after = [v.double_value for v in _result(params.get_parameters(names)).values]
        assert after == [0.3, before[1]] and before[1] <= 0.3, (before, after)

        assert client.wait_for_robot(30.0), "no odometry"
        deadline = time.monotonic() + 30.0
        while client.count_subscribers("plan") < 2:  # the bridge's and our own
            assert time.monotonic() < deadline, "bridge_node never subscribed to plan"
            time.sleep(0.05)
        client.send_plan("slow-walk", [{"primitive": "walk", "direction": "forward", "distance_m": 1.0}],
                         "walk")  # default speed 0.4
        assert client.wait_for(lambda c: c.final_event("slow-walk") is not None, 30.0), client.events
        assert client.final_event("slow-walk")["state"] == "completed", client.events
        velocities = [r.params["velocity"] for r in client.sent if r.service == "sport" and r.api_id == 7105]
        assert velocities, "no SetVelocity observed"
        fastest = max(math.hypot(v[0], v[1]) for v in velocities)
        assert 0.25 <= fastest <= 0.3 + 1e-9, fastest
    finally:
        codes = stop_all(processes)
    assert codes == [0, 0]
