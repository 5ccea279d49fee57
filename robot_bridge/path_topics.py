"""The planned and the executed route as nav_msgs/Path, so RViz or Foxglove can show plan vs execution.

`plan_path` is the dead-reckoned route of the running plan (llm_planner.plan.route);
`robot_path` is where the robot really went, from the controller state the bridge
already receives. Both are latched (transient local), so a viewer started late still
gets the latest of each. The state callback only compares and appends a pose; the
message is built and published on a thread of its own, so a long path never delays
the bridge's callbacks (the e-stop above all).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Sequence

from builtin_interfaces.msg import Time
from geometry_msgs.msg import PoseStamped
from nav_msgs.msg import Path
from rclpy.node import Node

from llm_planner.plan.places import Destinations
from llm_planner.plan.route import Pose, moved, step_poses
from llm_planner.ros.geometry import yaw_quaternion
from llm_planner.ros.qos import LATCHED
from robot_bridge.protocol import ControllerState

PLAN_PATH_TOPIC = "plan_path"
ROBOT_PATH_TOPIC = "robot_path"
FRAME = "odom"  # the frame the controller reports its pose in (sim_robot's odometry and TF)
MIN_STEP_M = 0.02  # a new robot_path pose only after this much travel ...
MIN_TURN_RAD = math.radians(2.0)  # ... or this much turning
MAX_POSES = 2000  # robot_path keeps the latest this many poses
TAIL_S = 1.0  # keep recording this long after a plan ends: the robot settles
PUBLISH_PERIOD_S = 0.1  # robot_path at most 10 Hz


def pose_stamped(pose: Pose, stamp: Time) -> PoseStamped:
    """A pose on the ground plane of `FRAME`."""
    msg = PoseStamped()
    msg.header.stamp = stamp
    msg.header.frame_id = FRAME
    msg.pose.position.x, msg.pose.position.y = float(pose[0]), float(pose[1])
    msg.pose.orientation = yaw_quaternion(float(pose[2]))
    return msg


class PathTopics:
    """Publishes `plan_path` and `robot_path` for one bridge node; thread-safe."""

    def __init__(self, node: Node) -> None:
        self._node = node
        self._plan_pub = node.create_publisher(Path, PLAN_PATH_TOPIC, LATCHED)
        self._robot_pub = node.create_publisher(Path, ROBOT_PATH_TOPIC, LATCHED)
        self._lock = threading.Lock()
        self._poses: deque[PoseStamped] = deque(maxlen=MAX_POSES)
        self._last: Pose | None = None
        self._recording_until = 0.0  # monotonic time; 0: no plan has run yet
        self._changed = threading.Event()
        self._closed = threading.Event()
        self._publisher = threading.Thread(target=self._publish_loop, name="paths", daemon=True)
        self._publisher.start()

    def start(self, steps: Sequence[object], start: Pose, places: Destinations | None = None) -> None:
        """A new plan from `start`: publish its route and begin a new robot_path there."""
        self.show_plan(steps, start, places)
        first = pose_stamped(start, self._stamp())
        with self._lock:
            self._poses.clear()
            self._poses.append(first)
            self._last = start
            self._recording_until = time.monotonic() + TAIL_S
        self._changed.set()

    def show_plan(self, steps: Sequence[object], start: Pose, places: Destinations | None = None) -> None:
        """Publish the planned route: the start pose, then the pose after each step (a go_to: its place)."""
        stamp = self._stamp()
        poses = step_poses(steps, start, places)
        self._plan_pub.publish(self._path([pose_stamped(pose, stamp) for pose in poses], stamp))

    def on_state(self, state: ControllerState | None, running: bool) -> None:
        """From the state callback: append the robot's pose if a plan runs (or just ended) and it moved enough."""
        if state is None:
            return
        now = time.monotonic()
        pose = (state.position[0], state.position[1], state.yaw)
        with self._lock:
            if running:
                self._recording_until = now + TAIL_S
            elif now > self._recording_until:
                return
            last = self._last
            if last is not None and not moved(last, pose, MIN_STEP_M, MIN_TURN_RAD):
                return
            self._last = pose
            self._poses.append(pose_stamped(pose, self._stamp()))
        self._changed.set()

    def close(self) -> None:
        """Stop the publishing thread (before the node is destroyed)."""
        self._closed.set()
        self._changed.set()
        self._publisher.join(timeout=2.0)

    def _stamp(self) -> Time:
        return self._node.get_clock().now().to_msg()

    def _path(self, poses: list[PoseStamped], stamp: Time) -> Path:
        msg = Path()
        msg.header.stamp = stamp
        msg.header.frame_id = FRAME
        msg.poses = poses
        return msg

    def _publish_loop(self) -> None:
        while not self._closed.is_set():
            if not self._changed.wait(0.5):
                continue
            self._changed.clear()
            if self._closed.is_set():
                return
            with self._lock:
                poses = list(self._poses)
            self._robot_pub.publish(self._path(poses, self._stamp()))
            self._closed.wait(PUBLISH_PERIOD_S)
