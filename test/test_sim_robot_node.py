"""The simulated robot node over real DDS, on the G1's typed interface: one sim process per fault mode
(and one on the older firmware's `loco` service name), each in its own namespace."""

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
from unitree_api.msg import Request as RequestMsg
from unitree_api.msg import Response as ResponseMsg
from unitree_hg.msg import SportModeState

from llm_planner.tools.bringup import start_node, stop_all
from robot_bridge.bridge_settings import BridgeSettings
from robot_bridge.protocol import ARM, SPORT, Code, ControllerState, Request, Response, SportApi
from robot_bridge.robot_view import RobotView
from robot_bridge.wire import (
    ARM_STATE_TOPIC,
    SPORT_MODE_STATE_TOPIC,
    request_to_msg,
    request_topic,
    response_from_msg,
    response_topic,
)

SIMS = {
    "sim_ok": {"initial_fsm": 500, "state_rate_hz": 50.0},
    "sim_silent": {"initial_fsm": 500, "fault": "silent"},
    "sim_slow": {"initial_fsm": 500, "fault": "slow", "fault_delay_s": 1.0},
    "sim_refusing": {"initial_fsm": 500, "fault": "refusing", "fault_code": 7400},
    "sim_loco": {"initial_fsm": 500, "sport_service": "loco"},  # firmware before ai_sport 8.2
}
_ids = itertools.count(1)


class Controller:
    """Talks to one simulated robot the way the bridge does: unitree_api messages on api/*, state on three streams."""

    def __init__(self, node: Node, namespace: str, sport_service: str = "sport") -> None:
        reliable = QoSProfile(depth=50, reliability=ReliabilityPolicy.RELIABLE)
        best_effort = QoSProfile(depth=10, reliability=ReliabilityPolicy.BEST_EFFORT)
        self._changed = threading.Condition()
        self.responses: dict[int, tuple[Response, float]] = {}
        self.states: list[ControllerState] = []
        self.odom: Odometry | None = None
        self.sport: SportModeState | None = None
        self.arm_json: dict | None = None
        self._view = RobotView(BridgeSettings())  # the bridge's reading of the three streams
        prefix = f"/{namespace}/"
        names = {SPORT: sport_service, ARM: ARM}
        self._requests = {s: node.create_publisher(RequestMsg, prefix + request_topic(n), reliable)
                          for s, n in names.items()}
        self._response_subs = [node.create_subscription(ResponseMsg, prefix + response_topic(n), self._on_response,
                                                        reliable) for n in names.values()]
        node.create_subscription(SportModeState, prefix + SPORT_MODE_STATE_TOPIC, self._on_sport, best_effort)
        node.create_subscription(String, prefix + ARM_STATE_TOPIC, self._on_arm, best_effort)
        node.create_subscription(Odometry, prefix + "odom", self._on_odom, 10)

    def _on_response(self, msg: ResponseMsg) -> None:
        response = response_from_msg(msg)
        with self._changed:
            self.responses[response.header.identity.id] = (response, time.monotonic())
            self._changed.notify_all()

    def _on_sport(self, msg: SportModeState) -> None:
        self.sport = msg
        self._view.on_sport_state(msg)

    def _on_arm(self, msg: String) -> None:
        self.arm_json = json.loads(msg.data)
        self._view.on_arm_state(msg)

    def _on_odom(self, msg: Odometry) -> None:
        state = self._view.on_odom(msg)
        with self._changed:
            self.odom = msg
            if state is not None:
                self.states.append(state)
            self._changed.notify_all()

    def _wait(self, condition: Callable[[], bool], timeout: float) -> bool:
        with self._changed:
            return self._changed.wait_for(condition, timeout)

    def wait_ready(self, timeout: float = 30.0) -> None:
        """State flowing and both request/response pairs matched (reliable, volatile: no early sends)."""
        def ready() -> bool:
            return (bool(self.states) and self.odom is not None and self.arm_json is not None
                    and all(p.get_subscription_count() > 0 for p in self._requests.values())
                    and all(s.get_publisher_count() > 0 for s in self._response_subs))
        assert self._wait(ready, timeout), "simulated robot did not come up"

    def send_request(self, request: Request, service: str = SPORT) -> float:
        sent = time.monotonic()
        self._requests[service].publish(request_to_msg(request))
        return sent

    def send(self, api_id: int, parameter: dict | None = None, service: str = SPORT) -> tuple[int, float]:
        request = Request.make(next(_ids), api_id, parameter)
        return request.header.identity.id, self.send_request(request, service)

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
        assert self._wait(lambda: len(self.states) > count, timeout), "no fresh state"
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
        controllers = {ns: Controller(node, ns, params.get("sport_service", "sport")) for ns, params in SIMS.items()}
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
    assert robot.ask(7106, {"data": 14}, ARM).code == Code.INVALID_ACTION_ID


def test_bad_parameters_are_answered_3204(sims: dict[str, Controller]) -> None:
    robot = sims["sim_ok"]
    for service, api_id, parameter in [(SPORT, SportApi.SET_VELOCITY, '{"velocity": [0.5, 0, 0], "duration": -1}'),
                                       (SPORT, SportApi.SET_FSM_ID, "this is not JSON"),
                                       (ARM, 7106, '{"data": "18"}'), (ARM, 7106, "[18]")]:
        request = Request.make(next(_ids), api_id)
        request.parameter = parameter
        robot.send_request(request, service)
        answered = robot.answer(request.header.identity.id)
        assert answered is not None and answered[0].code == Code.BAD_PARAMETER, (service, api_id, parameter)
    assert robot.ask(SportApi.GET_FSM_ID).code == Code.OK  # still alive after the junk


def test_sportmodestate_and_arm_state_carry_the_fsm_task_and_action(sims: dict[str, Controller]) -> None:
    robot = sims["sim_ok"]
    assert (robot.sport.fsm_id, robot.sport.fsm_mode, robot.sport.task_time) == (500, 0, 0.0)
    assert robot.ask(SportApi.SET_TASK_ID, {"data": 0}).code == Code.OK  # WaveHand
    assert robot._wait(lambda: robot.sport.task_time > 0.0, 1.0), "the wave never showed on sportmodestate"
    assert robot.sport.task_id == 0 and robot.arm_json["holding"] is False
    assert robot.ask(7106, {"data": 99}, ARM).code == Code.OK  # release ends the task
    assert robot.ask(7106, {"action_id": 18}, ARM).code == Code.OK  # the C++ client's key
    assert robot._wait(lambda: robot.arm_json == {"id": 18, "holding": True, "name": "high_five"}, 1.0), robot.arm_json
    assert robot.ask(7106, {"data": 99}, ARM).code == Code.OK


def test_a_robot_on_older_firmware_answers_on_api_loco(sims: dict[str, Controller]) -> None:
    robot = sims["sim_loco"]
    answer = robot.ask(SportApi.GET_FSM_ID)
    assert (answer.code, json.loads(answer.data)) == (Code.OK, {"data": 500})


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
