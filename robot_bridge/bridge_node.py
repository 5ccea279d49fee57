"""bridge_node: executes plans from `plan` on the G1's own interface, owning safety; reports on `bridge/status`.

It speaks only the vendor's wire: typed `unitree_api` requests on `api/<sport_service>/request` and
`api/arm/request`, answers matched by identity id; the FSM from `sportmodestate` while it is fresh,
otherwise polled (GetFsmId, GetFsmMode); the pose from odometry (`odom_topic`); the arm from
`arm/action/state`. Unless `start_armed`, it sends no motion (only FSM queries and the e-stop's Damp)
until armed through `bridge/arm`: plans are validated and the requests they would send logged.

ROS callbacks (plans, e-stop, controller responses and state) run on the executor
thread and return at once: plan messages are handled on a thread of their own and each
plan runs on another, so an e-stop never waits behind a running step or a preemption.
Every plan is checked against the limits here again.
"""

from __future__ import annotations

import queue
import threading
from collections import OrderedDict
from dataclasses import dataclass

import rclpy
from llm_planner_interfaces.msg import Plan as PlanMsg
from llm_planner_interfaces.msg import StatusEvent
from nav_msgs.msg import Odometry
from rclpy.node import Node
from rclpy.qos import QoSProfile, ReliabilityPolicy, qos_profile_sensor_data
from std_msgs.msg import Bool, String
from std_srvs.srv import SetBool, Trigger
from unitree_api.msg import Request as RequestMsg
from unitree_api.msg import Response as ResponseMsg
from unitree_hg.msg import SportModeState

from llm_planner.plan.limits import check_plan
from llm_planner.plan.schema import Plan
from llm_planner.ros.node_main import spin_node
from llm_planner.ros.params import declare_settings
from llm_planner.ros.qos import LATCHED
from llm_planner.ros.status import status_event
from robot_bridge.bridge_settings import BridgeSettings
from robot_bridge.controller_client import ControllerClient
from robot_bridge.nav2_navigator import Nav2Navigator
from robot_bridge.path_topics import PathTopics
from robot_bridge.place_topics import PlaceTopics
from robot_bridge.plan_executor import PlanExecutor
from robot_bridge.plan_feed import FeedError, PlanFeed
from robot_bridge.plan_intake import (
    PlanMessage,
    PlanRejected,
    check_new_plan,
    parse_plan,
    refusal_reason,
    start_pose,
)
from robot_bridge.preview import preview
from robot_bridge.protocol import ARM, SPORT, Fsm, Request, SportApi
from robot_bridge.robot_view import RobotView
from robot_bridge.wire import (
    ARM_STATE_TOPIC,
    SPORT_MODE_STATE_TOPIC,
    request_to_msg,
    request_topic,
    response_from_msg,
    response_topic,
)

