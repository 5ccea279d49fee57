"""Plans, steps and poses as llm_planner_interfaces messages, derived from the plan models.

`Step` is one flat message (see tools/step_msg.py, which writes Step.msg from the same models):
a field the step's primitive does not have stays 0 or "". Turning a message back into a step is
as strict as parsing JSON: NaN, infinities, unknown primitives and a field set that does not belong
to the primitive are rejected (ValueError).
"""

from __future__ import annotations

import math

from llm_planner_interfaces.msg import Plan, RobotPose
from llm_planner_interfaces.msg import Step as StepMsg
from pydantic import TypeAdapter, ValidationError

from llm_planner.plan.schema import STEP_FIELDS, Step

_STEP = TypeAdapter(Step)
ALL_FIELDS = tuple(dict.fromkeys(name for fields in STEP_FIELDS.values() for name in fields))
_MSG_TYPES = StepMsg.get_fields_and_field_types()
STEP_TEXT_FIELDS = tuple(name for name, kind in _MSG_TYPES.items() if kind == "string")


def step_msg(step: Step) -> StepMsg:
    msg = StepMsg(primitive=step.primitive)
    for name, value in step.model_dump(exclude={"primitive"}, exclude_none=True).items():
        setattr(msg, name, value)
    return msg


def step_from_msg(msg: StepMsg) -> Step:
    """The step a message carries; ValueError for one the models (or the flat form's rules) refuse."""
    own = STEP_FIELDS.get(msg.primitive)
    if own is None:
        raise ValueError(f"unknown primitive {msg.primitive[:40]!r}")
    stray = [name for name in ALL_FIELDS if name not in own and getattr(msg, name) not in (0.0, "")]
    if stray:
        raise ValueError(f"{msg.primitive} has no field {stray[0]}")
    raw: dict[str, object] = {"primitive": msg.primitive}
    for name, info in own.items():
        value = getattr(msg, name)
        if info.is_required() or value not in (0.0, ""):  # an optional field left at 0 / "" is not given
            raw[name] = value
    try:
        return _STEP.validate_python(raw)
    except ValidationError as error:
        raise ValueError(f"{msg.primitive}: {error.errors()[0]['msg']}") from None


def parse_steps(raw_steps: object) -> list[Step]:
    """The steps of a plan as recorded from the wire; any the models refuse are left out."""
    steps = []
    for raw in raw_steps if isinstance(raw_steps, list) else []:
        try:
            steps.append(_STEP.validate_python(raw))
        except ValidationError:
            continue
    return steps


def raw_step_msg(raw: dict) -> StepMsg:
    """A step message with exactly the fields given, unchecked, as a hand-written plan sends it
    (the bridge checks it); ValueError for a field or a value Step.msg cannot carry."""
    msg = StepMsg()
    for name, value in raw.items():
        kind = _MSG_TYPES.get(name)
        if kind == "double" and isinstance(value, int | float) and not isinstance(value, bool):
            value = float(value)
        elif kind != "string" or not isinstance(value, str):
            raise ValueError(f"Step.msg has no {kind or 'field'} {name!r} for {value!r:.40}")
        setattr(msg, name, value)
    return msg


def raw_plan_msg(plan_id: str, steps: list[dict], task: str = "", final: bool = True, reason: str = "") -> Plan:
    """A plan message of unchecked steps (see raw_step_msg)."""
    return Plan(id=plan_id, task=task, steps=[raw_step_msg(step) for step in steps], final=final, reason=reason)


def plan_msg(plan_id: str, task: str, raw_steps: object, final: bool = True, reason: str = "") -> Plan:
    return Plan(id=plan_id, task=task, steps=[step_msg(s) for s in parse_steps(raw_steps)], final=final,
                reason=reason)


def pose_msg(pose: tuple[float, float, float] | None) -> RobotPose:
    """x, y (m) and yaw (rad) as a RobotPose (yaw in degrees, wrapped to (-180, 180]); NaN when unknown."""
    if pose is None:
        return RobotPose(x=math.nan, y=math.nan, yaw_deg=math.nan)
    x, y, yaw = pose
    degrees = math.degrees(math.atan2(math.sin(yaw), math.cos(yaw)))
    return RobotPose(x=x, y=y, yaw_deg=180.0 if degrees == -180.0 else degrees)


def step_fields(msg: StepMsg) -> dict:
    """A step message as the plan models' JSON form; one they refuse as its non-empty fields, as sent."""
    try:
        return step_from_msg(msg).model_dump(mode="json", exclude_none=True)
    except ValueError:
        return {name: getattr(msg, name) for name in _MSG_TYPES if getattr(msg, name) not in (0.0, "")}


def plan_fields(msg: Plan) -> dict:
    """A plan message as DESIGN.md's plan object (id, task, steps, final, reason)."""
    return {"id": msg.id, "task": msg.task, "steps": [step_fields(step) for step in msg.steps], "final": msg.final,
            "reason": msg.reason or None}
