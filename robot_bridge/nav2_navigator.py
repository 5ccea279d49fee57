"""go_to through Nav2 (`navigation: nav2`): a NavigateToPose goal per step, its feedback on `bridge/status`.

Nav2 brings the map, localization and obstacle avoidance; the bridge sends the place as the goal
pose in the place's frame, reports Nav2's feedback at most once a second as `step_feedback`
events, and cancels the goal when the plan is cancelled (e-stop, a stop plan, preemption,
disarming). The plan's thread waits here; the node's executor completes the futures.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from action_msgs.msg import GoalStatus
from rclpy.action import ActionClient
from rclpy.node import Node

from llm_planner.plan.places import Place
from llm_planner.ros.geometry import yaw_quaternion
from robot_bridge.controller_client import ControllerError

FEEDBACK_PERIOD_S = 1.0
CANCEL_WAIT_S = 2.0

Report = Callable[[str], None]  # the detail of one step_feedback event


class Nav2Navigator:
    """Sends NavigateToPose goals to the Nav2 server `action_name` (relative: the bridge's namespace)."""

    def __init__(self, node: Node, action_name: str, server_timeout_s: float, goal_timeout_s: float) -> None:
        from nav2_msgs.action import NavigateToPose  # the real one on a ROS install, else interfaces_embedded/

        self._action = NavigateToPose
        self._node = node
        self._client = ActionClient(node, NavigateToPose, action_name)
        self.action_name = action_name
        self.server_timeout_s, self.goal_timeout_s = server_timeout_s, goal_timeout_s

    def destroy(self) -> None:
        self._client.destroy()

    def go_to(self, place: Place, cancelled: threading.Event, report: Report) -> str:
        """Drive to `place` through Nav2; ControllerError (nav2_unavailable, nav2_rejected, nav2_failed,
        timeout, cancelled) when it does not get there."""
        if not self._client.wait_for_server(timeout_sec=self.server_timeout_s):
            raise ControllerError("nav2_unavailable", f"no NavigateToPose server on {self.action_name} "
                                                      f"within {self.server_timeout_s} s")
        goal = self._action.Goal()
        goal.pose.header.frame_id = place.frame
        goal.pose.header.stamp = self._node.get_clock().now().to_msg()
        goal.pose.pose.position.x, goal.pose.pose.position.y = place.x, place.y
        goal.pose.pose.orientation = yaw_quaternion(math.radians(place.yaw_deg))
        last_report = [0.0]

        def on_feedback(message) -> None:
            now = time.monotonic()
            if now - last_report[0] >= FEEDBACK_PERIOD_S:
                last_report[0] = now
                feedback = message.feedback
                report(f"Nav2 to {place.name}: {feedback.distance_remaining:.2f} m to go, "
                       f"{feedback.number_of_recoveries} recoveries")

        # A server that vanished may still be in this node's graph: its silence is unavailability too.
        handle = self._wait(self._client.send_goal_async(goal, feedback_callback=on_feedback), cancelled,
                            self.server_timeout_s, "the goal's acceptance", "nav2_unavailable")
        if not handle.accepted:
            raise ControllerError("nav2_rejected", f"Nav2 rejected the goal to {place.name}")
        try:
            result = self._wait(handle.get_result_async(), cancelled, self.goal_timeout_s, f"Nav2 to {place.name}")
        except ControllerError:
            cancelling = handle.cancel_goal_async()
            deadline = time.monotonic() + CANCEL_WAIT_S
            while not cancelling.done() and time.monotonic() < deadline:
                time.sleep(0.02)
            raise
        if result.status != GoalStatus.STATUS_SUCCEEDED:
            code, why = result.result.error_code, result.result.error_msg[:200]
            raise ControllerError("nav2_failed", f"Nav2 ended with status {result.status}, error {code}: {why}")
        return f"at {place.name} (Nav2)"

    @staticmethod
    def _wait(future, cancelled: threading.Event, timeout: float, what: str, late: str = "timeout"):
        """The future's result; ControllerError when cancelled, or `late` when out of time first."""
        done = threading.Event()
        future.add_done_callback(lambda _f: done.set())
        deadline = time.monotonic() + timeout
        while not done.wait(0.05):
            if cancelled.is_set():
                raise ControllerError("cancelled", "cancelled")
            if time.monotonic() > deadline:
                raise ControllerError(late, f"{what} took more than {timeout:.0f} s")
        return future.result()
