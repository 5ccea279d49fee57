"""The vocabulary: what validates, what is refused, and that everything derived from it covers it."""

from __future__ import annotations

import math
import threading
from typing import get_args

import pytest
from pydantic import ValidationError

from llm_planner.plan.schema import PRIMITIVES, STEP_TYPES, GestureName, Plan
from robot_bridge.gestures import GESTURES
from robot_bridge.plan_executor import PlanExecutor


def test_design_example_plan_validates():
    plan = Plan.model_validate({"steps": [
        {"primitive": "walk", "direction": "forward", "distance_m": 2.0},
        {"primitive": "gesture", "name": "wave"},
    ]})
    assert [s.primitive for s in plan.steps] == ["walk", "gesture"]
    assert plan.to_jsonable()["steps"][0] == {"primitive": "walk", "direction": "forward", "distance_m": 2.0}


def test_empty_plan_is_a_refusal():
    assert Plan.model_validate({"steps": []}).is_refusal


@pytest.mark.parametrize("step", [
    {"primitive": "walk", "direction": "forward", "distance_m": 1, "speed": 3},  # unknown field
    {"primitive": "walk", "direction": "up", "distance_m": 1},
    {"primitive": "walk", "direction": "forward", "distance_m": -1},
    {"primitive": "walk", "direction": "forward", "distance_m": 0},
    {"primitive": "walk", "direction": "forward", "distance_m": math.nan},
    {"primitive": "walk", "direction": "forward", "distance_m": math.inf},
    {"primitive": "turn", "direction": "forward", "angle_deg": 90},
    {"primitive": "gesture", "name": "moonwalk"},
    {"primitive": "wait", "seconds": -2},
    {"primitive": "fly"},
    {"primitive": "stop", "now": True},
])
def test_bad_steps_are_rejected(step):
    with pytest.raises(ValidationError):
        Plan.model_validate({"steps": [step]})


def test_unknown_plan_fields_are_rejected():
    with pytest.raises(ValidationError):
        Plan.model_validate({"steps": [], "speed": 20})


def test_primitives_match_design():
    assert set(PRIMITIVES) == {"stand_up", "sit_down", "walk", "turn", "gesture", "wait", "stop", "go_to", "remember"}
    assert len(STEP_TYPES) == len(PRIMITIVES)


def test_bridge_covers_every_gesture_and_primitive():
    assert set(GESTURES) == set(get_args(GestureName))
    executor = PlanExecutor(client=None, settings=None, emit=lambda *a: None)  # type: ignore[arg-type]
    assert executor.primitives == set(PRIMITIVES)
    assert executor.run([], threading.Event()) is True  # an empty plan is trivially done


def test_json_schema_requires_the_primitive_first():
    from llm_planner.plan.schema import plan_json_schema

    definitions = plan_json_schema()["$defs"]
    steps = [d for d in definitions.values() if "primitive" in d.get("properties", {})]
    assert len(steps) == len(PRIMITIVES)
    assert all(d["required"][0] == "primitive" for d in steps)
