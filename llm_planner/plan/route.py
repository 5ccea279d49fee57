"""Where a plan takes the robot: the pose after each step, dead-reckoned from a start pose.

One computation for everything that needs the planned route: the workspace limit,
the `plan_path` topic and the trajectory plot. Imports only the plan models.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from llm_planner.plan.places import Destinations, Pose
from llm_planner.plan.schema import GoTo, Remember, Turn, Walk

# Unit displacement in the body frame (REP-103: x forward, y left) per walk direction.
DIRECTION_VECTORS = {"forward": (1.0, 0.0), "backward": (-1.0, 0.0), "left": (0.0, 1.0), "right": (0.0, -1.0)}


def next_pose(pose: Pose, step: object, places: Destinations | None = None) -> Pose:
    """The pose after one step: walks move, turns rotate (left = counter-clockwise), a go_to ends at its
    place (when `places` knows it), the rest stay."""
    x, y, yaw = pose
    if isinstance(step, GoTo):
        return places.poses.get(step.place, pose) if places is not None else pose
    if isinstance(step, Turn):
        return x, y, yaw + math.radians(step.angle_deg) * (1 if step.direction == "left" else -1)
    if isinstance(step, Walk):
        bx, by = DIRECTION_VECTORS[step.direction]
        return (x + step.distance_m * (bx * math.cos(yaw) - by * math.sin(yaw)),
                y + step.distance_m * (bx * math.sin(yaw) + by * math.cos(yaw)), yaw)
    return pose


def moved(a: Pose, b: Pose, min_m: float, min_rad: float) -> bool:
    """True when pose b is at least min_m from pose a, or turned at least min_rad from it (either way round).

    Used to thin a stream of poses (the executed path, plot arrows) to the ones that say something new.
    """
    return math.dist(a[:2], b[:2]) >= min_m or abs(math.remainder(b[2] - a[2], math.tau)) >= min_rad


def after_step(places: Destinations | None, step: object, pose: Pose) -> Destinations | None:
    """The places a later step may go to: a remember adds the spot it is taken at ("remember this spot as
    A, walk 3 m, come back to A"), trusted again even where an earlier odometry session's A was not."""
    if not isinstance(step, Remember):
        return places
    known = places or Destinations()
    refused = {name: why for name, why in known.refused.items() if name != step.place}
    return Destinations({**known.poses, step.place: pose}, refused)


def step_poses(steps: Iterable[object], start: Pose = (0.0, 0.0, 0.0),
               places: Destinations | None = None) -> list[Pose]:
    """The start pose followed by the pose after each step (len(steps) + 1 poses)."""
    poses = [start]
    for step in steps:
        poses.append(next_pose(poses[-1], step, places))
        places = after_step(places, step, poses[-1])
    return poses
