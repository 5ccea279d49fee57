"""Whether a message on `plan` may start a plan: size, steps, then the limits, from where the robot is.

The bridge node and the tests that drive the bridge's core without ROS use the same two
functions, so the check a hand-published plan meets is the one that is tested. Every
refusal is a `PlanRejected` with a machine-readable `reason` for the `rejected` event.
"""

from __future__ import annotations

import re

from llm_planner_interfaces.msg import Plan as PlanMsg
from pydantic import BaseModel, Field

from llm_planner.plan.limits import Limits, check_plan
from llm_planner.plan.places import Destinations
from llm_planner.plan.schema import Plan, Step
from llm_planner.ros.plan_msgs import STEP_TEXT_FIELDS, step_from_msg
from robot_bridge.protocol import ControllerState

MAX_PLAN_BYTES = 65536  # in one message: its id, task and reason, and each step's strings and numbers
MAX_ID_CHARS = 200
MAX_TASK_SHOWN = 500  # characters of a rejected plan's task its event repeats
STEP_BYTES = 64  # what a step counts for besides its strings (five float64 fields and framing)
_REASON_CODE = re.compile(r"[a-z][a-z0-9_]{0,63}")  # what a refusal may pass on as its reason


class PlanMessage(BaseModel):
    """A plan as it arrived on `plan`, its steps checked against the models."""

    id: str = Field(min_length=1, max_length=MAX_ID_CHARS)
    task: str = ""
    steps: list[Step]
    final: bool = True
    reason: str | None = None


class PlanRejected(Exception):
    """A plan message refused before anything was sent: `reason` is the event's machine-readable code."""

    def __init__(self, reason: str, detail: str, plan_id: str | None = None, task: str | None = None,
                 step: int | None = None) -> None:
        super().__init__(detail)
        self.reason, self.detail, self.plan_id, self.task, self.step = reason, detail, plan_id, task, step


def plan_bytes(msg: PlanMsg) -> int:
    """The message's size as its text and steps make it, without serialising it."""
    strings = len(msg.id) + len(msg.task) + len(msg.reason)
    return strings + sum(STEP_BYTES + sum(len(getattr(step, name)) for name in STEP_TEXT_FIELDS) for step in msg.steps)


def parse_plan(msg: PlanMsg) -> PlanMessage:
    """The plan a message carries, or PlanRejected (plan_too_large, invalid_plan): each step as
    strictly as the models check JSON (NaN, infinities, unknown primitives, stray fields)."""
    if (size := plan_bytes(msg)) > MAX_PLAN_BYTES:
        raise PlanRejected("plan_too_large", f"{size} bytes > {MAX_PLAN_BYTES}")
    if not 0 < len(msg.id) <= MAX_ID_CHARS:
        raise PlanRejected("invalid_plan", f"the id must have 1 to {MAX_ID_CHARS} characters, not {len(msg.id)}",
                           msg.id or None, msg.task[:MAX_TASK_SHOWN])
    steps = []
    for index, step in enumerate(msg.steps):
        try:
            steps.append(step_from_msg(step))
        except ValueError as error:
            raise PlanRejected("invalid_plan", f"step {index}: {error}"[:300], msg.id, msg.task[:MAX_TASK_SHOWN],
                               index) from None
    return PlanMessage(id=msg.id, task=msg.task, steps=steps, final=msg.final, reason=msg.reason or None)


def refusal_reason(message: PlanMessage, default: str) -> str:
    """The reason an empty plan passes on: the sender's code if it is one, never arbitrary text."""
    return message.reason if message.reason and _REASON_CODE.fullmatch(message.reason) else default


def start_pose(state: ControllerState | None) -> tuple[float, float, float]:
    """(x, y, yaw) a new plan is checked from: where the robot last reported itself."""
    return (state.position[0], state.position[1], state.yaw) if state else (0.0, 0.0, 0.0)


def check_new_plan(message: PlanMessage, limits: Limits, start: tuple[float, float, float],
                   places: Destinations | None = None) -> None:
    """PlanRejected for a plan with no steps (a refusal) or one that breaks a limit from `start`
    (a go_to to a place not in `places`, or refused there, included)."""
    if not message.steps:
        raise PlanRejected(refusal_reason(message, "empty_plan"), "a plan with no steps has nothing to execute",
                           message.id, message.task)
    violations = check_plan(Plan(steps=message.steps), limits, start, places)
    if violations:
        raise PlanRejected(violations[0].reason, "; ".join(v.detail for v in violations), message.id, message.task,
                           violations[0].step)
