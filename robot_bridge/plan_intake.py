"""Whether a message on `plan` may start a plan: size, JSON, schema, then the limits, from where the robot is.

The bridge node and the tests that drive the bridge's core without ROS use the same two
functions, so the check a hand-published plan meets is the one that is tested. Every
refusal is a `PlanRejected` with a machine-readable `reason` for the `rejected` event.
"""

from __future__ import annotations

import json
import re

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from llm_planner.plan.limits import Limits, check_plan
from llm_planner.plan.places import Destinations
from llm_planner.plan.schema import Plan, Step
from robot_bridge.protocol import ControllerState

MAX_PLAN_BYTES = 65536
_REASON_CODE = re.compile(r"[a-z][a-z0-9_]{0,63}")  # what a refusal may pass on as its reason


class PlanMessage(BaseModel):
    """What arrives on `plan`."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(max_length=200)
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


def parse_plan(text: str) -> PlanMessage:
    """The plan message in `text`, or PlanRejected (plan_too_large, invalid_plan)."""
    if len(text) > MAX_PLAN_BYTES:
        raise PlanRejected("plan_too_large", f"{len(text)} characters > {MAX_PLAN_BYTES}")
    plan_id = None
    try:
        raw = json.loads(text)
        plan_id = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
        return PlanMessage.model_validate(raw)
    except ValidationError as error:
        raise PlanRejected("invalid_plan", error.errors()[0]["msg"][:300], plan_id) from None
    except RecursionError:  # deeply nested JSON: a RuntimeError, not a ValueError, and it would end the node
        raise PlanRejected("invalid_plan", "JSON nested too deeply") from None
    except ValueError as error:  # malformed JSON, over-long integers
        raise PlanRejected("invalid_plan", str(error)[:300], plan_id) from None


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
