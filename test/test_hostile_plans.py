"""Hostile or broken messages on `plan` (llm_planner_interfaces/Plan), over DDS against the real bridge_node.

Each gets exactly one `rejected` event on bridge/status with a machine-readable reason,
nothing is sent to the controller for it, the robot does not move, and the bridge
process lives on and still executes a valid plan afterwards. A typed message cannot be
malformed JSON, but it can carry anything its fields hold: NaN, infinities, unknown
primitives, fields that do not belong to the primitive, empty or oversized arrays and
strings. A property test without DDS checks the same intake on any message at all.
(test_bridge_sim covers an unknown primitive, a walk too far and a turn too fast.)
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Iterator

import pytest
from bridge_stack import Stack, stacks
from hypothesis import given, settings
from hypothesis import strategies as st
from llm_planner_interfaces.msg import Plan as PlanMsg
from llm_planner_interfaces.msg import Step as StepMsg

from llm_planner.plan.schema import STEP_FIELDS
from llm_planner.ros.plan_msgs import raw_plan_msg, step_msg
from robot_bridge.plan_intake import MAX_PLAN_BYTES, PlanRejected, parse_plan, plan_bytes

STOP = {"primitive": "stop"}


def plan(steps: tuple | list = (STOP,), plan_id: str = "h", **fields: object) -> PlanMsg:
    return raw_plan_msg(plan_id, list(steps), **fields)


def walk(distance: float, **extra: object) -> dict:
    return {"primitive": "walk", "direction": "forward", "distance_m": distance} | extra


def turn(angle: float, **extra: object) -> dict:
    return {"primitive": "turn", "direction": "left", "angle_deg": angle} | extra


LONG_ID = "i" * 10_000
CONTROL_ID = "c\u0007\u001b[2J\u007f"
HOSTILE = [  # (name, message on `plan`, reason, id in the rejected event)
    ("empty_id", plan(plan_id=""), "invalid_plan", None),
    ("id_of_10000_chars", plan(plan_id=LONG_ID), "invalid_plan", LONG_ID),
    ("control_characters_in_id", plan([walk(-1.0)], CONTROL_ID), "invalid_plan", CONTROL_ID),
    ("100_kb_task", plan(task="t" * 100_000), "plan_too_large", None),
    ("100_kb_gesture_name", plan([{"primitive": "gesture", "name": "x" * 100_000}]), "plan_too_large", None),
    ("100_kb_reason_on_no_steps", plan([], reason="r" * 100_000), "plan_too_large", None),
    ("10000_steps", plan([STOP] * 10_000, "ts"), "plan_too_large", None),
    ("500_steps", plan([STOP] * 500, "ts5"), "too_many_steps", "ts5"),
    ("no_steps_with_a_hostile_reason", plan([], "er", reason="<script>" + "r" * 1000), "empty_plan", "er"),
    ("empty_primitive", plan([{"primitive": ""}], "ep"), "invalid_plan", "ep"),
    ("unknown_primitive", plan([{"primitive": "self_destruct"}], "up"), "invalid_plan", "up"),
    ("primitive_with_control_characters", plan([{"primitive": "stop\u001b[2J"}], "pc"), "invalid_plan", "pc"),
    ("field_of_another_primitive", plan([walk(0.2, seconds=5.0)], "uf"), "invalid_plan", "uf"),
    ("nan_in_a_field_of_another_primitive", plan([STOP | {"distance_m": math.nan}], "sf"), "invalid_plan", "sf"),
    ("unknown_direction", plan([walk(0.2) | {"direction": "up"}], "ud"), "invalid_plan", "ud"),
    ("no_direction", plan([walk(0.2) | {"direction": ""}], "nodir"), "invalid_plan", "nodir"),
    ("negative_distance", plan([walk(-1.0)], "nd"), "invalid_plan", "nd"),
    ("negative_speed", plan([walk(0.2, speed_mps=-0.3)], "ns"), "invalid_plan", "ns"),
    ("negative_angle", plan([turn(-90.0)], "na"), "invalid_plan", "na"),
    ("negative_wait", plan([{"primitive": "wait", "seconds": -5.0}], "nw"), "invalid_plan", "nw"),
    ("zero_distance", plan([walk(0.0)], "zd"), "invalid_plan", "zd"),
    ("nan_distance", plan([walk(math.nan)], "nan"), "invalid_plan", "nan"),
    ("infinity_distance", plan([walk(math.inf)], "inf"), "invalid_plan", "inf"),
    ("minus_infinity_angle", plan([turn(-math.inf)], "ninf"), "invalid_plan", "ninf"),
    ("nan_wait", plan([{"primitive": "wait", "seconds": math.nan}], "nanw"), "invalid_plan", "nanw"),
    ("nan_speed", plan([walk(1.0, speed_mps=math.nan)], "nans"), "invalid_plan", "nans"),
    ("infinite_turn_speed", plan([turn(10.0, speed_deg_s=math.inf)], "infs"), "invalid_plan", "infs"),
    ("huge_distance", plan([walk(1e308)], "hd"), "distance_limit", "hd"),
    ("huge_speed", plan([walk(0.2, speed_mps=1e308)], "hs"), "speed_limit", "hs"),
    ("huge_angle", plan([turn(1e308)], "ha"), "angle_limit", "ha"),
    ("huge_wait", plan([{"primitive": "wait", "seconds": 1e308}], "hw"), "wait_limit", "hw"),
    ("unknown_gesture", plan([{"primitive": "gesture", "name": "self_destruct"}], "ug"), "invalid_plan", "ug"),
    ("place_as_a_path", plan([{"primitive": "go_to", "place": "../../etc/passwd"}], "pp"), "invalid_plan", "pp"),
    ("place_nobody_saved", plan([{"primitive": "go_to", "place": "moon"}], "pm"), "unknown_place", "pm"),
    ("remember_a_name_too_long", plan([{"primitive": "remember", "place": "a" * 33}], "rl"), "invalid_plan", "rl"),
    ("remember_with_no_name", plan([{"primitive": "remember"}], "rn"), "invalid_plan", "rn"),
]
REASON_CODE = re.compile(r"[a-z][a-z0-9_]{0,63}")


@pytest.fixture(scope="module")
def robot(rclpy_session) -> Iterator[Stack]:
    with stacks(rclpy_session, {"hostile": ({"initial_fsm": 500}, {})}) as running:
        yield running["hostile"]


@pytest.mark.parametrize(("message", "reason", "plan_id"), [case[1:] for case in HOSTILE],
                         ids=[c[0] for c in HOSTILE])
def test_hostile_plan_is_rejected_with_a_reason_and_nothing_moves(robot: Stack, message: PlanMsg, reason: str,
                                                                  plan_id: str | None) -> None:
    bridge = robot.processes[1]
    before = robot.fresh_state()
    count = len(robot.events)
    since = robot.publish(message)
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


# ------------------------------------------------------------------ any message at all, without DDS
PRIMITIVES = [*STEP_FIELDS, "", "jump", "Walk", "stop\n"]
TEXT = st.one_of(st.sampled_from(["", "forward", "left", "up", "wave", "home", "kitchen", "../x"]),
                 st.text(max_size=40))
NUMBER = st.one_of(st.sampled_from([0.0, -0.0, 1.0, -1.0, math.nan, math.inf, -math.inf, 1e308, 5e-324]),
                   st.floats(allow_nan=True, allow_infinity=True))
VALID = [walk(0.5), walk(0.5, speed_mps=0.3), turn(90.0), turn(45.0, speed_deg_s=30.0), STOP,
         {"primitive": "wait", "seconds": 1.0}, {"primitive": "stand_up"}, {"primitive": "gesture", "name": "wave"},
         {"primitive": "go_to", "place": "home"}, {"primitive": "remember", "place": "desk"}]
RANDOM_STEP = st.builds(StepMsg, primitive=st.sampled_from(PRIMITIVES), direction=TEXT, distance_m=NUMBER,
                        speed_mps=NUMBER, angle_deg=NUMBER, speed_deg_s=NUMBER, name=TEXT, seconds=NUMBER,
                        place=TEXT)


@st.composite
def changed_step(draw) -> StepMsg:
    """A valid step with one field set to anything its type holds."""
    msg = raw_plan_msg("x", [draw(st.sampled_from(VALID))]).steps[0]
    name = draw(st.sampled_from(list(StepMsg.get_fields_and_field_types())))
    setattr(msg, name, draw(TEXT if isinstance(getattr(msg, name), str) else NUMBER))
    return msg


GOOD_STEP = st.sampled_from(VALID).map(lambda raw: raw_plan_msg("x", [raw]).steps[0])
ANY_STEP = st.sampled_from([GOOD_STEP] * 6 + [changed_step(), RANDOM_STEP]).flatmap(lambda kind: kind)  # weighted
ANY_PLAN = st.builds(PlanMsg, id=st.one_of(st.text(min_size=1, max_size=20), st.text(max_size=300)),
                     task=st.text(max_size=100), steps=st.lists(ANY_STEP, max_size=12), final=st.booleans(),
                     reason=st.text(max_size=80))


@settings(max_examples=400, deadline=None)
@given(ANY_PLAN)
def test_any_plan_message_is_parsed_exactly_or_rejected_with_a_code(message: PlanMsg) -> None:
    """The intake never raises anything but PlanRejected, and a plan it takes is the message itself:
    each step, written back as a message, is the one that came in (nothing dropped, nothing invented)."""
    try:
        parsed = parse_plan(message)
    except PlanRejected as rejected:
        assert REASON_CODE.fullmatch(rejected.reason) and rejected.detail
        assert rejected.reason in ("invalid_plan", "plan_too_large")
        if rejected.step is not None:  # it names the step it refused
            assert 0 <= rejected.step < len(message.steps)
        return
    assert (parsed.id, parsed.task, parsed.final) == (message.id, message.task, message.final)
    assert 0 < len(parsed.id) <= 200 and len(parsed.steps) == len(message.steps)
    for step, sent in zip(parsed.steps, message.steps, strict=True):
        assert step_msg(step) == sent, (step, sent)
        assert all(math.isfinite(v) and v >= 0 for v in step.model_dump().values() if isinstance(v, float))


def test_the_size_limit_counts_every_string() -> None:
    """Just under the limit a plan is read; one more character of any string and it is too large."""
    wave = [{"primitive": "gesture", "name": "wave"}]
    room = MAX_PLAN_BYTES - plan_bytes(plan(wave, "size"))
    assert parse_plan(plan(wave, "size", task="t" * room)).task == "t" * room
    for field in ("task", "reason"):
        with pytest.raises(PlanRejected) as rejected:
            parse_plan(plan(wave, "size", **{field: "t" * (room + 1)}))
        assert rejected.value.reason == "plan_too_large"
    with pytest.raises(PlanRejected) as rejected:
        parse_plan(plan([{"primitive": "gesture", "name": "w" * (room + 5)}], "size"))
    assert rejected.value.reason == "plan_too_large"
