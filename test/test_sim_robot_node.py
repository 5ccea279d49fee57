"""The simulated robot node over real DDS: one sim process per fault mode, each in its own namespace."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from nav_msgs.msg import Odometry
from rclpy.executors import SingleThreadedExecutor
from rclpy.node import Node
from rclpy.qos import QoSProfile, ReliabilityPolicy
from std_msgs.msg import String

from llm_planner.tools.bringup import start_node, stop_all
from robot_bridge.protocol import (
    ARM,
    SERVICES,
    SPORT,
    STATE_TOPIC,
    Code,
    ControllerState,
    Request,
    Response,
    SportApi,
    request_topic,
    response_topic,
)

SIMS = {
    "sim_ok": {"initial_fsm": 500, "state_rate_hz": 50.0},
    "sim_silent": {"initial_fsm": 500, "fault": "silent"},
    "sim_slow": {"initial_fsm": 500, "fault": "slow", "fault_delay_s": 1.0},
    "sim_refusing": {"initial_fsm": 500, "fault": "refusing", "fault_code": 7400},
}
_ids = itertools.count(1)


class Controller:
    """Talks to one simulated robot the way the bridge does: JSON envelopes on its topics."""

    def __init__(self, node: Node, namespace: str) -> None:
        reliable = QoSProfile(depth=50, reliability=ReliabilityPolicy.RELIABLE)
        best_effort = QoSProfile(depth=10, reliability=ReliabilityPolicy.BEST_EFFORT)
        self._changed = threading.Condition()
        self.responses: dict[int, tuple[Response, float]] = {}
        self.states: list[ControllerState] = []
        self.odom: Odometry | None = None
        prefix = f"/{namespace}/"
        self._requests = {s: node.create_publisher(String, prefix + request_topic(s), reliable) for s in SERVICES}
        self._response_subs = [node.create_subscription(String, prefix + response_topic(s), self._on_response, reliable)
                               for s in SERVICES]
        node.create_subscription(String, prefix + STATE_TOPIC, self._on_state, best_effort)
        node.create_subscription(Odometry, prefix + "odom", self._on_odom, 10)

    def _on_response(self, msg: String) -> None:
        response = Response.model_validate_json(msg.data)
        with self._changed:
            self.responses[response.header.identity.id] = (response, time.monotonic())
            self._changed.notify_all()

    def _on_state(self, msg: String) -> None:
        with self._changed:
            self.states.append(ControllerState.model_validate_json(msg.data))
            self._changed.notify_all()

    def _on_odom(self, msg: Odometry) -> None:
        with self._changed:
            self.odom = msg
            self._changed.notify_all()

    def _wait(self, condition: Callable[[], bool], timeout: float) -> bool:
        with self._changed:
            return self._changed.wait_for(condition, timeout)

    def wait_ready(self, timeout: float = 30.0) -> None:
        """State flowing and both request/response pairs matched (reliable, volatile: no early sends)."""
        def ready() -> bool:
            return (bool(self.states) and self.odom is not None
                    and all(p.get_subscription_count() > 0 for p in self._requests.values())
                    and all(s.get_publisher_count() > 0 for s in self._response_subs))
        assert self._wait(ready, timeout), "simulated robot did not come up"

    def send(self, api_id: int, parameter: dict | None = None, service: str = SPORT) -> tuple[int, float]:
        request_id = next(_ids)
        text = Request.make(request_id, api_id, parameter).model_dump_json()
        sent = time.monotonic()
        self._requests[service].publish(String(data=text))
        return request_id, sent

    def send_raw(self, text: str, service: str = SPORT) -> None:
        self._requests[service].publish(String(data=text))

    def answer(self, request_id: int, timeout: float = 3.0) -> tuple[Response, float] | None:
        self._wait(lambda: request_id in self.responses, timeout)
        return self.responses.get(request_id)

    def ask(self, api_id: int, parameter: dict | None = None, service: str = SPORT, timeout: float = 3.0) -> Response:
        request_id, _ = self.send(api_id, parameter, service)
        answered = self.answer(request_id, timeout)
        assert answered is not None, f"no answer to {api_id} {parameter}"
        return answered[0]

    def latest(self) -> ControllerState:
        with self._changed:
            return self.states[-1]

    def fresh_state(self, timeout: float = 1.0) -> ControllerState:
        count = len(self.states)
        assert self._wait(lambda: len(self.states) > count, timeout), "no fresh controller/state"
        return self.latest()


@pytest.fixture(scope="module")
def sims(rclpy_session) -> Iterator[dict[str, Controller]]:
    processes = [start_node("sim_robot", params, namespace=ns) for ns, params in SIMS.items()]
    node = rclpy_session.create_node("sim_robot_test_client")
    executor = SingleThreadedExecutor()
    executor.add_node(node)
    spinner = threading.Thread(target=executor.spin, daemon=True)
    spinner.start()
    codes: list[int] = []
    try:
        controllers = {ns: Controller(node, ns) for ns in SIMS}
        for controller in controllers.values():
            controller.wait_ready()
        yield controllers
    finally:
        codes = stop_all(processes)
        executor.shutdown()
        spinner.join(timeout=5.0)
        node.destroy_node()
    assert codes == [0] * len(SIMS), f"sim processes did not end cleanly on SIGINT: {codes}"


def test_state_and_odom_arrive_at_the_configured_rate(sims: dict[str, Controller]) -> None:
    robot = sims["sim_ok"]
    before = len(robot.states)
    time.sleep(0.5)
    assert len(robot.states) - before >= 12  # 50 Hz for 0.5 s, with generous slack for a busy machine
    state = robot.latest()
    assert state.fsm_id == 500 and state.fsm_mode == 0 and not state.arm_action.holding
    assert robot.odom.header.frame_id == "odom" and robot.odom.child_frame_id == "base_link"


def test_requests_are_answered_by_identity(sims: dict[str, Controller]) -> None:
    robot = sims["sim_ok"]
    first, _ = robot.send(SportApi.GET_FSM_ID)
    second, _ = robot.send(SportApi.GET_FSM_MODE)
    answers = robot.answer(first), robot.answer(second)
    assert all(answer is not None for answer in answers)
    (fsm_id, _), (fsm_mode, _) = answers
    assert (fsm_id.header.identity.api_id, json.loads(fsm_id.data)) == (SportApi.GET_FSM_ID, {"data": 500})
    assert (fsm_mode.header.identity.api_id, json.loads(fsm_mode.data)) == (SportApi.GET_FSM_MODE, {"data": 0})
    assert robot.ask(SportApi.SET_FSM_ID, {"data": 2}).code == Code.INVALID_FSM_ID
    assert robot.ask(7999).code == Code.API_NOT_IMPLEMENTED
    assert robot.ask(7106, {"data": 13}, ARM).code == Code.INVALID_ACTION_ID


def test_bad_envelopes_are_ignored_and_bad_parameters_answered(sims: dict[str, Controller]) -> None:
    robot = sims["sim_ok"]
    robot.send_raw("this is not an envelope")
    robot.send_raw('{"header": {}}', ARM)
    request = Request.make(next(_ids), SportApi.SET_VELOCITY)
    request.parameter = '{"velocity": [0.5, 0, 0], "duration": -1}'
    robot.send_raw(request.model_dump_json())
    answered = robot.answer(request.header.identity.id)
    assert answered is not None and answered[0].code == Code.BAD_PARAMETER
    assert robot.ask(SportApi.GET_FSM_ID).code == Code.OK  # still alive after the junk


def test_arm_action_shows_in_state(sims: dict[str, Controller]) -> None:
    robot = sims["sim_ok"]
    assert robot.ask(7106, {"data": 26}, ARM).code == Code.OK
    state = robot.fresh_state()
    assert (state.arm_action.id, state.arm_action.holding) == (26, True)
    assert robot.ask(7106, {"data": 99}, ARM).code == Code.OK
    assert not robot.fresh_state().arm_action.holding


def test_velocity_refreshed_at_10_hz_moves_the_robot(sims: dict[str, Controller]) -> None:
    robot = sims["sim_ok"]
    start = robot.fresh_state()
    request_ids = []
    began = time.monotonic()
    for tick in range(10):  # 1 s of 0.5 m/s, each command living 0.3 s: the bridge's pattern
        time.sleep(max(0.0, began + 0.1 * tick - time.monotonic()))
        request_ids.append(robot.send(SportApi.SET_VELOCITY, {"velocity": [0.5, 0.0, 0.0], "duration": 0.3})[0])
    moving = robot.fresh_state()
    assert moving.velocity[0] == pytest.approx(0.5, abs=0.05)
    time.sleep(0.6)  # the last command expires after 0.3 s and the ramp down takes 0.25 s
    end = robot.fresh_state()
    assert all(robot.answer(i) is not None and robot.answer(i)[0].code == Code.OK for i in request_ids)
    # commanded for 0.9 s + 0.3 s; the ramp up loses what the ramp down gains: about 0.6 m
    assert end.position[0] - start.position[0] == pytest.approx(0.6, abs=0.1)
    assert abs(end.position[1] - start.position[1]) < 0.01 and end.velocity == [0.0, 0.0, 0.0]
    assert robot.odom.pose.pose.position.x == pytest.approx(end.position[0], abs=0.01)


def test_silent_robot_never_answers_but_keeps_reporting(sims: dict[str, Controller]) -> None:
    robot = sims["sim_silent"]
    request_id, _ = robot.send(SportApi.SET_FSM_ID, {"data": 1})
    assert robot.answer(request_id, timeout=1.0) is None
    assert robot.fresh_state().fsm_id == 500  # no effect either


def test_slow_robot_answers_after_its_delay(sims: dict[str, Controller]) -> None:
    robot = sims["sim_slow"]
    request_id, sent = robot.send(SportApi.GET_FSM_ID)
    assert robot.answer(request_id, timeout=0.8) is None
    answered = robot.answer(request_id, timeout=3.0)
    assert answered is not None and answered[0].code == Code.OK
    assert answered[1] - sent >= 0.95


def test_refusing_robot_answers_its_fault_code(sims: dict[str, Controller]) -> None:
    robot = sims["sim_refusing"]
    assert robot.ask(SportApi.SET_FSM_ID, {"data": 1}).code == 7400
    assert robot.ask(7106, {"data": 26}, ARM).code == 7400
    assert robot.fresh_state().fsm_id == 500
