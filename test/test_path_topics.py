"""plan_path and robot_path over real DDS, from the real bridge driving the real simulated robot; the RViz config.

One (sim_robot, bridge_node) pair in its namespace (tests in this module share it, and
each starts from wherever the last left the robot). A listener node in this process
records both latched paths; a late one, created after the plans, must still get them.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path as FilePath

import pytest
import yaml
from bridge_stack import Stack, stacks, yaw_diff_deg
from nav_msgs.msg import Path
from rclpy.executors import SingleThreadedExecutor
from rclpy.node import Node
from rclpy.qos import DurabilityPolicy

from llm_planner.plan.route import Pose, step_poses
from llm_planner.plan.schema import Plan
from robot_bridge.path_topics import (
    FRAME,
    LATCHED,
    MAX_POSES,
    MIN_STEP_M,
    MIN_TURN_RAD,
    PLAN_PATH_TOPIC,
    ROBOT_PATH_TOPIC,
    PathTopics,
)
from robot_bridge.protocol import ControllerState

NS = "paths"
RVIZ = FilePath(__file__).resolve().parent.parent / "config" / "llm_planner.rviz"
DISPLAY_TYPES = {"rviz_default_plugins/Path": "nav_msgs/msg/Path",
                 "rviz_default_plugins/Odometry": "nav_msgs/msg/Odometry"}
TOPICS = (PLAN_PATH_TOPIC, ROBOT_PATH_TOPIC)


def walk(direction: str, distance: float) -> dict:
    return {"primitive": "walk", "direction": direction, "distance_m": distance, "speed_mps": 0.5}


def turn(direction: str, angle: float) -> dict:
    return {"primitive": "turn", "direction": direction, "angle_deg": angle, "speed_deg_s": 60.0}


def poses(msg: Path) -> list[Pose]:
    return [(p.pose.position.x, p.pose.position.y, 2.0 * math.atan2(p.pose.orientation.z, p.pose.orientation.w))
            for p in msg.poses]


def planned(steps: list[dict], start: Pose) -> list[Pose]:
    return step_poses(Plan.model_validate({"steps": steps}).steps, start)


def same_poses(a: list[Pose], b: list[Pose], tolerance_m: float = 0.005, tolerance_deg: float = 0.5) -> bool:
    return len(a) == len(b) and all(math.dist(p[:2], q[:2]) <= tolerance_m
                                    and abs(yaw_diff_deg(p[2], q[2])) <= tolerance_deg for p, q in zip(a, b))


def near(pose: Pose, state: dict, tolerance_m: float = 0.03, tolerance_deg: float = 3.0) -> bool:
    return (math.dist(pose[:2], state["position"][:2]) <= tolerance_m
            and abs(yaw_diff_deg(pose[2], state["yaw"])) <= tolerance_deg)


class PathListener:
    """Every plan_path and robot_path message `node` receives from the stack's bridge."""

    def __init__(self, node: Node, namespace: str = NS) -> None:
        self._changed = threading.Condition()
        self.received: dict[str, list[Path]] = {topic: [] for topic in TOPICS}
        for topic in TOPICS:
            node.create_subscription(Path, f"/{namespace}/{topic}", partial(self._on_path, topic), LATCHED)

    def _on_path(self, topic: str, msg: Path) -> None:
        with self._changed:
            self.received[topic].append(msg)
            self._changed.notify_all()

    def count(self, topic: str) -> int:
        with self._changed:
            return len(self.received[topic])

    def wait(self, topic: str, accept: Callable[[Path], bool], timeout: float = 5.0, since: int = 0) -> Path:
        """The latest message on `topic` (from the `since`-th on) once `accept` holds for it."""
        found: list[Path] = []

        def accepted() -> bool:
            found[:] = self.received[topic][since:][-1:]
            return bool(found) and accept(found[0])
        with self._changed:
            ok = self._changed.wait_for(accepted, timeout)
            latest = [poses(m)[-3:] for m in self.received[topic][-1:]]
        assert ok, f"no acceptable {topic} within {timeout} s; latest ends {latest}"
        return found[0]


@pytest.fixture(scope="module")
def listener_node(rclpy_session) -> Iterator[tuple[Node, SingleThreadedExecutor]]:
    node = rclpy_session.create_node("path_topics_listener")
    executor = SingleThreadedExecutor()
    executor.add_node(node)
    spinner = threading.Thread(target=executor.spin, daemon=True)
    spinner.start()
    yield node, executor
    executor.shutdown()
    spinner.join(timeout=5.0)
    node.destroy_node()


