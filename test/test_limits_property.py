"""Limits are ROS parameters, and nothing beyond them ever reaches the controller, whatever a `plan` says.

The property test drives the bridge's real core as bridge_node does (parse_plan,
check_new_plan from the robot's reported pose, then PlanExecutor over a PlanFeed through a
ControllerClient) against the real simulated controller (SimController) running in a thread
at 50 Hz, with random small limits so walks are short. An independent oracle in this file
decides whether a plan breaks a limit. A handful of examples then go through the real
bridge_node process over DDS, its limits set as ROS parameters.
"""

from __future__ import annotations

import math
import queue
import threading
import time
from collections.abc import Iterator

import pytest
from bridge_stack import Stack, stacks
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from llm_planner.ros.plan_msgs import raw_plan_msg
from robot_bridge.bridge_settings import BridgeSettings
from robot_bridge.controller_client import ControllerClient
from robot_bridge.plan_executor import PlanExecutor
from robot_bridge.plan_feed import PlanFeed
from robot_bridge.plan_intake import PlanMessage, PlanRejected, check_new_plan, parse_plan, start_pose
from robot_bridge.protocol import ControllerState, Request, SportApi
from robot_bridge.sim.controller import SimController, SimSettings

SET_VELOCITY = int(SportApi.SET_VELOCITY)
_BODY = {"forward": (1.0, 0.0), "backward": (-1.0, 0.0), "left": (0.0, 1.0), "right": (0.0, -1.0)}


class SimLink:
    """SimController in its own thread: answers each request as it arrives, reports state at `rate_hz`."""

    def __init__(self, sim: SimSettings, pose: tuple[float, float, float], state_timeout_s: float,
                 rate_hz: float = 50.0) -> None:
        self.sim = SimController(sim, now=time.monotonic())
        self.sim.set_pose(*pose)
        self.client = ControllerClient(self._send, state_timeout_s)
        self.received: list[tuple[str, Request]] = []  # every request the controller got
        self.states: list[tuple[float, ControllerState]] = []  # (when, what it reported)
        self._inbox: queue.Queue[tuple[str, Request]] = queue.Queue()
        self._period = 1.0 / rate_hz
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 2.0
        while self.client.state is None and time.monotonic() < deadline:
            time.sleep(0.005)
        assert self.client.state is not None, "the simulated controller reported no state"

    def _send(self, service: str, request: Request) -> None:
        self._inbox.put((service, request))

    def _loop(self) -> None:
        tick = time.monotonic()
        while not self._stopped.is_set():
            try:
                service, request = self._inbox.get(timeout=max(0.0, tick - time.monotonic()))
            except queue.Empty:
                now = time.monotonic()
                self.sim.step(now)
                self.states.append((now, self.sim.state(now)))
                self.client.on_state(self.states[-1][1])
                tick += self._period
                continue
            self.received.append((service, request))
            response = self.sim.handle(service, request, time.monotonic())
            if response is not None:
                self.client.on_response(response)

    def close(self) -> None:
        self._stopped.set()
        self._thread.join(2.0)


def accept(link: SimLink, bridge: BridgeSettings, plan_id: str, steps: list[dict]) -> PlanMessage:
    """bridge_node's check of one message on `plan`, from where the robot last reported itself."""
    message = parse_plan(raw_plan_msg(plan_id, steps, "t"))
    check_new_plan(message, bridge, start_pose(link.client.state))
    return message


def execute(link: SimLink, bridge: BridgeSettings, message: PlanMessage,
            cancelled: threading.Event | None = None) -> tuple[bool, list[tuple]]:
    """bridge_node's run of an accepted plan, its steps through a PlanFeed: (all succeeded, step events)."""
    events: list[tuple] = []
    executor = PlanExecutor(link.client, bridge, lambda *event: events.append(event))
    ok = executor.run(PlanFeed(message.steps, message.final, bridge.stream_timeout_s), cancelled or threading.Event())
    return ok, events


