"""go_to through Nav2 (`navigation: nav2`) against a NavigateToPose action server, over real DDS.

The server here plays Nav2 with Nav2's own interface definition (nav2_msgs: the installed one on
a ROS install, else the embedded set-up's interfaces_embedded/nav2_msgs): it records each goal and
answers as a test tells it to: succeed after some feedback, fail with an error code, or run until
cancelled. The bridge and the simulated robot are real processes; the server runs in this process.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator

import pytest
import yaml
from bridge_stack import Stack, stacks

nav2_msgs = pytest.importorskip("nav2_msgs.action", reason="nav2_msgs is not built (scripts/setup.sh builds it)")
from rclpy.action import ActionServer, CancelResponse, GoalResponse  # noqa: E402
from rclpy.callback_groups import ReentrantCallbackGroup  # noqa: E402
from rclpy.executors import MultiThreadedExecutor  # noqa: E402

NavigateToPose = nav2_msgs.NavigateToPose
SIM = {"stand_up_duration_s": 0.5, "initial_fsm": 500}


class FakeNav2:
    """A NavigateToPose server that does what `mode` says: succeed, fail or hold (until cancelled)."""

    def __init__(self, rclpy_session, namespace: str) -> None:
        self.node = rclpy_session.create_node("fake_nav2", namespace=namespace)
        self.mode = "succeed"
        self.goals: list = []
        self.cancelled: list[float] = []
        self.server = ActionServer(self.node, NavigateToPose, "navigate_to_pose", self._execute,
                                   goal_callback=lambda _g: GoalResponse.ACCEPT,
                                   cancel_callback=self._cancel, callback_group=ReentrantCallbackGroup())
        self.executor = MultiThreadedExecutor(num_threads=2)
        self.executor.add_node(self.node)
        self.thread = threading.Thread(target=self.executor.spin, daemon=True)
        self.thread.start()

    def _cancel(self, _goal) -> CancelResponse:
        self.cancelled.append(time.monotonic())
        return CancelResponse.ACCEPT

    def _execute(self, handle):
        self.goals.append(handle.request.pose)
        result = NavigateToPose.Result()
        while self.mode == "hold" and not handle.is_cancel_requested:
            time.sleep(0.1)
            feedback = NavigateToPose.Feedback()
            feedback.distance_remaining = 1.0
            handle.publish_feedback(feedback)
        for remaining in (3.0, 2.0, 1.0, 0.5):
            if handle.is_cancel_requested:
                handle.canceled()
                return result
            feedback = NavigateToPose.Feedback()
            feedback.distance_remaining = remaining
            handle.publish_feedback(feedback)
            time.sleep(0.4)
            if self.mode == "fail":
                result.error_code, result.error_msg = 9000, "no path to the goal"
                handle.abort()
                return result
        handle.succeed()
        return result

    def close(self) -> None:
        self.mode = "succeed"  # a goal still held ends
        self.executor.shutdown(timeout_sec=2.0)
        self.thread.join(timeout=2.0)
        if self.server is not None:
            self.server.destroy()
        self.node.destroy_node()


@pytest.fixture(scope="module")
def nav2(rclpy_session, tmp_path_factory) -> Iterator[tuple[Stack, FakeNav2]]:
    files = tmp_path_factory.mktemp("nav2")
    places_file = files / "places.yaml"
    places_file.write_text(yaml.safe_dump({"places": [{"name": "lab", "frame": "map", "x": 7.0, "y": -2.0,
                                                       "yaw_deg": 90}]}))
    bridge = {"navigation": "nav2", "places_file": str(places_file), "memory_file": str(files / "memory.yaml"),
              "nav2_server_timeout_s": 2.0}
    server = FakeNav2(rclpy_session, "nav2")
    try:
        with stacks(rclpy_session, {"nav2": (SIM, bridge)}) as running:
            yield running["nav2"], server
    finally:
        server.close()


def test_a_go_to_is_a_navigate_to_pose_goal_with_its_feedback_on_bridge_status(nav2):
    robot, server = nav2
    server.mode = "succeed"
    assert robot.wait_for(lambda: robot.client.places is not None and "lab" in robot.client.places.destinations.poses,
                          30.0), "a map place is trusted with Nav2"
    final = robot.run([{"primitive": "go_to", "place": "lab"}, {"primitive": "go_to", "place": "door"}])
    assert final["state"] == "completed", robot.of(final["id"])
    lab, door = server.goals[-2:]
    assert (lab.header.frame_id, lab.pose.position.x, lab.pose.position.y) == ("map", 7.0, -2.0)
    assert math.isclose(2 * math.atan2(lab.pose.orientation.z, lab.pose.orientation.w), math.pi / 2, abs_tol=1e-6)
    assert (door.header.frame_id, door.pose.position.x) == ("odom", 4.0)
    feedback = [e["detail"] for e in robot.of(final["id"], "step_feedback")]
    assert feedback and feedback[0].startswith("Nav2 to lab: 3.00 m to go, 0 recoveries"), feedback
    assert [e["detail"] for e in robot.of(final["id"], "step_succeeded")] == ["at lab (Nav2)", "at door (Nav2)"]


def test_a_failed_navigation_fails_the_step_with_nav2s_reason(nav2):
    robot, server = nav2
    server.mode = "fail"
    final = robot.run([{"primitive": "go_to", "place": "desk"}, {"primitive": "gesture", "name": "wave"}])
    assert final["state"] == "aborted"
    failed = robot.of(final["id"], "step_failed")
    assert failed[0]["reason"] == "nav2_failed" and "error 9000: no path to the goal" in failed[0]["detail"]
    assert not robot.of(final["id"], "step_started")[1:]  # the wave never started


@pytest.mark.parametrize("how", ["estop", "preempted"])
def test_the_goal_is_cancelled_when_the_plan_ends_early(nav2, how: str):
    robot, server = nav2
    server.mode = "hold"
    cancels = len(server.cancelled)
    plan_id = robot.send([{"primitive": "go_to", "place": "window"}])
    assert robot.wait_for(lambda: robot.of(plan_id, "step_feedback"), 15.0), robot.of(plan_id)
    if how == "estop":
        robot.estop(True)
    else:
        robot.send([{"primitive": "stop"}])
    assert robot.final(plan_id, 10.0)["state"] == how
    assert robot.wait_for(lambda: len(server.cancelled) > cancels, 5.0), "Nav2's goal was never cancelled"
    if how == "estop":
        robot.release_estop()


def test_without_a_nav2_server_the_step_fails_saying_so(nav2):
    robot, server = nav2
    server.server.destroy()
    server.server = None
    final = robot.run([{"primitive": "go_to", "place": "door"}], timeout=30.0)
    failed = robot.of(final["id"], "step_failed")
    assert final["state"] == "aborted" and failed[0]["reason"] == "nav2_unavailable", robot.of(final["id"])
