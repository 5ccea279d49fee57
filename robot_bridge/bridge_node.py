"""bridge_node: executes plans from `plan` on the controller, owning safety; reports on `bridge/status`.

ROS callbacks (plans, e-stop, controller responses and state) run on the executor
thread and return at once; a plan runs in its own thread, so an e-stop never waits
behind a running step. Every plan is checked against the limits here again.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass

import rclpy
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from rclpy.executors import ExternalShutdownException
from rclpy.node import Node
from rclpy.qos import DurabilityPolicy, QoSProfile, ReliabilityPolicy, qos_profile_sensor_data
from std_msgs.msg import Bool, String

from llm_planner.limits import check_plan
from llm_planner.plan_schema import Plan, Step
from llm_planner.ros_params import declare_settings
from llm_planner.status import status_event
from robot_bridge.bridge_settings import BridgeSettings
from robot_bridge.controller_client import ControllerClient
from robot_bridge.plan_executor import PlanExecutor
from robot_bridge.plan_feed import FeedError, PlanFeed
from robot_bridge.protocol import SERVICES, SPORT, STATE_TOPIC, Fsm, SportApi, request_topic, response_topic

MAX_PLAN_BYTES = 65536


class PlanMessage(BaseModel):
    """What arrives on `plan`."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(max_length=200)
    task: str = ""
    steps: list[Step]
    final: bool = True
    reason: str | None = None


@dataclass
class _Run:
    """The plan being executed: its thread, its cancel flag, its (maybe still growing) steps."""

    plan_id: str
    cancelled: threading.Event
    thread: threading.Thread
    feed: PlanFeed
    start: tuple[float, float, float]


