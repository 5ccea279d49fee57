"""Named places against the simulated robot over real DDS: go_to, remember, restarts, the trust rule, reload.

One simulated robot and its bridge, with a places file of their own (one place besides the simulated
world's) and a memory file in a temporary directory. The tests run in order: what is remembered
in one is what a later one finds after a restart.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator

import pytest
import rclpy
import yaml
from bridge_stack import Stack, stacks, yaw_diff_deg
from visualization_msgs.msg import Marker, MarkerArray

from llm_planner.plan.places import SIM_WORLD
from llm_planner.ros.qos import LATCHED

SIM = {"stand_up_duration_s": 0.5, "task_duration_s": 0.5, "initial_fsm": 500}
POSITION_M, HEADING_DEG = 0.05, 3.0  # the bridge's default tolerances: a go_to ends within them


@pytest.fixture(scope="module")
def robot(rclpy_session, tmp_path_factory) -> Iterator[Stack]:
    files = tmp_path_factory.mktemp("places")
    places_file = files / "places.yaml"
    places_file.write_text(yaml.safe_dump({"places": [{"name": "lab", "x": 1.0, "y": -1.0, "yaw_deg": -90}]}))
    fast = {"max_speed_mps": 1.5, "default_speed_mps": 1.5, "max_turn_speed_deg_s": 120.0,
            "default_turn_speed_deg_s": 120.0}  # the limits and tolerances hold at any speed: save the suite's time
    bridge = {"places_file": str(places_file), "memory_file": str(files / "memory.yaml"), **fast}
    with stacks(rclpy_session, {"places": (SIM, bridge)}) as running:
        stack = running["places"]
        stack.files = files
        yield stack


def places_said(robot: Stack, predicate, timeout: float = 30.0):
    assert robot.wait_for(lambda: robot.client.places is not None and predicate(robot.client.places), timeout), (
        f"places never matched: {robot.client.places}")
    return robot.client.places


def at(robot: Stack, x: float, y: float, yaw_deg: float) -> None:
    rx, ry, ryaw = robot.pose()
    assert math.dist((rx, ry), (x, y)) <= POSITION_M + 0.01, (rx, ry, x, y)
    assert abs(yaw_diff_deg(ryaw, math.radians(yaw_deg))) <= HEADING_DEG + 0.5, (math.degrees(ryaw), yaw_deg)


def test_the_bridge_publishes_what_it_knows_and_draws_it(robot: Stack, rclpy_session):
    known = places_said(robot, lambda k: {p.name for p in k.places} >= {p.name for p in SIM_WORLD.places} | {"lab"})
    assert not known.refused and known.navigation == "direct"
    drawn: list[MarkerArray] = []
    viewer = rclpy_session.create_node("viewer", namespace=robot.namespace)
    viewer.create_subscription(MarkerArray, "places/markers", drawn.append, LATCHED)  # as RViz subscribes
    try:
        deadline = time.monotonic() + 10.0
        while not drawn and time.monotonic() < deadline:
            rclpy.spin_once(viewer, timeout_sec=0.1)
    finally:
        viewer.destroy_node()
    assert drawn, "no places/markers"
    markers = drawn[-1].markers
    assert markers[0].action == Marker.DELETEALL and len(markers) == 1 + 2 * len(known.places)
    labels = {m.text: m for m in markers if m.type == Marker.TEXT_VIEW_FACING}
    assert set(labels) == {p.name for p in known.places}
    assert (labels["door"].header.frame_id, labels["door"].pose.position.x) == ("odom", 4.0)


@pytest.mark.parametrize("name", ["door", "desk", "window", "charger", "lab", "home"])
def test_go_to_ends_at_the_place_facing_its_heading(robot: Stack, name: str):
    place = next(p for p in robot.client.places.places if p.name == name)
    final = robot.run([{"primitive": "go_to", "place": name}], timeout=90.0)
    assert final["state"] == "completed", robot.of(final["id"])
    robot.still(5.0)
    at(robot, place.x, place.y, place.yaw_deg)
    assert "at " + name in robot.of(final["id"], "step_succeeded")[0]["detail"]


def test_an_unknown_place_is_rejected_with_the_known_ones(robot: Stack):
    final = robot.run([{"primitive": "walk", "direction": "forward", "distance_m": 0.3},
                       {"primitive": "go_to", "place": "kitchen"}])
    assert (final["state"], final["reason"]) == ("rejected", "unknown_place")
    assert "door" in final["detail"] and "lab" in final["detail"]


def test_a_place_remembered_by_one_step_is_gone_back_to_by_a_later_one(robot: Stack):
    robot.still(5.0)
    x, y, yaw = robot.pose()
    final = robot.run([{"primitive": "remember", "place": "spot"},
                       {"primitive": "walk", "direction": "forward", "distance_m": 0.5},
                       {"primitive": "turn", "direction": "left", "angle_deg": 90.0},
                       {"primitive": "go_to", "place": "spot"}], timeout=90.0)
    assert final["state"] == "completed", robot.of(final["id"])
    robot.still(5.0)
    at(robot, x, y, math.degrees(yaw))


def test_remembered_places_survive_a_bridge_restart(robot: Stack):
    robot.run([{"primitive": "go_to", "place": "desk"}], timeout=90.0)
    robot.still(5.0)
    sofa = robot.run([{"primitive": "walk", "direction": "forward", "distance_m": 0.5},
                      {"primitive": "remember", "place": "sofa"}, {"primitive": "remember", "place": "desk"}])
    assert sofa["state"] == "completed", robot.of(sofa["id"])
    robot.still(5.0)
    x, y, yaw = robot.pose()
    remembered = [e["detail"] for e in robot.of(sofa["id"], "step_succeeded")][1:]
    assert remembered[0].startswith("remembered sofa at (")
    assert "replaced the earlier desk at (2.00, 1.50, 90 deg)" in remembered[1]  # overwriting says so
    known = places_said(robot, lambda k: "sofa" in {p.name for p in k.places})
    saved = next(p for p in known.places if p.name == "sofa")
    assert math.dist((saved.x, saved.y), (x, y)) <= 0.01 and abs(yaw_diff_deg(math.radians(saved.yaw_deg), yaw)) <= 0.5
    robot.restart_bridge()
    robot.client.places = None
    # the robot did not move meanwhile: once the new bridge has seen odometry, the same session goes on
    places_said(robot, lambda k: "sofa" in {p.name for p in k.places} and not k.refused)
    robot.wait_ready()
    robot.run([{"primitive": "go_to", "place": "home"}], timeout=90.0)
    final = robot.run([{"primitive": "go_to", "place": "sofa"}], timeout=90.0)
    assert final["state"] == "completed", robot.of(final["id"])
    robot.still(5.0)
    at(robot, saved.x, saved.y, saved.yaw_deg)


def test_a_robot_whose_odometry_restarted_refuses_places_remembered_before(robot: Stack):
    robot.start_processes()  # a rebooted robot: odometry starts again at 0, 0 where it stands
    robot.client.places = None
    known = places_said(robot, lambda k: "earlier odometry session" in k.refused.get("sofa", ""))
    assert "earlier odometry session" in known.refused["desk"]  # the desk remembered then, too
    robot.wait_ready()
    final = robot.run([{"primitive": "go_to", "place": "sofa"}])
    assert (final["state"], final["reason"]) == ("rejected", "untrusted_place")
    assert robot.run([{"primitive": "go_to", "place": "door"}], timeout=90.0)["state"] == "completed"


def test_an_edited_places_file_is_reloaded_without_a_restart(robot: Stack):
    places_file = robot.files / "places.yaml"
    places_file.write_text(yaml.safe_dump({"places": [{"name": "kitchen", "x": -1.0, "y": 1.0}]}))
    assert robot.client.reload_places() == (True, f"{len(SIM_WORLD.places) + 3} places")  # kitchen, sofa, spot
    known = places_said(robot, lambda k: "kitchen" in {p.name for p in k.places})
    assert "lab" not in {p.name for p in known.places}
    places_file.write_text("places: [{name: Kitchen!}]")
    done, message = robot.client.reload_places()
    assert not done and "ValidationError" in message
    assert robot.run([{"primitive": "go_to", "place": "kitchen"}], timeout=90.0)["state"] == "completed"
