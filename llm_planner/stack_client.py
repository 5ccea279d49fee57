"""A client of a running stack: sends a task and follows it to its end over DDS.

Used by `demo`, `watch` and the end-to-end tests: it watches both status topics, the
controller's state and the motion requests the bridge sends (to time first motion), and
records what the live view and the plot need: each event with the robot's pose when it
arrived, the plans, and the robot's trajectory (bounded).
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

import rclpy
from rclpy.executors import ExternalShutdownException, SingleThreadedExecutor
from rclpy.node import Node
from rclpy.qos import QoSProfile, ReliabilityPolicy, qos_profile_sensor_data
from std_msgs.msg import String

from llm_planner.plan_route import Pose, moved
from llm_planner.task_progress import BRIDGE_FINAL, PLANNER_FINAL

TRAJECTORY_SAMPLES = 20_000  # at most this many (t, x, y, yaw) samples are kept
# A state becomes a trajectory sample when the robot moved or turned this much, or this long passed.
SAMPLE_STEP_M, SAMPLE_STEP_RAD, SAMPLE_EVERY_S = 0.005, 0.01, 1.0
Sample = tuple[float, float, float, float]  # monotonic time, x, y, yaw


def _moves(service: str, text: str) -> bool:
    """True for a request that makes the robot move: non-zero SetVelocity or any gesture."""
    try:
        request = json.loads(text)
        api_id = request["header"]["identity"]["api_id"]
        parameter = json.loads(request.get("parameter") or "{}")
    except (ValueError, KeyError, TypeError):
        return False
    if service == "arm":
        return api_id == 7106 and parameter.get("data", parameter.get("action_id")) != 99
    if api_id == 7105:
        return any(abs(v) > 1e-6 for v in parameter.get("velocity", [0, 0, 0]))
    return api_id == 7106


class StackClient(Node):
    def __init__(self, name: str = "llm_planner_client", namespace: str = "") -> None:
        super().__init__(name, namespace=namespace)
        self.events: list[dict] = []
        self.plans: dict[str, dict] = {}
        self.state: dict | None = None
        self.first_motion: float | None = None
        self.sent_at: float | None = None
        self.trajectory: deque[Sample] = deque(maxlen=TRAJECTORY_SAMPLES)
        self.first_motion_s: dict[str, float] = {}  # per task: seconds from first seen to first motion request
        self._first_seen: dict[str, float] = {}
        self._running: str | None = None  # the plan the bridge accepted last
        self._changed = threading.Condition()
        reliable = QoSProfile(depth=256, reliability=ReliabilityPolicy.RELIABLE)
        self.task_pub = self.create_publisher(String, "task", reliable)
        self.plan_pub = self.create_publisher(String, "plan", QoSProfile(depth=64))
        for topic in ("planner/status", "bridge/status"):
            self.create_subscription(String, topic, lambda m, t=topic: self._on_event(t, m.data), reliable)
        self.create_subscription(String, "controller/state", self._on_state, qos_profile_sensor_data)
        self.create_subscription(String, "plan", self._on_plan, QoSProfile(depth=64))
        for service in ("sport", "arm"):
            self.create_subscription(String, f"controller/{service}/request",
                                     lambda m, s=service: self._on_request(s, m.data), QoSProfile(depth=50))

    def _on_event(self, topic: str, text: str) -> None:
        try:
            event = json.loads(text)
        except ValueError:
            return
        if not isinstance(event, dict):
            return  # not a status event: nothing to show
        event["topic"] = topic
        event["seen_at"] = time.monotonic()
        event["pose"] = self.latest_pose()
        task_id = event.get("id")
        if isinstance(task_id, str):
            self._first_seen.setdefault(task_id, event["seen_at"])
            if topic == "bridge/status" and event.get("state") == "accepted":
                self._running = task_id
        with self._changed:
            self.events.append(event)
            self._changed.notify_all()

    def _on_plan(self, msg: String) -> None:
        try:
            plan = json.loads(msg.data)
            plan_id, steps = plan["id"], plan["steps"]
        except (ValueError, KeyError, TypeError):
            return  # the bridge reports malformed plans; the client only records good ones
        with self._changed:
            self.plans[plan_id] = {"steps": steps}
            self._changed.notify_all()

    def _on_state(self, msg: String) -> None:
        state = json.loads(msg.data)
        now = time.monotonic()
        with self._changed:
            self.state = state
            self._sample(now)
            self._changed.notify_all()

    def _sample(self, now: float) -> None:
        pose = self.latest_pose()
        if pose is None:
            return
        if self.trajectory:
            last_at, *last = self.trajectory[-1]
            if not moved(tuple(last), pose, SAMPLE_STEP_M, SAMPLE_STEP_RAD) and now - last_at < SAMPLE_EVERY_S:
                return
        self.trajectory.append((now, *pose))

    def _on_request(self, service: str, text: str) -> None:
        if not _moves(service, text):
            return
        now = time.monotonic()
        if self.first_motion is None and self.sent_at is not None:
            self.first_motion = now
        running = self._running
        if running is not None and running not in self.first_motion_s and running in self._first_seen:
            self.first_motion_s[running] = now - self._first_seen[running]

    def wait_for(self, predicate, timeout: float) -> bool:
        """Wait until predicate(self) holds (callbacks are spun by another thread)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate(self):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._changed.wait(min(remaining, 0.2))
        return True

    def ok(self) -> bool:
        """False once rclpy was shut down (Ctrl-C, SIGTERM): nothing more will arrive."""
        return self.context.ok()

    def wait_for_planner(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while self.task_pub.get_subscription_count() == 0:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def send_task(self, task: str, task_id: str) -> None:
        self.sent_at = time.monotonic()
        self.first_motion = None
        self.task_pub.publish(String(data=json.dumps({"id": task_id, "task": task}, ensure_ascii=False)))

    def final_event(self, task_id: str) -> dict | None:
        """The event that ends a task: a final planner event, or the bridge's final event for its plan."""
        for event in self.events:
            if event.get("id") != task_id:
                continue
            if event["topic"] == "planner/status" and event["state"] in PLANNER_FINAL:
                return event
            if event["topic"] == "bridge/status" and event["state"] in BRIDGE_FINAL:
                return event
        return None

    def latest_pose(self) -> Pose | None:
        """x, y, yaw (rad) of the latest controller state, or None before the first."""
        state = self.state
        try:
            return float(state["position"][0]), float(state["position"][1]), float(state["yaw"])
        except (KeyError, IndexError, TypeError, ValueError):
            return None

    def trajectory_between(self, start: float, end: float | None = None) -> list[Sample]:
        """Samples from monotonic time start to end (default now), led by where the robot was at start."""
        with self._changed:
            samples = list(self.trajectory)
        before = [s for s in samples if s[0] < start][-1:]
        return before + [s for s in samples if s[0] >= start and (end is None or s[0] <= end)]

    def pose(self) -> dict:
        """x, y, yaw_deg (wrapped to (-180, 180]) and fsm_id of the latest controller state."""
        state = self.state or {"position": [math.nan] * 3, "yaw": math.nan, "fsm_id": None}
        yaw = math.degrees(math.atan2(math.sin(state["yaw"]), math.cos(state["yaw"])))
        return {"x": round(state["position"][0], 4), "y": round(state["position"][1], 4),
                "yaw_deg": round(180.0 if yaw == -180.0 else yaw, 2), "fsm_id": state["fsm_id"]}


@contextmanager
def running_client(name: str, namespace: str = "") -> Iterator[StackClient]:
    """rclpy initialised and a StackClient spinning on a background thread; all shut down on exit."""
    rclpy.init()
    client = StackClient(name, namespace)
    executor = SingleThreadedExecutor()
    executor.add_node(client)

    def spin() -> None:
        try:
            executor.spin()
        except ExternalShutdownException:
            pass  # rclpy's signal handler shut the context down: the caller sees client.ok() turn False

    spinner = threading.Thread(target=spin, daemon=True)
    spinner.start()
    try:
        yield client
    finally:
        executor.shutdown()
        spinner.join(timeout=2.0)  # a spin thread still inside rclpy at exit aborts the process
        client.destroy_node()
        rclpy.try_shutdown()