class BridgeNode(Node):
    def __init__(self) -> None:
        super().__init__("bridge_node")
        self.settings = declare_settings(self, BridgeSettings, self._on_settings)
        reliable = QoSProfile(depth=50, reliability=ReliabilityPolicy.RELIABLE)
        self._requests = {s: self.create_publisher(String, request_topic(s), reliable) for s in SERVICES}
        self._status = self.create_publisher(String, "bridge/status", reliable)
        self.client = ControllerClient(self._send, self.settings.state_timeout_s)
        for service in SERVICES:
            self.create_subscription(String, response_topic(service), self._on_response, reliable)
        self.create_subscription(String, STATE_TOPIC, lambda m: self.client.on_state(m.data), qos_profile_sensor_data)
        self.create_subscription(String, "plan", self._on_plan, QoSProfile(depth=64))
        latched = QoSProfile(
            depth=1, reliability=ReliabilityPolicy.RELIABLE, durability=DurabilityPolicy.TRANSIENT_LOCAL
        )
        self.create_subscription(Bool, "estop", self._on_estop, latched)
        self._lock = threading.Lock()
        self._run: _Run | None = None
        self._estopped = False
        self.get_logger().info("bridge ready")

    def _on_settings(self, settings: BridgeSettings) -> None:
        self.settings = settings
        self.client.state_timeout_s = settings.state_timeout_s

    def _send(self, service: str, text: str) -> None:
        self._requests[service].publish(String(data=text))

    def _on_response(self, msg: String) -> None:
        self.client.on_response(msg.data)

    def _emit(self, state: str, plan_id: str | None, task: str | None = None, step: int | None = None,
              reason: str | None = None, detail: str = "") -> None:
        self._status.publish(String(data=status_event(state, plan_id, task, step, reason, detail)))
        text = f"{state} {plan_id} step={step} {reason or ''} {detail}"
        if state in ("rejected", "step_failed", "aborted", "estop"):
            self.get_logger().warning(text)
        else:
            self.get_logger().info(text)

    # --- plans ---------------------------------------------------------------
    def _on_plan(self, msg: String) -> None:
        if len(msg.data) > MAX_PLAN_BYTES:
            self._emit("rejected", None, reason="plan_too_large", detail=f"{len(msg.data)} bytes > {MAX_PLAN_BYTES}")
            return
        plan_id = None
        try:
            raw = json.loads(msg.data)
            plan_id = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
            message = PlanMessage.model_validate(raw)
        except (ValueError, ValidationError) as error:
            detail = error.errors()[0]["msg"] if isinstance(error, ValidationError) else str(error)
            self._emit("rejected", plan_id, reason="invalid_plan", detail=detail[:300])
            return
        if self._estopped:
            self._emit("rejected", message.id, message.task, reason="estop",
                       detail="e-stop latched; publish false on estop")
            return
        with self._lock:
            run = self._run
        if run is not None and run.plan_id == message.id and run.thread.is_alive():
            self._update(run, message)
            return
        if not message.steps:
            self._emit("rejected", message.id, message.task, reason=message.reason or "empty_plan",
                       detail="a plan with no steps has nothing to execute")
            return
        state = self.client.state
        start = (state.position[0], state.position[1], state.yaw) if state else (0.0, 0.0, 0.0)
        violations = check_plan(Plan(steps=message.steps), self.settings, start)
        if violations:
            self._emit("rejected", message.id, message.task, violations[0].step, violations[0].reason,
                       "; ".join(v.detail for v in violations))
            return
        self._preempt(f"preempted by plan {message.id}")
        self._start(message, start)

    def _update(self, run: _Run, message: PlanMessage) -> None:
        """A streamed plan grows (or is withdrawn): checked again as a whole from where it started."""
        if message.final and not message.steps:
            run.feed.withdraw(message.reason or "plan_withdrawn", "the planner withdrew the plan")
            return
        violations = check_plan(Plan(steps=message.steps), self.settings, run.start)
        if violations:
            run.feed.withdraw(violations[0].reason, "; ".join(v.detail for v in violations))
            return
        try:
            run.feed.update(message.steps, message.final)
        except FeedError as error:
            run.feed.withdraw(error.reason, str(error))

    def _preempt(self, why: str) -> None:
        with self._lock:
            run, self._run = self._run, None
        if run is not None and run.thread.is_alive():
            run.cancelled.set()
            run.thread.join(timeout=3.0)
            self._emit("preempted", run.plan_id, detail=why)

    def _start(self, message: PlanMessage, start: tuple[float, float, float]) -> None:
        cancelled = threading.Event()
        feed = PlanFeed(message.steps, message.final, self.settings.stream_timeout_s)
        executor = PlanExecutor(
            self.client, self.settings,
            lambda state, step, reason, detail: self._emit(state, message.id, message.task, step, reason, detail),
        )
        self._emit("accepted", message.id, message.task,
                   detail=f"{len(message.steps)} steps" + ("" if message.final else " so far (streaming)"))

        def run() -> None:
            try:
                ok = executor.run(feed, cancelled)
            except FeedError as error:
                executor.halt()
                if not cancelled.is_set():
                    self._emit("aborted", message.id, message.task, reason=error.reason, detail=str(error))
                return
            if cancelled.is_set():
                return  # whoever cancelled reports preempted / estop
            if ok:
                self._emit("completed", message.id, message.task, detail=f"{len(feed.steps)} steps")
            else:
                self._emit("aborted", message.id, message.task, reason="step_failed", detail="rest of plan skipped")

        thread = threading.Thread(target=run, name=f"plan-{message.id}", daemon=True)
        with self._lock:
            self._run = _Run(message.id, cancelled, thread, feed, start)
        thread.start()

    # --- e-stop --------------------------------------------------------------
    def _on_estop(self, msg: Bool) -> None:
        if msg.data:
            with self._lock:
                run, self._run = self._run, None
            # Damp, and cancel the running plan in the same breath: none of its FSM switches can follow the Damp
            self.client.interrupt(run.cancelled if run else None, SPORT, SportApi.SET_FSM_ID, {"data": int(Fsm.DAMP)})
            self._estopped = True
            self._emit("estop", run.plan_id if run else None, reason="estop",
                       detail="Damp sent; plans refused until released")
        elif self._estopped:
            self._estopped = False
            self._emit("estop_released", None, detail="plans accepted again")


def main(args: list[str] | None = None) -> None:
    rclpy.init(args=args)
    node = BridgeNode()
    try:
        rclpy.spin(node)
    except (KeyboardInterrupt, ExternalShutdownException):
        pass
    except RuntimeError:
        if rclpy.ok():
            raise
        # Ctrl-C shut the context down while the executor was taking a message (rclpy's signal
        # handling races the take under load): that is a normal shutdown, not a failure
    finally:
        node.destroy_node()
        rclpy.try_shutdown()


if __name__ == "__main__":
    main()
