"""Declare a node's ROS parameters from a pydantic settings model.

Name, default, type, description and numeric range all come from the model's
fields, so nothing about a setting is written twice. Run-time changes
(`ros2 param set`) are validated by the same model and refused with its reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, get_args

import annotated_types
from pydantic import BaseModel, ValidationError
from rcl_interfaces.msg import FloatingPointRange, IntegerRange, ParameterDescriptor, SetParametersResult
from rclpy.node import Node
from rclpy.parameter import Parameter

S = TypeVar("S", bound=BaseModel)


def _descriptor(name: str, field) -> ParameterDescriptor:
    low = high = None
    for meta in field.metadata:
        if isinstance(meta, (annotated_types.Ge, annotated_types.Gt)):
            low = getattr(meta, "ge", getattr(meta, "gt", None))
        if isinstance(meta, (annotated_types.Le, annotated_types.Lt)):
            high = getattr(meta, "le", getattr(meta, "lt", None))
    # dynamic typing lets `-p speed:=1` reach a float field; the pydantic model does the type check
    # read_only: settings used once at start (the model, the engine): a run-time change is refused, not ignored
    read_only = bool((field.json_schema_extra or {}).get("read_only", False))
    descriptor = ParameterDescriptor(name=name, description=field.description or "", dynamic_typing=True,
                                     read_only=read_only)
    kind = field.annotation
    if kind is float and low is not None and high is not None:
        descriptor.floating_point_range = [FloatingPointRange(from_value=float(low), to_value=float(high))]
    elif kind is int and low is not None and high is not None:
        descriptor.integer_range = [IntegerRange(from_value=int(low), to_value=int(high), step=0)]
    return descriptor


def _coerce(field, value: object) -> object:
    """A parameter value as the field wants it: "" is unset for optional fields, and a text field
    keeps text even when the command line's YAML read it as a number (`-p model_sha256:=0123...`)."""
    if value == "" and field.get_default() is None:
        return None
    if _parameter_type(field) == Parameter.Type.STRING and isinstance(value, (int, float)) and not isinstance(
            value, bool):
        return str(value)
    return value


def _parameter_type(field) -> Parameter.Type:
    kind = field.annotation
    kinds = get_args(kind) or (kind,)
    if bool in kinds:
        return Parameter.Type.BOOL
    if int in kinds and float not in kinds:
        return Parameter.Type.INTEGER
    if float in kinds:
        return Parameter.Type.DOUBLE
    return Parameter.Type.STRING


def declare_settings(node: Node, model: type[S], on_change: Callable[[S], None] | None = None) -> S:
    """Declare one parameter per field, read them back, and validate later changes."""
    values = {}
    for name, field in model.model_fields.items():
        default = field.get_default(call_default_factory=True)
        if default is None:
            default = ""  # optional strings: "" means unset
        descriptor = _descriptor(name, field)
        kind = _parameter_type(field)
        if kind == Parameter.Type.DOUBLE and isinstance(default, int):
            default = float(default)
        values[name] = _coerce(field, node.declare_parameter(name, default, descriptor).value)
    try:
        settings = model(**values)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise SystemExit(f"{node.get_name()}: invalid parameter {where}: {first['msg']}") from None
    state = {"settings": settings}

    def validate(params: list[Parameter]) -> SetParametersResult:
        changed = state["settings"].model_dump()
        for param in params:
            if param.name in changed:
                changed[param.name] = _coerce(model.model_fields[param.name], param.value)
        try:
            new = model(**changed)
        except ValidationError as error:
            return SetParametersResult(successful=False, reason=str(error.errors()[0]["msg"]))
        state["settings"] = new
        if on_change is not None:
            on_change(new)
        return SetParametersResult(successful=True)

    node.add_on_set_parameters_callback(validate)
    return settings
