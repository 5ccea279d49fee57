"""A client of a running stack: sends tasks, plans and the e-stop, and records everything the stack says.

Malformed or hostile messages (bad JSON in a request's parameters or on `places`, nesting deep enough
to exhaust recursion) are skipped, never raised: an exception in a callback would stop the executor
and with it all recording. Events and plans arrive typed and are recorded as DESIGN.md's dicts.

The one recorder of a stack's traffic, used by `demo`, `watch`, the benches and the tests: it
watches both status topics, the plans, the robot's state (odometry, `sportmodestate`, arm) and every
request the bridge sends on the G1's `api/*/request`, and records each event with the robot's
pose and the monotonic time it arrived, a bounded timeline of states, every request (to time
first motion, and for tests to inspect), and the robot's trajectory (bounded).
"""

from __future__ import annotations

import json
import math
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import rclpy
from llm_planner_interfaces.msg import Plan as PlanMsg
from llm_planner_interfaces.msg import StatusEvent
from nav_msgs.msg import Odometry
from rclpy.executors import ExternalShutdownException, SingleThreadedExecutor
from rclpy.node import Node
from rclpy.qos import QoSProfile, ReliabilityPolicy, qos_profile_sensor_data
from std_msgs.msg import Bool, String
from std_srvs.srv import SetBool, Trigger
from unitree_api.msg import Request as RequestMsg
from unitree_hg.msg import SportModeState

from llm_planner.plan.places import KnownPlaces
from llm_planner.plan.route import Pose, moved
from llm_planner.ros.geometry import odometry_fields
from llm_planner.ros.plan_msgs import plan_fields, raw_plan_msg
from llm_planner.ros.qos import LATCHED
from llm_planner.ros.status import event_fields
from llm_planner.tools.task_progress import BRIDGE_FINAL, PLANNER_FINAL
from robot_bridge.protocol import ArmActionState
from robot_bridge.wire import ARM_STATE_TOPIC, SPORT_MODE_STATE_TOPIC, arm_action, parse_arm_state, request_topic

TRAJECTORY_SAMPLES = 20_000  # at most this many (t, x, y, yaw) samples are kept
# A state becomes a trajectory sample when the robot moved or turned this much, or this long passed.
SAMPLE_STEP_M, SAMPLE_STEP_RAD, SAMPLE_EVERY_S = 0.005, 0.01, 1.0
STATE_SAMPLES = 6000  # the latest states kept, with their arrival times (10 minutes at 10 Hz)
REQUEST_SAMPLES = 20_000  # the latest requests kept
Sample = tuple[float, float, float, float]  # monotonic time, x, y, yaw
RELIABLE = QoSProfile(depth=256, reliability=ReliabilityPolicy.RELIABLE)
# The ceiling of a wait for a planner to load and warm its model. The wait ends at the event (it
# subscribes to `task`) or when its process ends, so the ceiling only matters on a machine so loaded
# that a load takes minutes (seconds when quiet).
MODEL_READY_S = 600.0


@dataclass(frozen=True)
class Sent:
    """A request the bridge sent, as this client received it (`at`: monotonic arrival time)."""

    at: float
    service: str
    api_id: int
    params: dict
    sent_s: float = 0.0  # the sender's monotonic clock when sent: our bridge's identity ids are its nanoseconds

    @property
    def sent_at(self) -> float:
        """When it was sent, on this machine's monotonic clock: a loaded machine can deliver a request
        seconds late, and that is no request sent later. The arrival time where the id is no monotonic
        stamp of this machine (it cannot have been sent after it arrived, nor a minute before)."""
        return self.sent_s if 0.0 <= self.at - self.sent_s <= 60.0 else self.at

    @property
    def moves(self) -> bool:
        """True for a request that makes the robot move: non-zero SetVelocity or any gesture."""
        if self.service == "arm":
            return self.api_id == 7106 and self.params.get("data", self.params.get("action_id")) != 99
        if self.api_id == 7105:
            return any(abs(v) > 1e-6 for v in self.params.get("velocity", [0, 0, 0]))
        return self.api_id == 7106


def _request(service: str, msg: RequestMsg, at: float) -> Sent:
    try:
        params = json.loads(msg.parameter or "{}")
    except (ValueError, RecursionError):
        params = None
    return Sent(at, service, msg.header.identity.api_id, params if isinstance(params, dict) else {},
                msg.header.identity.id / 1e9)