@pytest.fixture(scope="module")
def rig(rclpy_session, listener_node) -> Iterator[tuple[Stack, PathListener]]:
    listener = PathListener(listener_node[0])
    with stacks(rclpy_session, {NS: ({"initial_fsm": 500}, {})}) as running:
        yield running[NS], listener


def run_plan(robot: Stack, listener: PathListener, steps: list[dict]) -> tuple[Pose, dict, Path, Path]:
    """Run `steps` from where the robot stands; (start, final state, its plan_path, its final robot_path)."""
    start = robot.pose()
    plan_count, robot_count = listener.count(PLAN_PATH_TOPIC), listener.count(ROBOT_PATH_TOPIC)
    plan_id = robot.send(steps)
    assert robot.final(plan_id)["state"] == "completed", robot.of(plan_id)
    end = robot.still()
    plan_path = listener.wait(PLAN_PATH_TOPIC, lambda m: same_poses(poses(m), planned(steps, start)), since=plan_count)
    robot_path = listener.wait(ROBOT_PATH_TOPIC, lambda m: bool(m.poses) and near(poses(m)[-1], end),
                               since=robot_count)
    return start, end, plan_path, robot_path


def test_paths_show_the_planned_and_the_executed_route(rig: tuple[Stack, PathListener]) -> None:
    robot, listener = rig
    steps = [walk("forward", 1.0), turn("left", 90.0), walk("forward", 0.5)]
    start, end, plan_path, robot_path = run_plan(robot, listener, steps)
    assert plan_path.header.frame_id == FRAME and all(p.header.frame_id == FRAME for p in plan_path.poses)
    assert len(plan_path.poses) == len(steps) + 1  # the start, then the pose after each step
    assert near(poses(plan_path)[-1], end, 0.07)  # the robot went where the plan said

    route = poses(robot_path)
    assert robot_path.header.frame_id == FRAME and all(p.header.frame_id == FRAME for p in robot_path.poses)
    assert math.dist(route[0][:2], start[:2]) <= 0.02  # begins where the plan began
    assert len(route) > 50  # 1.5 m and 90 degrees at 2 cm / 2 degree resolution
    for before, after in zip(route, route[1:]):  # decimated: every pose moved or turned enough
        moved = math.dist(before[:2], after[:2]) >= MIN_STEP_M - 1e-6
        turned = abs(math.remainder(after[2] - before[2], math.tau)) >= MIN_TURN_RAD - 1e-6
        assert moved or turned, (before, after)
    corner = planned(steps, start)[1]  # the executed route passes the planned corner
    assert min(math.dist(p[:2], corner[:2]) for p in route) <= 0.05
    stamps = [p.header.stamp.sec + p.header.stamp.nanosec * 1e-9 for p in robot_path.poses]
    assert stamps == sorted(stamps) and abs(stamps[-1] - time.time()) < 10.0  # node clock, in order


def test_new_plan_resets_robot_path_from_where_the_robot_stands(rig: tuple[Stack, PathListener]) -> None:
    robot, listener = rig
    run_plan(robot, listener, [walk("forward", 0.4)])
    steps = [turn("right", 45.0), walk("backward", 0.3)]
    start, end, plan_path, robot_path = run_plan(robot, listener, steps)
    assert same_poses(poses(plan_path), planned(steps, start), 0.001, 0.1)  # from the robot's pose, not the origin
    route = poses(robot_path)
    assert math.dist(route[0][:2], start[:2]) <= 0.02
    assert all(math.dist(p[:2], start[:2]) <= 0.35 for p in route)  # nothing of the previous plan's 0.4 m walk


def test_growing_streamed_plan_republishes_plan_path(rig: tuple[Stack, PathListener]) -> None:
    robot, listener = rig
    start = robot.pose()
    first, grown = [walk("left", 0.2)], [walk("left", 0.2), turn("left", 30.0)]
    since = listener.count(PLAN_PATH_TOPIC)
    for steps, final in ((first, False), (grown, True)):
        robot.client.send_plan("grows", steps, "t", final)
        listener.wait(PLAN_PATH_TOPIC, lambda m, steps=steps: same_poses(poses(m), planned(steps, start)), since=since)
    assert robot.final("grows")["state"] == "completed", robot.of("grows")


