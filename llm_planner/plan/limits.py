"""Safety limits on plans, checked independently of whoever wrote the plan.

The planner checks them before publishing; the bridge checks them again before
executing (a hand-published plan never reaches the controller unchecked).
Imports only the plan models, so both sides can share it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from llm_planner.plan.places import Destinations
from llm_planner.plan.route import after_step, next_pose
from llm_planner.plan.schema import GoTo, Plan, Turn, Wait, Walk


class Limits(BaseModel):
    """Per-step and per-plan limits; every field becomes a ROS parameter."""

    model_config = ConfigDict(extra="forbid")

    max_distance_m: float = Field(5.0, gt=0, le=50, description="longest single walk step (m)")
    max_angle_deg: float = Field(360.0, gt=0, le=1080, description="largest single turn (deg)")
    max_wait_s: float = Field(30.0, gt=0, le=600, description="longest wait step (s)")
    max_steps: int = Field(8, ge=1, le=64, description="most steps in one plan")
    max_speed_mps: float = Field(0.6, gt=0, le=2.0, description="highest walking speed (m/s)")
    max_turn_speed_deg_s: float = Field(60.0, gt=0, le=180, description="highest turn rate (deg/s)")
    workspace_radius_m: float = Field(
        10.0, gt=0, le=100, description="the robot stays within this distance of the odom origin (m)"
    )


@dataclass(frozen=True)
class Violation:
    """A broken limit: machine-readable `reason`, human `detail`, offending step index."""

    reason: str
    detail: str
    step: int | None = None


def check_step(index: int, step: object, limits: Limits) -> list[Violation]:
    """Limits that one step breaks on its own (usable while a plan is still streaming)."""
    found: list[Violation] = []
    if isinstance(step, Walk):
        if step.distance_m > limits.max_distance_m:
            found.append(Violation("distance_limit", f"walk {step.distance_m} m > {limits.max_distance_m} m", index))
        if step.speed_mps is not None and step.speed_mps > limits.max_speed_mps:
            found.append(Violation("speed_limit", f"speed {step.speed_mps} m/s > {limits.max_speed_mps} m/s", index))
    elif isinstance(step, Turn):
        if step.angle_deg > limits.max_angle_deg:
            found.append(Violation("angle_limit", f"turn {step.angle_deg} deg > {limits.max_angle_deg} deg", index))
        if step.speed_deg_s is not None and step.speed_deg_s > limits.max_turn_speed_deg_s:
            found.append(
                Violation("speed_limit", f"turn rate {step.speed_deg_s} deg/s > {limits.max_turn_speed_deg_s}", index)
            )
    elif isinstance(step, Wait) and step.seconds > limits.max_wait_s:
        found.append(Violation("wait_limit", f"wait {step.seconds} s > {limits.max_wait_s} s", index))
    return found


def check_place(index: int, step: GoTo, places: Destinations | None) -> list[Violation]:
    """A go_to to a place that is not known, or not to be driven to now (`places.refused` says why)."""
    known = places.names if places is not None else ()
    if step.place in (places.refused if places is not None else {}):
        return [Violation("untrusted_place", f"{step.place}: {places.refused[step.place]}", index)]
    if places is None or step.place not in places.poses:
        listed = ", ".join(known) if known else "none"
        return [Violation("unknown_place", f"no place named {step.place!r}; known places: {listed}", index)]
    return []


def check_plan(
    plan: Plan, limits: Limits, start: tuple[float, float, float] = (0.0, 0.0, 0.0),
    places: Destinations | None = None,
) -> list[Violation]:
    """Every limit the plan breaks, walking it from `start` = (x, y, yaw rad) in the odom frame;
    a go_to goes to its place in `places` or to one an earlier step remembered (a plan with a go_to and
    neither breaks unknown_place)."""
    found: list[Violation] = []
    if len(plan.steps) > limits.max_steps:
        found.append(Violation("too_many_steps", f"{len(plan.steps)} steps > {limits.max_steps}"))
    pose = start
    for index, step in enumerate(plan.steps):
        found.extend(check_step(index, step, limits))
        if isinstance(step, GoTo):
            found.extend(check_place(index, step, places))
        pose = next_pose(pose, step, places)
        places = after_step(places, step, pose)
        distance = math.hypot(pose[0], pose[1])
        if isinstance(step, Walk | GoTo) and distance > limits.workspace_radius_m + 1e-6:
            found.append(Violation(
                "workspace_limit",
                f"step {index} ends {distance:.2f} m from origin > {limits.workspace_radius_m} m",
                index,
            ))
    return found
