"""Writes `Step.msg` of llm_planner_interfaces from the plan models, so the vocabulary stays defined once.

    python -m llm_planner.tools.step_msg > interfaces/llm_planner_interfaces/msg/Step.msg

One flat message for every primitive: `primitive` names it, and each field of any primitive is a
field here; a field the step's primitive does not have stays 0 / "". test_interfaces.py checks that
the committed file is what this prints.
"""

from __future__ import annotations

import typing

from llm_planner.plan.schema import PRIMITIVES, STEP_FIELDS

_ROS_TYPES = {float: "float64", str: "string", int: "int64", bool: "bool"}


def _ros_type(annotation: object) -> str:
    """float | None -> float64; Literal["a", "b"] -> string."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) is typing.Literal:
        return _ROS_TYPES[type(args[0])]
    if args:
        return _ros_type(args[0])
    return _ROS_TYPES[annotation]


def step_fields() -> dict[str, tuple[str, list[str]]]:
    """Each field of any primitive but `primitive`: (ROS type, the primitives that have it), in vocabulary order."""
    fields: dict[str, tuple[str, list[str]]] = {}
    for primitive, own in STEP_FIELDS.items():
        for name, info in own.items():
            fields.setdefault(name, (_ros_type(info.annotation), []))[1].append(primitive)
    return fields


def step_msg() -> str:
    lines = ["# One plan step, generated from llm_planner/plan/schema.py by `python -m llm_planner.tools.step_msg`.",
             "# `primitive` names the step; a field its primitive does not have stays 0 or \"\" (a bridge",
             "# rejects a step that sets one), and so does an optional field left to the default.",
             f"string primitive  # {', '.join(PRIMITIVES)}"]
    for name, (ros_type, owners) in step_fields().items():
        lines.append(f"{ros_type} {name}  # {', '.join(owners)}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(step_msg(), end="")
