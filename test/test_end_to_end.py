"""End to end over real DDS: planner (real model), bridge and simulated robot as separate processes.

A plain task string is published on `task`; the simulated robot must end where the
task says, and every node must shut down cleanly on SIGINT.
"""

from __future__ import annotations

import math

import pytest
from std_msgs.msg import String

from llm_planner.tools.bringup import SIM_BRIDGE, start_node, stop_all
from llm_planner.tools.stack_client import MODEL_READY_S, StackClient

pytestmark = pytest.mark.model  # loads the real model (see conftest)


@pytest.fixture
def stack(stack_clients, tmp_path):
    bridge = {**SIM_BRIDGE, "memory_file": str(tmp_path / "places.yaml")}  # what it remembers stays this test's
    processes = [start_node("sim_robot", {"stand_up_duration_s": 1.0}), start_node("bridge_node", bridge),
                 start_node("planner_node")]
    yield stack_clients(""), processes
    stop_all(processes)


def test_plain_task_moves_the_simulated_robot(stack):
    client, processes = stack
    task = "walk forward 1 meter then turn left 90 degrees"
    assert client.wait_for_planner(MODEL_READY_S, processes), "planner_node never subscribed to task"
    assert client.wait_for_robot(30.0), "no odometry from sim_robot"
    assert client.state["fsm_id"] == 1, "the simulated robot starts damped"
    client.task_pub.publish(String(data=task))

    def finished(c: StackClient) -> bool:
        """Both nodes said their last word: the two status topics are independent, so either may come first."""
        planner_done = any(e["topic"] == "planner/status" and e["state"] in ("planned", "refused", "rejected", "error")
                           for e in c.events)
        bridge_done = any(e["topic"] == "bridge/status" and e["state"] in ("completed", "aborted") for e in c.events)
        return planner_done and (bridge_done or not any(e["state"] == "planned" for e in c.events))

    assert client.wait_for(finished, 150.0), client.events
    states = [(e["topic"], e["state"]) for e in client.events]
    assert ("planner/status", "planned") in states, [(e["state"], e["reason"], e["detail"]) for e in client.events]
    assert ("bridge/status", "completed") in states, states
    planned = next(e for e in client.events if e["state"] == "planned")
    assert planned["task"] == task and planned["latency_s"] > 0
    assert client.wait_for(lambda c: max(abs(v) for v in c.state["velocity"]) < 0.01, 5.0)
    pose = client.pose()
    assert math.hypot(pose["x"] - 1.0, pose["y"]) <= 0.1, pose
    assert abs(pose["yaw_deg"] - 90.0) <= 5.0, pose
    assert pose["fsm_id"] == 500
    assert stop_all(processes) == [0, 0, 0]


def test_a_place_remembered_by_one_task_is_gone_to_by_the_next(stack):
    """The planner learns a remembered place from the bridge's `places`, with no restart."""
    client, processes = stack
    assert client.wait_for_planner(MODEL_READY_S, processes), "planner_node never subscribed to task"

    def run(task_id: str, task: str) -> dict:
        client.send_task(task, task_id)
        assert client.wait_for(lambda c: c.final_event(task_id) is not None, 150.0), client.events[-5:]
        return client.final_event(task_id)

    remembered = run("p1", "walk forward one meter, then remember this spot as the kitchen")
    assert remembered["state"] == "completed", remembered
    assert client.wait_for(lambda c: c.places is not None and "kitchen" in c.places.destinations.poses, 10.0)
    assert run("p2", "go back to where you started")["state"] == "completed"
    assert run("p3", "go to the kitchen")["state"] == "completed"
    assert [s["primitive"] for s in client.plans["p3"]["steps"]] == ["go_to"]
    assert client.wait_for(lambda c: max(abs(v) for v in c.state["velocity"]) < 0.01, 5.0)
    pose = client.pose()
    assert math.hypot(pose["x"] - 1.0, pose["y"]) <= 0.1, pose
    unknown = run("p4", "go to the garage")
    assert (unknown["state"], unknown["reason"]) == ("refused", "unknown_place") and "kitchen" in unknown["detail"]
    assert stop_all(processes) == [0, 0, 0]