class StackClient(Node):
    """`sport_service`: the locomotion service's name on the wire (sport, or loco on older firmware).
    `record_events` false: events only reach `listeners` (a long-running node keeps no history)."""

    def __init__(self, name: str = "llm_planner_client", namespace: str = "", sport_service: str = "sport",
                 record_events: bool = True) -> None:
        super().__init__(name, namespace=namespace)
        self.record_events = record_events
        self.events: list[dict] = []
        self.plans: dict[str, dict] = {}
        self.state: dict | None = None
        self.states: deque[tuple[float, dict]] = deque(maxlen=STATE_SAMPLES)  # (arrival, state)
        self.state_count = 0
        self.sent: deque[Sent] = deque(maxlen=REQUEST_SAMPLES)
        self.first_motion: float | None = None
        self.sent_at: float | None = None
        self.trajectory: deque[Sample] = deque(maxlen=TRAJECTORY_SAMPLES)
        self.first_motion_s: dict[str, float] = {}  # per task: seconds from first seen to first motion request
        self._first_seen: dict[str, float] = {}
        self._running: str | None = None  # the plan the bridge accepted last
        self.listeners: list[Callable[[str, dict], None]] = []  # called with ("event" | "plan", it) once recorded
        self._changed = threading.Condition()
        self.task_pub = self.create_publisher(String, "task", RELIABLE)
        self.plan_pub = self.create_publisher(PlanMsg, "plan", QoSProfile(depth=64))
        self.estop_pub = self.create_publisher(Bool, "estop", LATCHED)
        self.estop_reset = self.create_client(Trigger, "estop/reset")
        self.arm_service = self.create_client(SetBool, "bridge/arm")
        self.places_reload = self.create_client(Trigger, "places/reload")
        self.places: KnownPlaces | None = None  # what the bridge said last on `places`
        self.create_subscription(String, "places", self._on_places, LATCHED)
        self._sport: SportModeState | None = None  # the latest FSM and arm, merged into each state
        self._arm: ArmActionState | None = None
        self.status_subs = {topic: self.create_subscription(StatusEvent, topic, lambda m, t=topic: self._on_event(t, m),
                                                            RELIABLE)
                            for topic in ("planner/status", "bridge/status")}
        self.create_subscription(Odometry, "odom", self._on_odom, qos_profile_sensor_data)
        self.create_subscription(SportModeState, SPORT_MODE_STATE_TOPIC, self._on_sport_state, qos_profile_sensor_data)
        self.create_subscription(String, ARM_STATE_TOPIC, self._on_arm_state, qos_profile_sensor_data)
        self.create_subscription(PlanMsg, "plan", self._on_plan, QoSProfile(depth=64))
        for service, wire_name in (("sport", sport_service), ("arm", "arm")):
            self.create_subscription(RequestMsg, request_topic(wire_name),
                                     lambda m, s=service: self._on_request(s, m), RELIABLE)

    def _on_event(self, topic: str, msg: StatusEvent) -> None:
        event = event_fields(msg)
        event["topic"] = topic
        event["seen_at"] = time.monotonic()
        event["pose"] = self.latest_pose()
        task_id = event.get("id")
        if self.record_events:
            if isinstance(task_id, str):
                self._first_seen.setdefault(task_id, event["seen_at"])
                if topic == "bridge/status" and event.get("state") == "accepted":
                    self._running = task_id
            with self._changed:
                self.events.append(event)
                self._changed.notify_all()
        for listener in self.listeners:
            listener("event", event)

    def _on_places(self, msg: String) -> None:
        try:
            places = KnownPlaces.model_validate_json(msg.data)
        except ValueError:
            return
        with self._changed:
            self.places = places
            self._changed.notify_all()

    def _on_plan(self, msg: PlanMsg) -> None:
        plan = plan_fields(msg)
        plan_id, steps = plan["id"], plan["steps"]
        with self._changed:
            self.plans[plan_id] = {"steps": steps}
            self._changed.notify_all()
        for listener in self.listeners:
            listener("plan", {"id": plan_id, "steps": steps})

    def _on_sport_state(self, msg: SportModeState) -> None:
        self._sport = msg

    def _on_arm_state(self, msg: String) -> None:
        self._arm = parse_arm_state(msg.data) or self._arm

    def _on_odom(self, msg: Odometry) -> None:
        """A state per odometry message: the pose, with the latest FSM and arm (as the bridge sees the robot)."""
        sport = self._sport
        state = {"fsm_id": sport.fsm_id if sport else None, "fsm_mode": sport.fsm_mode if sport else None,
                 **odometry_fields(msg),
                 "arm_action": arm_action(self._arm, sport).model_dump(include={"id", "holding"})}
        now = time.monotonic()
        with self._changed:
            self.state = state
            self.states.append((now, state))
            self.state_count += 1
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

    def _on_request(self, service: str, msg: RequestMsg) -> None:
        now = time.monotonic()
        sent = _request(service, msg, now)
        with self._changed:
            self.sent.append(sent)
            self._changed.notify_all()
        if not sent.moves:
            return
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

    def wait_for_robot(self, timeout: float) -> bool:
        """True once a controller state holds both odometry and the FSM: odometry and the sport state
        are separate topics, and either may arrive first."""
        return self.wait_for(lambda c: c.state is not None and c.state["fsm_id"] is not None, timeout)

    def ok(self) -> bool:
        """False once rclpy was shut down (Ctrl-C, SIGTERM): nothing more will arrive."""
        return self.context.ok()

    def wait_for_planner(self, timeout: float, processes: Sequence[subprocess.Popen] = ()) -> bool:
        """True once a planner subscribes to `task` (its model loaded and warm: see planner_node). False
        after `timeout`, or as soon as one of `processes` (the nodes the caller started) has ended."""
        deadline = time.monotonic() + timeout
        while self.task_pub.get_subscription_count() == 0:
            if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
                return False
            time.sleep(0.05)
        return True

    def send_task(self, task: str, task_id: str) -> None:
        self.sent_at = time.monotonic()
        self.first_motion = None
        self.task_pub.publish(String(data=json.dumps({"id": task_id, "task": task}, ensure_ascii=False)))

    def others_on(self, topic: str) -> int:
        """Subscribers of `topic` (relative to this namespace) other than this client (which also reads `plan`)."""
        name = self.resolve_topic_name(topic)
        return sum(1 for info in self.get_subscriptions_info_by_topic(name) if info.node_name != self.get_name()
                   or info.node_namespace != self.get_namespace())

    def send_plan(self, plan_id: str, steps: list[dict], task: str = "", final: bool = True,
                  reason: str = "") -> float:
        """Publish a plan straight to the bridge (no planner), its steps unchecked (the bridge checks
        them: see plan_msgs.raw_step_msg); returns the monotonic send time."""
        sent = time.monotonic()
        self.plan_pub.publish(raw_plan_msg(plan_id, steps, task, final, reason))
        return sent

    def estop(self, on: bool) -> None:
        self.estop_pub.publish(Bool(data=on))

    def _call(self, client, request, timeout: float) -> tuple[bool, str]:
        """Call a bridge service: (success, its message). Needs the node spun elsewhere."""
        if not client.wait_for_service(timeout_sec=timeout):
            return False, f"no bridge offers {client.srv_name}"
        done = threading.Event()
        future = client.call_async(request)
        future.add_done_callback(lambda _f: done.set())
        if not done.wait(timeout) or future.result() is None:
            return False, f"{client.srv_name} did not answer"
        return future.result().success, future.result().message

    def reset_estop(self, timeout: float = 5.0) -> tuple[bool, str]:
        """Ask the bridge to release a latched e-stop: (accepted, its message)."""
        return self._call(self.estop_reset, Trigger.Request(), timeout)

    def reload_places(self, timeout: float = 5.0) -> tuple[bool, str]:
        """Ask the bridge to read its places files again: (done, its message)."""
        return self._call(self.places_reload, Trigger.Request(), timeout)

    def arm(self, on: bool = True, timeout: float = 5.0) -> tuple[bool, str]:
        """Arm (or disarm) the bridge: a disarmed bridge sends no motion."""
        return self._call(self.arm_service, SetBool.Request(data=on), timeout)

    def release_estop(self, timeout: float = 5.0) -> tuple[bool, str]:
        """Publish false, then reset: the deliberate release a latched e-stop needs. The false and the
        reset travel on two channels, so the reset is retried until the false has reached the bridge."""
        self.estop(False)
        deadline = time.monotonic() + timeout
        while True:
            accepted, message = self.reset_estop(timeout)
            if accepted or time.monotonic() > deadline:
                return accepted, message
            time.sleep(0.05)

    def timeline(self) -> list[tuple[float, dict]]:
        """(arrival time, state) of the states received lately, oldest first."""
        with self._changed:
            return list(self.states)

    def requests_since(self, since: float, api_id: int | None = None, service: str = "sport") -> list[Sent]:
        with self._changed:
            return [r for r in self.sent if r.sent_at >= since and r.service == service
                    and (api_id is None or r.api_id == api_id)]

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
        # a spin thread still inside rclpy when its node is destroyed, or at exit, crashes the process (a
        # watcher stopped with Ctrl-C on a loaded machine died of SIGSEGV): wait for it, and while it is
        # still inside rclpy, leave its node alone
        spinner.join(timeout=15.0)
        if not spinner.is_alive():
            client.destroy_node()
        rclpy.try_shutdown()