PLAN_QUEUE_DEPTH = 64  # plan messages waiting to be handled; more are rejected as bridge_busy
RAN_IDS_KEPT = 1024  # ids of plans that ran, remembered so that none runs twice
FSM_POLL_S = 0.1  # GetFsmId/GetFsmMode period while sportmodestate is silent
ARM_HINT = "arm it: ros2 service call bridge/arm std_srvs/srv/SetBool '{data: true}'"


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
        names = {SPORT: self.settings.sport_service, ARM: ARM}  # the services' names on the wire (read at start)
        self._requests = {s: self.create_publisher(RequestMsg, request_topic(n), reliable) for s, n in names.items()}
        self._status = self.create_publisher(StatusEvent, "bridge/status", reliable)
        self.client = ControllerClient(self._send, self.settings.state_timeout_s)
        self.paths = PathTopics(self)  # plan_path, robot_path
        self.places = PlaceTopics(self, self.settings, lambda state, reason, detail: self._emit(
            state, None, reason=reason, detail=detail))  # places, places/markers, places/reload
        self.nav2 = None if self.settings.navigation != "nav2" else Nav2Navigator(
            self, self.settings.nav2_action, self.settings.nav2_server_timeout_s, self.settings.nav2_goal_timeout_s)
        self._armed = self.settings.start_armed
        self.robot = RobotView(self.settings)  # FSM, arm and odometry, assembled into one state
        # Every callback returns at once, so the e-stop is handled as soon as it arrives: plans are
        # handled on their own thread (accepting one may wait for a preempted plan to stop), and
        # each plan runs on another.
        for name in names.values():
            self.create_subscription(ResponseMsg, response_topic(name), self._on_response, reliable)
        self.create_subscription(Odometry, self.settings.odom_topic, self._on_odom, qos_profile_sensor_data)
        self.create_subscription(SportModeState, SPORT_MODE_STATE_TOPIC, self.robot.on_sport_state,
                                 qos_profile_sensor_data)
        self.create_subscription(String, ARM_STATE_TOPIC, self.robot.on_arm_state, qos_profile_sensor_data)
        self.create_timer(FSM_POLL_S, self._poll_fsm)
        self.create_service(SetBool, "bridge/arm", self._on_arm)
        self._plans_in: queue.Queue[PlanMsg] = queue.Queue(maxsize=PLAN_QUEUE_DEPTH)
        self.create_subscription(PlanMsg, "plan", self._on_plan_message, QoSProfile(depth=64))
        # Two readers of `estop`: a latched one, so a bridge that starts while an e-stop is held still
        # gets it, and a best-effort volatile one, which matches every publisher: a latched reader
        # never hears a volatile publisher (an operator's joystick node with default QoS).
        self.create_subscription(Bool, "estop", self._on_estop, LATCHED)
        self.create_subscription(Bool, "estop", self._on_estop, qos_profile_sensor_data)
        self.create_service(Trigger, "estop/reset", self._on_estop_reset)
        self._estop_held: dict[bytes, bool] = {}  # per e-stop publisher (its gid): what it said last
        self._estop_seen: dict[bytes, int | None] = {}  # per publisher: the sequence number of its last message
        threading.Thread(target=self._plan_worker, name="plans", daemon=True).start()
        self._lock = threading.Lock()
        self._run: _Run | None = None
        # Ids of plans that ran: a plan id runs once. A late message of a cancelled or finished plan (the
        # planner's whole plan after its streamed prefix was stopped) must not start it again.
        self._ran: OrderedDict[str, None] = OrderedDict()
        self._estopped = False
        # Probe with GetFsmId until the controller first answers: DDS discovery of the response
        # topics can lag behind the state topic, and a plan's first request must not be lost to it.
        self._probe = self.create_timer(0.2, self._probe_controller)
        self.get_logger().info(f"bridge ready ({'armed' if self._armed else 'disarmed: ' + ARM_HINT}), "
                               f"services api/{names[SPORT]} and api/arm, odometry {self.settings.odom_topic}")

    def _probe_controller(self) -> None:
        if self.client.answered.is_set():
            self._probe.cancel()
        else:
            self.client.query(SPORT, SportApi.GET_FSM_ID, lambda _response: None, self.settings.response_timeout_s)

    def _on_settings(self, settings: BridgeSettings) -> None:
        self.settings = settings
        self.client.state_timeout_s = settings.state_timeout_s
        self.robot.settings = settings

    def _send(self, service: str, request: Request) -> None:
        if not self._armed and not _safe_when_disarmed(service, request):
            self.get_logger().info(f"disarmed, not sent: {service} {request.api_id} {request.parameter}")
            return
        self._requests[service].publish(request_to_msg(request))

    def _on_response(self, msg: ResponseMsg) -> None:
        self.client.on_response(response_from_msg(msg))

    def _poll_fsm(self) -> None:
        """While `sportmodestate` is silent (firmware without it, or lost), ask for the FSM instead."""
        if self.robot.needs_poll():
            timeout = self.settings.response_timeout_s
            self.client.query(SPORT, SportApi.GET_FSM_ID, self.robot.on_fsm_answer, timeout)
            self.client.query(SPORT, SportApi.GET_FSM_MODE, self.robot.on_fsm_answer, timeout)

    def _on_odom(self, msg: Odometry) -> None:
        state = self.robot.on_odom(msg)
        if state is None:
            return  # no fresh FSM: the state goes stale and motion stops
        self.client.on_state(state)
        self.places.on_pose((state.position[0], state.position[1], state.yaw))
        run = self._run  # read without the lock: at worst one pose more or less on robot_path
        self.paths.on_state(state, run is not None and run.thread.is_alive())

    # --- arming ----------------------------------------------------------------
    def _on_arm(self, request: SetBool.Request, response: SetBool.Response) -> SetBool.Response:
        with self._lock:  # from now on no motion goes out (a zero velocity still does: it stops the robot)
            was, run, self._armed = self._armed, self._run, request.data
        if request.data:
            response.message = "armed: plans now move the robot" if not was else "already armed"
            self._emit("armed", None, detail=response.message)
        else:
            response.message = "disarmed: plans are validated and logged, no motion is sent (the e-stop still is)"
            self._emit("disarmed", None, detail=f"no motion is sent; {ARM_HINT}")
            if run is not None and run.thread.is_alive():  # aborting joins the plan: not on the executor thread
                threading.Thread(target=self._abort, args=(run, "disarmed", "the bridge was disarmed"),
                                 daemon=True).start()
        response.success = True
        return response

    def _emit(self, state: str, plan_id: str | None, task: str | None = None, step: int | None = None,
              reason: str | None = None, detail: str = "") -> None:
        self._status.publish(status_event(state, plan_id, task, step, reason, detail))
        text = f"{state} {plan_id} step={step} {reason or ''} {detail}"
        if state in ("rejected", "step_failed", "aborted", "estop"):
            self.get_logger().warning(text)
        else:
            self.get_logger().info(text)

    # --- plans ---------------------------------------------------------------
    def _on_plan_message(self, msg: PlanMsg) -> None:
        try:
            self._plans_in.put_nowait(msg)
        except queue.Full:
            self._emit("rejected", None, reason="bridge_busy", detail=f"{PLAN_QUEUE_DEPTH} plans already waiting")

    def _plan_worker(self) -> None:
        while rclpy.ok():
            try:
                msg = self._plans_in.get(timeout=0.2)
            except queue.Empty:
                continue
            self._on_plan(msg)

    def _on_plan(self, msg: PlanMsg) -> None:
        try:
            message = parse_plan(msg)
        except PlanRejected as rejected:
            self._emit("rejected", rejected.plan_id, rejected.task, rejected.step, rejected.reason, rejected.detail)
            return
        if self._estopped:
            self._emit("rejected", message.id, message.task, reason="estop",
                       detail="e-stop latched; reset it with the service estop/reset")
            return
        with self._lock:
            run = self._run
        if run is not None and run.plan_id == message.id and run.thread.is_alive():
            self._update(run, message)
            return
        if message.id in self._ran:
            self._emit("rejected", message.id, message.task, reason="plan_ended",
                       detail="this plan id already ran and ended (completed, stopped or preempted); "
                              "a new plan needs a new id")
            return
        start = start_pose(self.client.state)
        try:
            check_new_plan(message, self.settings, start, self.places.destinations())
        except PlanRejected as rejected:
            self._emit("rejected", message.id, message.task, rejected.step, rejected.reason, rejected.detail)
            return
        if not self._armed:
            if not message.final:
                return  # a streamed plan is previewed once, when whole
            lines = preview(message.steps, self.settings)
            for line in lines:
                self.get_logger().info(f"disarmed, plan {message.id} would send: {line}")
            self._emit("rejected", message.id, message.task, reason="disarmed",
                       detail=f"valid, {len(lines)} steps; nothing sent; {ARM_HINT}. Would send: " + " | ".join(lines))
            return
        if not self.client.answered.wait(self.settings.response_timeout_s * 3):
            self.get_logger().warning("no controller response yet; running the plan anyway (requests may time out)")
        self._preempt(f"preempted by plan {message.id}")
        self._start(message, start)

    def _update(self, run: _Run, message: PlanMessage) -> None:
        """A streamed plan grows (or is withdrawn): checked again as a whole from where it started."""
        if message.final and not message.steps:
            self._abort(run, refusal_reason(message, "plan_withdrawn"), "the planner withdrew the plan")
            return
        violations = check_plan(Plan(steps=message.steps), self.settings, run.start, self.places.destinations())
        if violations:
            self._abort(run, violations[0].reason, "; ".join(v.detail for v in violations))
            return
        try:
            run.feed.update(message.steps, message.final)
        except FeedError as error:
            self._abort(run, error.reason, str(error))
            return
        self.paths.show_plan(message.steps, run.start, self.places.destinations())

    def _abort(self, run: _Run, reason: str, detail: str) -> None:
        """Stop a running plan now, mid-step (the motion loop leaves the robot commanded to stop)."""
        with self._lock:
            if self._run is run:
                self._run = None
        run.cancelled.set()
        run.thread.join(timeout=3.0)
        self._emit("aborted", run.plan_id, reason=reason, detail=detail)

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
            self.places, self.nav2.go_to if self.nav2 else None,
        )

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
        with self._lock:  # an e-stop handled on its own thread meanwhile must win
            if self._estopped:
                cancelled.set()
            else:
                self._run = _Run(message.id, cancelled, thread, feed, start)
                self._ran[message.id] = None
                while len(self._ran) > RAN_IDS_KEPT:
                    self._ran.popitem(last=False)
        if cancelled.is_set():
            self._emit("rejected", message.id, message.task, reason="estop", detail="e-stop latched")
            return
        self.paths.start(message.steps, start, self.places.destinations())
        self._emit("accepted", message.id, message.task,
                   detail=f"{len(message.steps)} steps" + ("" if message.final else " so far (streaming)"))
        thread.start()

    def destroy_node(self) -> None:
        self.paths.close()
        self.places.close()
        if self.nav2 is not None:
            self.nav2.destroy()
        super().destroy_node()

    # --- e-stop --------------------------------------------------------------
    # A true from anyone latches Damp. Only a deliberate reset (the `estop/reset` service) releases it,
    # and only while no publisher's latest message still says true: a joystick publishing false at
    # 10 Hz must not release an e-stop someone else pressed. After a reset the robot stays damped
    # until a plan's posture steps stand it up.
    def _on_estop(self, msg: Bool, info: dict) -> None:  # two parameters: rclpy then passes the MessageInfo
        source = bytes((info.get("publisher_gid") or {}).get("data", b""))
        sequence = info.get("publication_sequence_number")
        with self._lock:
            last = self._estop_seen.get(source)
            if sequence is not None and last is not None and sequence <= last:
                return  # a message already handled, through the other reader
            self._estop_seen[source] = sequence
            was_held = self._estop_held.get(source, False)
            self._estop_held[source] = msg.data
            latched = self._estopped
        if msg.data:
            with self._lock:
                self._estopped = True
                run, self._run = self._run, None
            # Damp, and cancel the running plan in the same breath: none of its FSM switches can follow the Damp
            self.client.interrupt(run.cancelled if run else None, SPORT, SportApi.SET_FSM_ID, {"data": int(Fsm.DAMP)},
                                  shows=lambda state: state.fsm_id == Fsm.DAMP)
            if not (latched and was_held):
                self._emit("estop", run.plan_id if run else None, reason="estop",
                           detail="Damp sent; plans refused until reset (service estop/reset)")
        elif latched and was_held:
            self._emit("estop", None, reason="estop_latched",
                       detail="a publisher released the e-stop; it stays latched until reset (service estop/reset)")

    def _held_by(self) -> int:
        """How many publishers still on `estop` last said true (one that left the graph holds nothing)."""
        alive = {bytes(info.endpoint_gid[:16]) for info in self.get_publishers_info_by_topic(
            self.resolve_topic_name("estop"))}
        return sum(held and (not gid or gid[:16] in alive) for gid, held in self._estop_held.items())

    def _on_estop_reset(self, _request: Trigger.Request, response: Trigger.Response) -> Trigger.Response:
        with self._lock:
            held, latched = self._held_by(), self._estopped
            if latched and not held:
                self._estopped = False
        if not latched:
            response.success, response.message = True, "e-stop was not latched"
        elif held:
            response.success = False
            response.message = f"e-stop still held: the latest message of {held} publisher(s) on estop says true"
            self._emit("estop", None, reason="reset_refused", detail=response.message)
        else:
            response.success = True
            response.message = "e-stop released; the robot stays damped until a plan stands it up"
            self._emit("estop_released", None, detail=response.message)
        return response


def _safe_when_disarmed(service: str, request: Request) -> bool:
    """FSM queries, the e-stop's Damp and a zero velocity go out disarmed too; nothing that moves the robot does."""
    if service != SPORT:
        return False
    if request.api_id in (SportApi.GET_FSM_ID, SportApi.GET_FSM_MODE):
        return True
    try:
        parameter = request.params()
    except ValueError:
        return False
    if request.api_id == SportApi.SET_VELOCITY:
        return parameter.get("velocity") == [0.0, 0.0, 0.0]
    return request.api_id == SportApi.SET_FSM_ID and parameter.get("data") == int(Fsm.DAMP)


def main(args: list[str] | None = None) -> None:
    spin_node(BridgeNode, args)


if __name__ == "__main__":
    main()
