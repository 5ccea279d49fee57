"""The planned route: dead reckoning of walk and turn steps from a start pose."""

import math

import pytest

from llm_planner.plan.route import moved, step_poses
from llm_planner.plan.schema import Gesture, Turn, Walk


def test_square_returns_to_start() -> None:
    steps = [Walk(direction="forward", distance_m=1.0), Turn(direction="left", angle_deg=90)] * 4
    poses = step_poses(steps)
    assert len(poses) == 9
    assert poses[2][:2] == pytest.approx((1.0, 0.0))
    assert poses[4][:2] == pytest.approx((1.0, 1.0))
    assert poses[-1][:2] == pytest.approx((0.0, 0.0), abs=1e-9)
    assert poses[-1][2] == pytest.approx(2 * math.pi)


@pytest.mark.parametrize(("direction", "expected"), [
    ("forward", (2.0, 4.0)), ("backward", (2.0, 2.0)), ("left", (1.0, 3.0)), ("right", (3.0, 3.0)),
])
def test_walk_directions_are_in_the_body_frame(direction: str, expected: tuple[float, float]) -> None:
    start = (2.0, 3.0, math.pi / 2)  # facing +y
    (x, y, yaw) = step_poses([Walk(direction=direction, distance_m=1.0)], start)[-1]
    assert (x, y) == pytest.approx(expected)
    assert yaw == start[2]


def test_gestures_and_right_turns() -> None:
    poses = step_poses([Gesture(name="wave"), Turn(direction="right", angle_deg=45)], (0.5, 0.0, 0.0))
    assert poses[1] == (0.5, 0.0, 0.0)
    assert poses[2][2] == pytest.approx(-math.pi / 4)


def test_moved_by_distance_or_by_heading_either_way_round() -> None:
    assert not moved((0.0, 0.0, 0.0), (0.01, 0.0, 0.01), 0.02, 0.05)
    assert moved((0.0, 0.0, 0.0), (0.02, 0.0, 0.0), 0.02, 0.05)
    assert moved((0.0, 0.0, 0.0), (0.0, 0.0, -0.05), 0.02, 0.05)
    assert not moved((0.0, 0.0, math.pi - 0.01), (0.0, 0.0, -math.pi + 0.01), 0.02, 0.05)  # across the wrap
