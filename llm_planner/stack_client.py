"""A client of a running stack: sends a task and follows it to its end over DDS.

Used by `demo` and by the end-to-end tests: it watches both status topics, the
controller's state and the motion requests the bridge sends (to time first motion).
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import rclpy
from rclpy.executors import SingleThreadedExecutor
from rclpy.node import Node
from rclpy.qos import QoSProfile, ReliabilityPolicy, qos_profile_sensor_data
from std_msgs.msg import String

PLANNER_FINAL = {"refused", "rejected", "dropped", "error"}
BRIDGE_FINAL = {"completed", "aborted", "rejected", "preempted", "estop"}


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
        event = json.loads(text)
        event["topic"] = topic
        with self._changed:
            self.events.append(event)
            self._changed.notify_all()

    def _on_plan(self, msg: String) -> None:
        try:
            plan = json.loads(msg.data)
            self.plans[plan["id"]] = {"steps": plan["steps"]}
        except (ValueError, KeyError, TypeError):
            pass  # the bridge reports malformed plans; the client only records good ones

    def _on_state(self, msg: String) -> None:
        with self._changed:
            self.state = json.loads(msg.data)
            self._changed.notify_all()

    def _on_request(self, service: str, text: str) -> None:
        if self.first_motion is None and self.sent_at is not None and _moves(service, text):
            self.first_motion = time.monotonic()

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
    threading.Thread(target=executor.spin, daemon=True).start()
    try:
        yield client
    finally:
        executor.shutdown()
        client.destroy_node()
        rclpy.try_shutdown()