# ------------------------------------------------------------------ the oracle
def oracle_breaks(steps: list[dict], limits: dict, start: tuple[float, float, float]) -> bool | None:
    """True when the plan breaks the schema or a limit, False when not, None when too close to call."""
    if not 1 <= len(steps) <= limits["max_steps"]:
        return True
    x, y, yaw = start
    for step in steps:
        numbers = [v for k, v in step.items() if not isinstance(v, str) and not (k in _OPTIONAL and v == 0)]
        if any(not math.isfinite(v) or v <= 0 for v in numbers) or step["primitive"] not in _PRIMITIVES:
            return True
        if step["primitive"] == "walk":
            if step["distance_m"] > limits["max_distance_m"] or step.get("speed_mps", 0) > limits["max_speed_mps"]:
                return True
            bx, by = _BODY[step["direction"]]
            x += step["distance_m"] * (bx * math.cos(yaw) - by * math.sin(yaw))
            y += step["distance_m"] * (bx * math.sin(yaw) + by * math.cos(yaw))
            if abs(math.hypot(x, y) - limits["workspace_radius_m"]) < 1e-5:
                return None
            if math.hypot(x, y) > limits["workspace_radius_m"]:
                return True
        elif step["primitive"] == "turn":
            if step["angle_deg"] > limits["max_angle_deg"] or step.get("speed_deg_s", 0) > limits[
                    "max_turn_speed_deg_s"]:
                return True
            yaw += math.radians(step["angle_deg"]) * (1 if step["direction"] == "left" else -1)
        elif step["primitive"] == "wait" and step["seconds"] > limits["max_wait_s"]:
            return True
    return False


_PRIMITIVES = {"walk", "turn", "wait", "gesture", "stop", "stand_up", "sit_down"}
_OPTIONAL = {"speed_mps", "speed_deg_s"}  # 0 in a Step message: the default speed


# ------------------------------------------------------------------ strategies
LIMITS = st.fixed_dictionaries({
    "max_distance_m": st.floats(0.05, 0.3), "max_angle_deg": st.floats(10.0, 45.0),
    "max_wait_s": st.floats(0.05, 0.2), "max_steps": st.integers(1, 4),
    "max_speed_mps": st.floats(0.3, 0.8), "max_turn_speed_deg_s": st.floats(45.0, 120.0),
    "workspace_radius_m": st.floats(0.1, 0.6),
})


def edge(limit: float, low: float = 0.5) -> st.SearchStrategy[float]:
    """Within the limit (not so slow that a walk takes long), on it, just past it, far past it, or not a number."""
    kinds = [st.floats(low * limit, limit)] * 5 + [
        st.just(limit), st.just(limit * (1 + 1e-9)), st.floats(limit, 4 * limit),
        st.sampled_from([1e308, -limit, 0.0, math.nan, math.inf, -math.inf]),
    ]
    return st.integers(0, len(kinds) - 1).flatmap(kinds.__getitem__)  # weighted: one_of merges equal branches


def step_for(limits: dict) -> st.SearchStrategy[dict]:
    def optional(key: str, values: st.SearchStrategy) -> st.SearchStrategy[dict]:
        return st.one_of(st.just({}), values.map(lambda v: {key: v}))

    walk = st.builds(lambda d, dist, speed: {"primitive": "walk", "direction": d, "distance_m": dist} | speed,
                     st.sampled_from(list(_BODY)), edge(limits["max_distance_m"], 0.05),
                     optional("speed_mps", edge(limits["max_speed_mps"])))
    turn = st.builds(lambda d, angle, speed: {"primitive": "turn", "direction": d, "angle_deg": angle} | speed,
                     st.sampled_from(["left", "right"]), edge(limits["max_angle_deg"], 0.05),
                     optional("speed_deg_s", edge(limits["max_turn_speed_deg_s"])))
    wait = edge(limits["max_wait_s"], 0.05).map(lambda s: {"primitive": "wait", "seconds": s})
    other = st.sampled_from([{"primitive": p} for p in ("stop", "stand_up", "sit_down")]
                            + [{"primitive": "gesture", "name": n} for n in ("wave", "clap")]
                            + [{"primitive": "jump"}])
    kinds = [walk, walk, walk, turn, turn, wait, other]
    return st.integers(0, len(kinds) - 1).flatmap(kinds.__getitem__)


