"""The trajectory plot from plain data: the PNG's size is fixed and it shows the path and the plan."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.image import imread

from llm_planner.plan.route import step_poses
from llm_planner.plan.schema import Gesture, Turn, Walk
from llm_planner.tools.trajectory_plot import DPI, FIGSIZE_IN, PATH_COLOR, PLAN_COLOR, save_plot, waypoint_labels

STEPS = [Walk(direction="forward", distance_m=1.0), Turn(direction="left", angle_deg=90.0),
         Walk(direction="forward", distance_m=0.5), Gesture(name="wave")]


def pixels_of(image: np.ndarray, color: str, tolerance: float = 0.04) -> int:
    return int(np.sum(np.all(np.abs(image[:, :, :3] - np.array(to_rgb(color))) <= tolerance, axis=2)))


def walked() -> list[tuple[float, float, float]]:
    """An L-shaped walk that stops short of the plan's end (so path and plan are apart)."""
    return ([(i / 50, 0.0, 0.0) for i in range(51)] + [(1.0, 0.0, math.radians(a)) for a in range(0, 91, 5)]
            + [(1.0, i / 50, math.pi / 2) for i in range(16)])


def test_plot_has_the_fixed_size_and_shows_path_and_plan(tmp_path) -> None:
    out = save_plot(tmp_path / "plot.png", "walk forward 1 meter, turn left 90 degrees, walk half a meter, wave",
                    walked(), step_poses(STEPS, (0.0, 0.0, 0.0)), [("wave", (1.0, 0.3, math.pi / 2))], "t1: aborted")
    assert out.is_file() and out.stat().st_size > 10_000
    image = imread(out)
    assert image.shape[:2] == (FIGSIZE_IN[1] * DPI, FIGSIZE_IN[0] * DPI)
    assert pixels_of(image, PATH_COLOR) > 500, "the walked path is drawn"
    assert pixels_of(image, PLAN_COLOR) > 100, "the planned route is drawn"


def test_plot_survives_non_latin_long_titles_and_no_data(tmp_path) -> None:
    for name, task, path in (("zh.png", "向前走一米然后向左转九十度再挥手 " * 8, walked()), ("empty.png", "", [])):
        out = save_plot(tmp_path / name, task, path)
        image = imread(out)
        assert image.shape[:2] == (600, 800)
    assert pixels_of(imread(tmp_path / "zh.png"), PATH_COLOR) > 500


def test_waypoints_are_labelled_with_the_steps_that_end_there() -> None:
    labels = waypoint_labels(step_poses(STEPS, (0.0, 0.0, 0.0)))
    assert [text for text, _ in labels] == ["1-2", "3-4"]
    assert labels[1][1][:2] == (1.0, 0.5)