def test_late_subscriber_gets_the_latest_paths(rig: tuple[Stack, PathListener], rclpy_session,
                                               listener_node: tuple[Node, SingleThreadedExecutor]) -> None:
    robot, listener = rig
    _, _, plan_path, robot_path = run_plan(robot, listener, [turn("left", 30.0)])
    late_node = rclpy_session.create_node("path_topics_late_listener")
    listener_node[1].add_node(late_node)
    try:
        late = PathListener(late_node)
        assert poses(late.wait(PLAN_PATH_TOPIC, lambda m: True)) == poses(plan_path)
        assert poses(late.wait(ROBOT_PATH_TOPIC, lambda m: True)) == poses(robot_path)
    finally:
        listener_node[1].remove_node(late_node)
        late_node.destroy_node()


def test_rviz_displays_name_the_topics_the_nodes_publish(rig: tuple[Stack, PathListener],
                                                         listener_node: tuple[Node, SingleThreadedExecutor]) -> None:
    node = listener_node[0]
    published = dict(node.get_topic_names_and_types())
    for display in rviz_displays():
        name = f"/{NS}/{display['Topic']['Value']}"
        assert DISPLAY_TYPES[display["Class"]] in published.get(name, []), f"{name}: {published.get(name)}"
        if display["Topic"]["Durability Policy"] == "Transient Local":  # only then does a late RViz get the path
            durabilities = {i.qos_profile.durability for i in node.get_publishers_info_by_topic(name)}
            assert durabilities == {DurabilityPolicy.TRANSIENT_LOCAL}, name


def rviz_displays() -> list[dict]:
    """The Path and Odometry displays of config/llm_planner.rviz."""
    config = yaml.safe_load(RVIZ.read_text(encoding="utf-8"))
    return [d for d in config["Visualization Manager"]["Displays"] if d["Class"] in DISPLAY_TYPES]


def test_rviz_config_shows_plan_against_execution_in_odom() -> None:
    config = yaml.safe_load(RVIZ.read_text(encoding="utf-8"))
    manager = config["Visualization Manager"]
    assert manager["Global Options"]["Fixed Frame"] == FRAME
    assert manager["Views"]["Current"]["Class"] == "rviz_default_plugins/TopDownOrtho"
    classes = [d["Class"] for d in manager["Displays"]]
    assert {"rviz_default_plugins/Grid", "rviz_default_plugins/TF", "rviz_default_plugins/Odometry"} <= set(classes)
    paths = [d for d in rviz_displays() if d["Class"] == "rviz_default_plugins/Path"]
    assert sorted(d["Topic"]["Value"] for d in paths) == sorted(TOPICS)
    assert all(d["Topic"]["Durability Policy"] == "Transient Local" for d in paths)
    assert len({d["Color"] for d in paths}) == 2  # plan and execution tell apart


def test_robot_path_is_decimated_and_bounded(rclpy_session) -> None:
    """Straight from the class with a real node: states 1.5 cm apart are skipped, the path keeps MAX_POSES."""
    node = rclpy_session.create_node("path_topics_bound", namespace="/bound")
    listener_node = rclpy_session.create_node("path_topics_bound_listener")
    executor = SingleThreadedExecutor()
    executor.add_node(listener_node)
    spinner = threading.Thread(target=executor.spin, daemon=True)
    spinner.start()
    paths = PathTopics(node)
    try:
        listener = PathListener(listener_node, "bound")
        paths.start([], (0.0, 0.0, 0.0))
        last_x = 0.015 * 2 * MAX_POSES
        for i in range(1, 2 * MAX_POSES + 1):  # every other state is kept, MAX_POSES of them
            paths.on_state(ControllerState(stamp=0.0, fsm_id=500, position=[0.015 * i, 0.0, 0.0],
                                           velocity=[0.5, 0.0, 0.0], yaw=0.0), running=True)
        path = listener.wait(ROBOT_PATH_TOPIC, lambda m: abs(m.poses[-1].pose.position.x - last_x) < 1e-9)
        route = poses(path)
        assert len(route) == MAX_POSES  # the start pose and the oldest states dropped
        assert all(abs(b[0] - a[0] - 0.03) < 1e-9 for a, b in zip(route, route[1:]))
    finally:
        paths.close()
        executor.shutdown()
        spinner.join(timeout=5.0)
        node.destroy_node()
        listener_node.destroy_node()