@st.composite
def scenarios(draw) -> tuple[dict, list[dict], tuple[float, float, float], int]:
    limits = draw(LIMITS)
    some = st.lists(step_for(limits), min_size=1, max_size=limits["max_steps"] + 1)
    steps = draw(some) if draw(st.integers(0, 9)) else []
    r = draw(st.floats(0.0, limits["workspace_radius_m"]))
    bearing, yaw = draw(st.floats(-math.pi, math.pi)), draw(st.floats(-math.pi, math.pi))
    return limits, steps, (r * math.cos(bearing), r * math.sin(bearing), yaw), draw(st.sampled_from([1, 500]))


FAST_SIM = {"stand_up_duration_s": 0.1, "task_duration_s": 0.2}
FAST_BRIDGE = {"gesture_hold_s": 0.05, "stall_timeout_s": 1.0}


def assert_within(received: list[tuple[str, Request]], bridge: BridgeSettings) -> None:
    wmax = math.radians(bridge.max_turn_speed_deg_s)
    for _service, request in received:
        if request.api_id == SET_VELOCITY:
            params = request.params()
            vx, vy, wz = params["velocity"]
            assert abs(vx) <= bridge.max_speed_mps and abs(vy) <= bridge.max_speed_mps, params
            assert abs(wz) <= wmax + 1e-12, params
            assert 0 < params["duration"] <= min(0.3, bridge.command_duration_s), params


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_nothing_beyond_the_limits_reaches_the_controller(scenario) -> None:
    limits, steps, pose, fsm = scenario
    bridge = BridgeSettings(**limits, **FAST_BRIDGE)
    link = SimLink(SimSettings(initial_fsm=fsm, **FAST_SIM), pose, bridge.state_timeout_s)
    try:
        breaks = oracle_breaks(steps, limits, pose)
        try:
            message = accept(link, bridge, "p", steps)
        except PlanRejected as rejected:
            assert breaks is not False and rejected.reason, (steps, rejected.reason, rejected.detail)
            assert link.received == []  # nothing at all was sent for it
            event(f"rejected: {rejected.reason}")
        else:
            assert not breaks, steps
            ok, events = execute(link, bridge, message)
            event("executed: " + ("completed" if ok else f"failed {[e[2] for e in events if e[0] == 'step_failed']}"))
        assert_within(link.received, bridge)
        final = link.client.wait_until(lambda s: not any(s.velocity), 2.0)
        # 1e-9 m: a start drawn on the boundary can sit one float rounding outside it before anything moves
        assert math.hypot(*final.position[:2]) <= bridge.workspace_radius_m + 1e-9, (steps, final.position)
    finally:
        link.close()


def test_a_plan_checked_while_the_robot_coasts_still_ends_inside_the_workspace() -> None:
    """Preempted mid-walk, the robot coasts on after the next plan was checked from where it was then."""
    bridge = BridgeSettings(max_distance_m=1.05, max_speed_mps=0.6, workspace_radius_m=1.2)
    link = SimLink(SimSettings(initial_fsm=500), (0.0, 0.0, 0.0), bridge.state_timeout_s)
    first = [{"primitive": "walk", "direction": "forward", "distance_m": 1.0, "speed_mps": 0.6}]
    second = [{"primitive": "stop"}, {"primitive": "walk", "direction": "forward", "distance_m": 1.05}]
    try:
        cancelled = threading.Event()
        running = threading.Thread(target=execute, args=(link, bridge, accept(link, bridge, "a", first), cancelled))
        running.start()
        link.client.wait_until(lambda s: s.velocity[0] > 0.55 and s.position[0] > 0.1, 3.0)
        checked_from = link.client.state.position[0]
        message = accept(link, bridge, "b", second)  # as bridge_node: check from here, then preempt, then run
        cancelled.set()
        preempted = time.monotonic()
        running.join(3.0)
        ok, events = execute(link, bridge, message)
        assert not ok and [e[:3] for e in events if e[0] == "step_failed"] == [("step_failed", 1, "workspace_limit")]
        final = link.client.wait_until(lambda s: not any(s.velocity), 2.0)
        stopped_at = [s for at, s in link.states if at > preempted and not any(s.velocity)]
        assert stopped_at and stopped_at[0].position[0] > checked_from + 0.03  # it did coast past the checked pose
        assert math.hypot(*final.position[:2]) <= bridge.workspace_radius_m, final.position
        assert_within(link.received, bridge)
    finally:
        link.close()


