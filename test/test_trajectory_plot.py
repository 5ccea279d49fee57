"""The trajectory plot from plain data: the PNG's size is fixed and it shows the path and the plan."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.image import imread

from llm_planner.plan.places import SIM_WORLD, Destinations
from llm_planner.plan.route import step_poses
from llm_planner.plan.schema import Gesture, GoTo, Turn, Walk
from llm_planner.tools.trajectory_plot import (
    DPI,
    FIGSIZE_IN,
    PATH_COLOR,
    PLACE_COLOR,
    PLAN_COLOR,
    save_plot,
    waypoint_labels,
)

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


def test_known_places_are_drawn_and_a_go_to_is_planned_to_its_place(tmp_path) -> None:
    world = Destinations.of(SIM_WORLD.places)
    planned = step_poses([GoTo(place="door"), GoTo(place="window")], (0.0, 0.0, 0.0), world)
    assert [pose[:2] for pose in planned] == [(0.0, 0.0), (4.0, 0.0), (0.0, 3.0)]
    without = imread(save_plot(tmp_path / "none.png", "go to the door", [], planned))
    with_places = imread(save_plot(tmp_path / "places.png", "go to the door", [], planned, places=SIM_WORLD.places))
    assert pixels_of(with_places, PLACE_COLOR) > pixels_of(without, PLACE_COLOR) + 200
