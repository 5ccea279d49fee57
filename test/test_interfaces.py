"""Our interface packages: Step.msg is what the plan models generate, a Step message turns back
into a step as strictly as JSON does (NaN, infinities, unknown primitives, fields of another primitive),
and a status event survives the typed topic with its "none"s."""

from __future__ import annotations

import math
import time
from pathlib import Path

import pytest
from llm_planner_interfaces.msg import Step as StepMsg

from llm_planner.plan.schema import Gesture, SitDown, StandUp, Stop, Turn, Wait, Walk
from llm_planner.ros.plan_msgs import (
    plan_fields,
    plan_msg,
    pose_msg,
    raw_plan_msg,
    raw_step_msg,
    step_from_msg,
    step_msg,
)
from llm_planner.ros.status import event_fields, status_event
from llm_planner.tools.step_msg import step_msg as step_msg_text

STEP_MSG = Path(__file__).resolve().parent.parent / "interfaces" / "llm_planner_interfaces" / "msg" / "Step.msg"
EXAMPLES = [StandUp(), SitDown(), Walk(direction="left", distance_m=0.5), Walk(direction="forward", distance_m=2.0,
            speed_mps=0.3), Turn(direction="right", angle_deg=90.0, speed_deg_s=30.0), Gesture(name="high_five"),
            Wait(seconds=1.5), Stop()]


def test_step_msg_is_generated_from_the_plan_models() -> None:
    assert STEP_MSG.read_text() == step_msg_text(), f"regenerate: python -m llm_planner.tools.step_msg > {STEP_MSG}"


@pytest.mark.parametrize("step", EXAMPLES, ids=lambda s: s.primitive)
def test_every_primitive_round_trips(step) -> None:
    assert step_from_msg(step_msg(step)) == step


@pytest.mark.parametrize(("fields", "why"), [
    ({"primitive": "self_destruct"}, "unknown primitive"),
    ({"primitive": ""}, "unknown primitive"),
    ({"primitive": "walk", "direction": "forward", "distance_m": math.nan}, "finite"),
    ({"primitive": "walk", "direction": "forward", "distance_m": math.inf}, "finite"),
    ({"primitive": "walk", "direction": "forward", "distance_m": 1.0, "speed_mps": -math.inf}, "finite"),
    ({"primitive": "turn", "direction": "left", "angle_deg": -90.0}, "greater than 0"),
    ({"primitive": "walk", "direction": "up", "distance_m": 1.0}, "forward"),
    ({"primitive": "walk", "direction": "forward", "distance_m": 0.0}, "greater than 0"),
    ({"primitive": "walk", "direction": "forward", "distance_m": 1.0, "seconds": 3.0}, "no field seconds"),
    ({"primitive": "stop", "name": "wave"}, "no field name"),
    ({"primitive": "gesture", "name": "salute"}, "wave"),
    ({"primitive": "wait", "seconds": math.nan}, "finite"),
])
def test_a_step_message_is_refused_as_strictly_as_json(fields: dict, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        step_from_msg(StepMsg(**fields))


def test_plans_and_poses_for_the_action() -> None:
    plan = plan_msg("p", "t", [{"primitive": "walk", "direction": "forward", "distance_m": 1.0}, {"bad": 1}, "x"])
    assert [s.primitive for s in plan.steps] == ["walk"] and plan.final  # what the models refuse is left out
    pose = pose_msg((1.0, -2.0, math.pi))
    assert (pose.x, pose.y, pose.yaw_deg) == (1.0, -2.0, 180.0)
    assert math.isnan(pose_msg(None).x)


def test_plan_fields_are_the_design_plan_object() -> None:
    steps = [{"primitive": "walk", "direction": "forward", "distance_m": 1.0}, {"primitive": "go_to", "place": "home"}]
    assert plan_fields(raw_plan_msg("p", steps, "go home", final=False)) == {
        "id": "p", "task": "go home", "steps": steps, "final": False, "reason": None}
    odd = plan_fields(raw_plan_msg("q", [{"primitive": "jump", "seconds": 2}], reason="not_possible"))
    assert odd["steps"] == [{"primitive": "jump", "seconds": 2.0}] and odd["reason"] == "not_possible"  # as sent


@pytest.mark.parametrize("fields", [{"height_m": 1.0}, {"distance_m": "far"}, {"direction": 3}, {"seconds": True}])
def test_a_hand_written_step_names_what_step_msg_cannot_carry(fields: dict) -> None:
    with pytest.raises(ValueError, match=next(iter(fields))):
        raw_step_msg({"primitive": "walk", **fields})


@pytest.mark.parametrize("event", [
    ("planned", "t1", "walk", None, None, "", 0.25),
    ("step_failed", "p1", "walk", 0, "3104", "no response", None),
    ("armed", None, None, None, None, "", None),
])
def test_a_status_event_round_trips_with_its_nones(event: tuple) -> None:
    state, task_id, task, step, reason, detail, latency = event
    fields = event_fields(status_event(*event))
    assert abs(fields.pop("stamp") - time.time()) < 5.0
    assert fields == {"id": task_id, "task": task, "state": state, "step": step, "reason": reason, "detail": detail,
                      "latency_s": latency}