# ------------------------------------------------------------------ over DDS
DDS_LIMITS = {"max_distance_m": 0.3, "max_angle_deg": 45.0, "max_wait_s": 0.3, "max_steps": 3,
              "max_speed_mps": 0.3, "max_turn_speed_deg_s": 40.0, "workspace_radius_m": 0.5}


@pytest.fixture(scope="module")
def robot(rclpy_session) -> Iterator[Stack]:
    specs = {"limits": ({"initial_fsm": 500}, {**DDS_LIMITS, "gesture_hold_s": 0.1})}
    with stacks(rclpy_session, specs) as running:
        yield running["limits"]


def walk(direction: str, distance: float, **speed: float) -> dict:
    return {"primitive": "walk", "direction": direction, "distance_m": distance, **speed}


@pytest.mark.parametrize(("steps", "reason"), [
    ([walk("forward", 0.31)], "distance_limit"),
    ([walk("forward", 0.2, speed_mps=0.31)], "speed_limit"),
    ([{"primitive": "turn", "direction": "left", "angle_deg": 46.0}], "angle_limit"),
    ([{"primitive": "turn", "direction": "left", "angle_deg": 30.0, "speed_deg_s": 41.0}], "speed_limit"),
    ([{"primitive": "wait", "seconds": 0.31}], "wait_limit"),
    ([{"primitive": "stop"}] * 4, "too_many_steps"),
    ([walk("left", 0.3), walk("left", 0.3)], "workspace_limit"),
], ids=["distance", "speed", "angle", "turn_rate", "wait", "steps", "workspace"])
def test_dds_limits_from_ros_parameters_reject_and_send_nothing(robot: Stack, steps: list[dict], reason: str) -> None:
    before = robot.fresh_state()
    since = time.monotonic()
    final = robot.run(steps, timeout=5.0)
    assert (final["state"], final["reason"]) == ("rejected", reason), final
    time.sleep(0.2)
    assert not robot.sent_since(since) and not robot.sent_since(since, None, "arm")
    assert robot.fresh_state()["position"] == before["position"]


def test_dds_walks_stay_under_the_speed_limit_and_inside_the_workspace(robot: Stack) -> None:
    since = time.monotonic()
    x0, y0, _ = robot.pose()
    out = [walk("forward", 0.3), {"primitive": "turn", "direction": "left", "angle_deg": 45.0}]  # default speed 0.4
    assert robot.run(out, timeout=20.0)["state"] == "completed"
    x, y, yaw = robot.pose()
    further = math.hypot(x, y) + 0.3 > DDS_LIMITS["workspace_radius_m"]
    step = [walk("backward", 0.3)] if further else [walk("forward", 0.3)]
    assert robot.run(step, timeout=20.0)["state"] == "completed"
    robot.still(2.0)
    velocities = robot.sent_since(since, SET_VELOCITY)
    assert velocities and max(max(abs(v) for v in r.params["velocity"][:2]) for r in velocities) <= 0.3
    assert max(abs(r.params["velocity"][2]) for r in velocities) <= math.radians(40.0) + 1e-12
    assert all(0 < r.params["duration"] <= 0.3 for r in velocities)
    assert math.hypot(*robot.pose()[:2]) <= DDS_LIMITS["workspace_radius_m"], (x0, y0, robot.pose())
