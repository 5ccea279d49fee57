"""Hostile or broken messages on `plan`, over DDS against the real bridge_node.

Each gets exactly one `rejected` event on bridge/status with a machine-readable reason,
nothing is sent to the controller for it, the robot does not move, and the bridge
process lives on and still executes a valid plan afterwards. (test_bridge_sim covers
"{not json", an unknown primitive, a walk too far and a turn too fast.)
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Iterator

import pytest
from bridge_stack import Stack, stacks

STOP = {"primitive": "stop"}


def plan(steps: object = (STOP,), **fields: object) -> str:
    return json.dumps({"id": "h", "task": "hostile", "steps": list(steps) if isinstance(steps, tuple) else steps,
                       "final": True} | fields)


def walk(distance: object, **extra: object) -> dict:
    return {"primitive": "walk", "direction": "forward", "distance_m": distance} | extra


def literal(step_text: str, plan_id: str) -> str:
    """A plan whose one step is raw JSON text (for literals json.dumps would not write)."""
    return '{"id": "' + plan_id + '", "steps": [' + step_text + '], "final": true}'


LONG_ID = "i" * 10_000
HOSTILE = [  # (name, text on `plan`, reason, id in the rejected event)
    ("empty_string", "", "invalid_plan", None),
    ("whitespace", " \n\t ", "invalid_plan", None),
    ("100_kb_text", "x" * 100_000, "plan_too_large", None),
    ("100_kb_valid_plan", plan(task="t" * 100_000), "plan_too_large", None),
    ("control_characters", "\x01\x02\x1b[2J\x7f\x08", "invalid_plan", None),
    ("nul_first", "\x00" + plan(), "invalid_plan", None),
    ("raw_control_char_in_string", plan().replace('"h"', '"h\x07"'), "invalid_plan", None),
    ("escaped_control_chars_in_id", plan(steps=[walk(-1.0)], id="c\u0007\u0000\u001b"), "invalid_plan",
     "c\u0007\u0000\u001b"),
    ("malformed_json", '{"id": "m", "steps": [{"primitive": "stop"}', "invalid_plan", None),
    ("trailing_garbage", plan(id="tg") + " rm -rf /", "invalid_plan", None),
    ("json_array", json.dumps([STOP]), "invalid_plan", None),
    ("json_string", json.dumps("walk forward 2 m"), "invalid_plan", None),
    ("json_number", "42", "invalid_plan", None),
    ("json_null", "null", "invalid_plan", None),
    ("json_true", "true", "invalid_plan", None),
    ("deeply_nested_array", "[" * 50_000 + "]" * 10_000, "invalid_plan", None),
    ("deeply_nested_steps", '{"id": "dn", "steps": ' + "[" * 20_000 + "]" * 20_000 + "}", "invalid_plan", None),
    ("unknown_primitive", plan(id="up", steps=[{"primitive": "self_destruct"}]), "invalid_plan", "up"),
    ("unknown_field", plan(id="uf", steps=[walk(0.2, teleport=True)]), "invalid_plan", "uf"),
    ("unknown_direction", plan(id="ud", steps=[walk(0.2) | {"direction": "up"}]), "invalid_plan", "ud"),
    ("negative_distance", plan(id="nd", steps=[walk(-1.0)]), "invalid_plan", "nd"),
    ("negative_speed", plan(id="ns", steps=[walk(0.2, speed_mps=-0.3)]), "invalid_plan", "ns"),
    ("negative_angle", plan(id="na", steps=[{"primitive": "turn", "direction": "left", "angle_deg": -90}]),
     "invalid_plan", "na"),
    ("negative_wait", plan(id="nw", steps=[{"primitive": "wait", "seconds": -5}]), "invalid_plan", "nw"),
    ("zero_distance", plan(id="zd", steps=[walk(0)]), "invalid_plan", "zd"),
    ("nan_distance", literal('{"primitive": "walk", "direction": "forward", "distance_m": NaN}', "nan"),
     "invalid_plan", "nan"),
    ("infinity_distance", literal('{"primitive": "walk", "direction": "forward", "distance_m": Infinity}', "inf"),
     "invalid_plan", "inf"),
    ("minus_infinity_angle", literal('{"primitive": "turn", "direction": "left", "angle_deg": -Infinity}', "ninf"),
     "invalid_plan", "ninf"),
    ("nan_wait", literal('{"primitive": "wait", "seconds": NaN}', "nanw"), "invalid_plan", "nanw"),
    ("nan_speed", literal('{"primitive": "walk", "direction": "forward", "distance_m": 1, "speed_mps": NaN}',
                          "nans"), "invalid_plan", "nans"),
    ("overflow_to_infinity", literal('{"primitive": "wait", "seconds": 1e999}', "ovf"), "invalid_plan", "ovf"),
    ("huge_distance", plan(id="hd", steps=[walk(1e308)]), "distance_limit", "hd"),
    ("huge_speed", plan(id="hs", steps=[walk(0.2, speed_mps=1e308)]), "speed_limit", "hs"),
    ("huge_angle", plan(id="ha", steps=[{"primitive": "turn", "direction": "left", "angle_deg": 1e308}]),
     "angle_limit", "ha"),
    ("huge_wait", plan(id="hw", steps=[{"primitive": "wait", "seconds": 1e308}]), "wait_limit", "hw"),
    ("huge_integer", literal('{"primitive": "wait", "seconds": 1' + "0" * 400 + "}", "hi"), "invalid_plan", "hi"),
    ("integer_beyond_json_digits", literal('{"primitive": "wait", "seconds": ' + "9" * 5000 + "}", "id"),
     "invalid_plan", None),
    ("10000_steps", plan(id="ts", steps=[STOP] * 10_000), "plan_too_large", None),
    ("3000_steps", json.dumps({"id": "ts3", "steps": [STOP] * 3_000}, separators=(",", ":")), "too_many_steps",
     "ts3"),
    ("missing_id", json.dumps({"steps": [STOP], "final": True}), "invalid_plan", None),
    ("id_of_10000_chars", plan(id=LONG_ID), "invalid_plan", LONG_ID),
    ("id_not_a_string", plan(id=7), "invalid_plan", None),
    ("steps_as_a_string", plan(id="ss", steps="walk forward 2 m"), "invalid_plan", "ss"),
    ("steps_null", plan(id="sn", steps=None), "invalid_plan", "sn"),
    ("step_not_an_object", plan(id="sa", steps=["stop"]), "invalid_plan", "sa"),
    ("empty_steps_with_a_hostile_reason", plan(id="er", steps=[], reason="<script>" + "r" * 1000),
     "empty_plan", "er"),
]
REASON_CODE = re.compile(r"[a-z][a-z0-9_]{0,63}")


@pytest.fixture(scope="module")
def robot(rclpy_session) -> Iterator[Stack]:
    with stacks(rclpy_session, {"hostile": ({"initial_fsm": 500}, {})}) as running:
        yield running["hostile"]


@pytest.mark.parametrize(("text", "reason", "plan_id"), [case[1:] for case in HOSTILE], ids=[c[0] for c in HOSTILE])
def test_hostile_plan_is_rejected_with_a_reason_and_nothing_moves(robot: Stack, text: str, reason: str,
                                                                  plan_id: str | None) -> None:
    bridge = robot.processes[1]
    before = robot.fresh_state()
    count = len(robot.events)
    since = robot.publish(text)
    assert robot.wait_for(lambda: len(robot.events) > count, 10.0), "no event on bridge/status"
    time.sleep(0.2)  # time for anything else it might (wrongly) do
    events = robot.events[count:]
    assert [(e["state"], e["reason"], e["id"]) for e in events] == [("rejected", reason, plan_id)], events
    assert REASON_CODE.fullmatch(events[0]["reason"]) and events[0]["detail"]
    assert not robot.sent_since(since) and not robot.sent_since(since, None, "arm")  # nothing reached the controller
    after = robot.fresh_state()
    assert (after["position"], after["yaw"], after["fsm_id"]) == (before["position"], before["yaw"], 500)
    assert not any(after["velocity"])
    assert bridge.poll() is None, f"bridge_node died with code {bridge.returncode}"


def test_bridge_still_executes_a_valid_plan_afterwards(robot: Stack) -> None:
    assert robot.processes[1].poll() is None
    x0, y0, _ = robot.pose()
    final = robot.run([{"primitive": "walk", "direction": "forward", "distance_m": 0.3}], timeout=20.0)
    assert final["state"] == "completed", final
    assert abs(math.dist(robot.pose()[:2], (x0, y0)) - 0.3) <= 0.05
