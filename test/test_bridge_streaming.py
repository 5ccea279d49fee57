"""Streamed plans (final=false) over real DDS: motion starts on the first valid step, never beyond.

Against the simulated robot standing in locomotion, through the real bridge process.
"""

from __future__ import annotations

import math
import threading
import time

import pytest
from rclpy.executors import SingleThreadedExecutor

from llm_planner.tools.bringup import SIM_BRIDGE, start_node, stop_all
from llm_planner.tools.stack_client import StackClient

WALK = {"primitive": "walk", "direction": "forward", "distance_m": 0.5}
TURN = {"primitive": "turn", "direction": "left", "angle_deg": 90.0}


@pytest.fixture(scope="module")
def stack(rclpy_session):
    processes = [start_node("sim_robot", {"initial_fsm": 500}, namespace="st"),
                 start_node("bridge_node", {**SIM_BRIDGE, "stream_timeout_s": 2.0, "workspace_radius_m": 100.0},
                            namespace="st")]
    client = StackClient("streaming_test", namespace="st")
    executor = SingleThreadedExecutor()
    executor.add_node(client)
    threading.Thread(target=executor.spin, daemon=True).start()
    assert client.wait_for(lambda c: c.state is not None and c.others_on("plan") > 0
                           and c.count_publishers("/st/api/sport/request") > 0, 30.0)
    time.sleep(0.5)  # let the bridge's request publisher match our observer too
    yield client
    executor.shutdown()
    client.destroy_node()
    assert stop_all(processes) == [0, 0]


def publish(client: StackClient, plan_id: str, steps: list, final: bool, reason: str = "") -> None:
    client.send_plan(plan_id, steps, "t", final, reason)


def states(client: StackClient, plan_id: str) -> list[str]:
    return [e["state"] for e in client.events if e["id"] == plan_id and e["topic"] == "bridge/status"]


def stopped(client: StackClient) -> bool:
    return client.wait_for(lambda c: max(abs(v) for v in c.state["velocity"]) < 0.01, 3.0)


def test_first_step_starts_before_the_plan_is_final(stack):
    client = stack
    x0, yaw0 = client.state["position"][0], client.state["yaw"]
    client.first_motion, client.sent_at = None, time.monotonic()
    publish(client, "s1", [WALK], final=False)
    assert client.wait_for(lambda c: c.first_motion is not None, 3.0), "no motion on a streamed first step"
    publish(client, "s1", [WALK, TURN], final=False)
    publish(client, "s1", [WALK, TURN], final=True)
    assert client.wait_for(lambda c: c.final_event("s1") is not None, 30.0)
    assert states(client, "s1")[-1] == "completed", [(e["state"], e["reason"]) for e in client.events]
    assert states(client, "s1").count("accepted") == 1
    assert abs(client.state["position"][0] - x0 - 0.5 * math.cos(yaw0)) < 0.06
    turned = math.degrees(math.atan2(math.sin(client.state["yaw"] - yaw0), math.cos(client.state["yaw"] - yaw0)))
    assert abs(turned - 90.0) < 4.0


def test_withdrawn_plan_stops_the_robot_with_the_planner_reason(stack):
    client = stack
    publish(client, "s2", [{**WALK, "distance_m": 3.0}], final=False)
    assert client.wait_for(lambda c: "step_started" in states(c, "s2"), 5.0)
    time.sleep(0.5)
    publish(client, "s2", [], final=True, reason="workspace_limit")
    assert client.wait_for(lambda c: c.final_event("s2") is not None, 10.0)
    final = client.final_event("s2")
    assert (final["state"], final["reason"]) == ("aborted", "workspace_limit")
    assert stopped(client)


def test_stream_that_rewrites_sent_steps_is_aborted(stack):
    client = stack
    publish(client, "s3", [{"primitive": "wait", "seconds": 1.0}], final=False)
    assert client.wait_for(lambda c: "step_started" in states(c, "s3"), 5.0)
    publish(client, "s3", [{"primitive": "wait", "seconds": 2.0}, TURN], final=True)
    assert client.wait_for(lambda c: c.final_event("s3") is not None, 10.0)
    assert client.final_event("s3")["reason"] == "plan_changed"
    assert "step_started" not in [e["state"] for e in client.events if e["id"] == "s3" and e["step"] == 1]


def test_stream_that_stalls_is_aborted(stack):
    client = stack
    publish(client, "s4", [{"primitive": "wait", "seconds": 0.2}], final=False)
    assert client.wait_for(lambda c: c.final_event("s4") is not None, 10.0)
    assert (client.final_event("s4")["state"], client.final_event("s4")["reason"]) == ("aborted", "plan_incomplete")


def test_stream_growing_past_a_limit_is_aborted(stack):
    client = stack
    waits = [{"primitive": "wait", "seconds": 0.3}]
    publish(client, "s5", waits, final=False)
    publish(client, "s5", waits * 9, final=True)
    assert client.wait_for(lambda c: c.final_event("s5") is not None, 10.0)
    assert client.final_event("s5")["reason"] == "too_many_steps"


def test_the_rest_of_a_stopped_stream_never_restarts_it(stack):
    """A planner's whole plan can arrive after its streamed prefix was stopped (a cancelled goal): a plan id
    runs once, so the late message is rejected and the robot stays still."""
    client = stack
    publish(client, "s6", [{**WALK, "distance_m": 3.0}], final=False)
    assert client.wait_for(lambda c: "step_started" in states(c, "s6"), 5.0)
    publish(client, "s6-stop", [{"primitive": "stop"}], final=True)
    assert client.wait_for(lambda c: c.final_event("s6") is not None and c.final_event("s6-stop") is not None, 10.0)
    assert client.final_event("s6")["state"] == "preempted"
    assert stopped(client)
    client.first_motion, client.sent_at = None, time.monotonic()
    publish(client, "s6", [{**WALK, "distance_m": 3.0}, TURN], final=True)
    assert client.wait_for(lambda c: states(c, "s6")[-1] == "rejected", 5.0), states(client, "s6")
    rejected = [e for e in client.events if e["id"] == "s6" and e["state"] == "rejected"][-1]
    assert rejected["reason"] == "plan_ended", rejected
    time.sleep(0.5)
    assert client.first_motion is None and states(client, "s6").count("accepted") == 1
