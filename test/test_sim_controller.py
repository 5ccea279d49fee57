"""The simulated controller's behaviour, driven with a fake clock (no ROS)."""

from __future__ import annotations

import math

import pytest
from pydantic import ValidationError

from robot_bridge.protocol import (
    ARM,
    SPORT,
    ArmAction,
    Code,
    ControllerState,
    Fsm,
    Request,
    Response,
    SportApi,
    SportTask,
)
from robot_bridge.sim.controller import (
    ALLOWED_FROM,
    SPORT_TASK_ARM_ID_BASE,
    SimController,
    SimSettings,
    wrap_angle,
)

ARM_EXECUTE = 7106


class Robot:
    """A SimController with a fake clock and request ids, so tests read as dialogue."""

    def __init__(self, **settings: object) -> None:
        self.now = 0.0
        self.next_id = 0
        self.sim = SimController(SimSettings(**settings), now=self.now)

    def ask(self, api_id: int, parameter: dict | str | None = None, service: str = SPORT) -> Response:
        """Send a request; a str parameter goes out verbatim (for malformed ones)."""
        self.next_id += 1
        request = Request.make(self.next_id, api_id, parameter if isinstance(parameter, dict) else None)
        if isinstance(parameter, str):
            request.parameter = parameter
        response = self.sim.handle(service, request, self.now)
        assert response is not None
        assert response.header.identity.id == self.next_id and response.header.identity.api_id == api_id
        return response

    def code(self, api_id: int, parameter: dict | str | None = None, service: str = SPORT) -> int:
        return self.ask(api_id, parameter, service).code

    def fsm(self, fsm_id: int) -> int:
        return self.code(SportApi.SET_FSM_ID, {"data": int(fsm_id)})

    def walk(self, vx: float, vy: float, omega: float, duration: float) -> int:
        return self.code(SportApi.SET_VELOCITY, {"velocity": [vx, vy, omega], "duration": duration})

    def arm(self, action: int) -> int:
        return self.code(ARM_EXECUTE, {"data": int(action)}, ARM)

    def run(self, seconds: float, dt: float = 0.02) -> None:
        end = self.now + seconds
        while self.now < end - 1e-12:
            self.now = min(end, self.now + dt)
            self.sim.step(self.now)

    @property
    def state(self) -> ControllerState:
        return self.sim.state(self.now)


def walking(**settings: object) -> Robot:
    return Robot(initial_fsm=500, **settings)


def robot_in(fsm: Fsm) -> Robot:
    """A robot that is (already, not mid-transition) in `fsm`."""
    return Robot(initial_fsm=int(fsm))


# ---------------------------------------------------------------- FSM switches
TRANSITIONS = [(source, target) for source in Fsm for target in Fsm]


@pytest.mark.parametrize(("source", "target"), TRANSITIONS)
def test_every_transition_follows_the_table(source: Fsm, target: Fsm) -> None:
    robot = robot_in(source)
    allowed = source == target or source in ALLOWED_FROM[target]
    assert robot.fsm(target) == (Code.OK if allowed else Code.INVALID_FSM_ID)
    assert robot.state.fsm_id == (target if allowed else source)


@pytest.mark.parametrize(("source", "target", "allowed"), [
    (Fsm.DAMP, Fsm.ZERO_TORQUE, True), (Fsm.SIT, Fsm.ZERO_TORQUE, False),
    (Fsm.LOCOMOTION, Fsm.ZERO_TORQUE, False), (Fsm.ZERO_TORQUE, Fsm.STAND_UP, False),
    (Fsm.ZERO_TORQUE, Fsm.DAMP, True), (Fsm.LOCOMOTION, Fsm.DAMP, True),
    (Fsm.DAMP, Fsm.LOCOMOTION, False), (Fsm.SIT, Fsm.LOCOMOTION, False),
    (Fsm.SQUAT_STAND, Fsm.LOCOMOTION, True), (Fsm.STAND_UP, Fsm.LOCOMOTION_LEGACY, True),
    (Fsm.LOCOMOTION, Fsm.SIT, True), (Fsm.DAMP, Fsm.SIT, True), (Fsm.DAMP, Fsm.STAND_UP, True),
    (Fsm.SIT, Fsm.STAND_UP, True), (Fsm.LOCOMOTION, Fsm.STAND_UP, False),
])
def test_the_documented_rules(source: Fsm, target: Fsm, allowed: bool) -> None:
    assert (robot_in(source).fsm(target) == Code.OK) is allowed


@pytest.mark.parametrize("fsm_id", [2, 5, 702, 999, -1])
def test_unknown_fsm_id_is_refused(fsm_id: int) -> None:
    robot = robot_in(Fsm.DAMP)
    assert robot.fsm(fsm_id) == Code.INVALID_FSM_ID
    assert robot.state.fsm_id == Fsm.DAMP


def test_stand_up_takes_its_time_and_refuses_all_but_damp_meanwhile() -> None:
    robot = Robot(stand_up_duration_s=2.0)
    assert robot.fsm(Fsm.STAND_UP) == Code.OK
    assert (robot.state.fsm_id, robot.state.fsm_mode) == (Fsm.STAND_UP, 1)
    robot.run(1.9)
    assert robot.state.fsm_mode == 1
    for target in (Fsm.LOCOMOTION, Fsm.SIT, Fsm.STAND_UP, Fsm.SQUAT_STAND, Fsm.ZERO_TORQUE):
        assert robot.fsm(target) == Code.STATE_NOT_AVAILABLE
    assert robot.ask(SportApi.GET_FSM_MODE).data == '{"data": 1}'
    robot.run(0.15)
    assert (robot.state.fsm_id, robot.state.fsm_mode) == (Fsm.STAND_UP, 0)
    assert robot.fsm(Fsm.STAND_UP) == Code.OK  # already standing: a no-op, not a second stand-up
    assert robot.state.fsm_mode == 0
    assert robot.fsm(Fsm.LOCOMOTION) == Code.OK
    assert robot.state.fsm_id == Fsm.LOCOMOTION


def test_damp_interrupts_a_stand_up() -> None:
    robot = Robot()
    robot.fsm(Fsm.STAND_UP)
    robot.run(0.5)
    assert robot.fsm(Fsm.DAMP) == Code.OK
    assert (robot.state.fsm_id, robot.state.fsm_mode) == (Fsm.DAMP, 0)
    robot.run(3.0)
    assert robot.fsm(Fsm.LOCOMOTION) == Code.INVALID_FSM_ID


def test_starts_in_damp_by_default_and_initial_fsm_must_be_known() -> None:
    assert Robot().state.fsm_id == Fsm.DAMP
    with pytest.raises(ValidationError):
        SimSettings(initial_fsm=2)
    with pytest.raises(ValidationError):
        SimSettings(fault="flaky")


# --------------------------------------------------------------------- getters
@pytest.mark.parametrize(("fsm", "expected"), [(Fsm.DAMP, 1), (Fsm.LOCOMOTION, 500), (Fsm.LOCOMOTION_LEGACY, 200)])
def test_get_fsm_id_answers_data(fsm: Fsm, expected: int) -> None:
    response = robot_in(fsm).ask(SportApi.GET_FSM_ID)
    assert response.code == Code.OK and response.data == f'{{"data": {expected}}}'


@pytest.mark.parametrize(("api_id", "parameter"), [
    (SportApi.SET_BALANCE_MODE, {"data": 1}), (SportApi.SET_STAND_HEIGHT, {"data": 0.7}),
])
def test_balance_mode_and_stand_height_accept_valid_parameters(api_id: int, parameter: dict) -> None:
    robot = walking()
    assert robot.code(api_id, parameter) == Code.OK
    assert robot.code(api_id, {"data": "high"}) == Code.BAD_PARAMETER
    assert robot.code(api_id, {}) == Code.BAD_PARAMETER


@pytest.mark.parametrize(("service", "api_id"), [
    (SPORT, 7003), (SPORT, 7103), (SPORT, 1), (ARM, 7105), (ARM, 7101), ("legs", 7101),
])
def test_unknown_api_or_service_is_not_implemented(service: str, api_id: int) -> None:
    assert walking().code(api_id, {"data": 1}, service) == Code.API_NOT_IMPLEMENTED


# -------------------------------------------------------------------- velocity
def test_velocity_moves_only_in_locomotion() -> None:
    for fsm in (Fsm.DAMP, Fsm.SIT, Fsm.STAND_UP, Fsm.SQUAT_STAND, Fsm.ZERO_TORQUE):
        robot = robot_in(fsm)
        assert robot.walk(0.5, 0.0, 0.5, 1.0) == Code.OK
        robot.run(1.0)
        assert robot.state.position == [0.0, 0.0, 0.0] and robot.state.yaw == 0.0, fsm
    robot = robot_in(Fsm.LOCOMOTION_LEGACY)
    robot.walk(0.5, 0.0, 0.0, 1.0)
    robot.run(1.0)
    assert robot.state.position[0] > 0.3


def test_walk_forward_distance_accounts_for_acceleration() -> None:
    robot = walking(max_linear_accel=2.0)
    robot.walk(0.5, 0.0, 0.0, 2.0)
    robot.run(3.0)
    # 2 s at 0.5 m/s; the ramp up (0.25 s) loses what the ramp down after expiry gains.
    assert robot.state.position[0] == pytest.approx(1.0, abs=1e-6)
    assert robot.state.position[1] == pytest.approx(0.0, abs=1e-9)
    assert robot.state.velocity == [0.0, 0.0, 0.0]


def test_dead_man_stops_the_robot_when_the_command_expires() -> None:
    robot = walking()
    robot.walk(0.5, 0.0, 0.0, 0.3)
    robot.run(0.29)
    assert robot.state.velocity[0] == pytest.approx(0.5)
    robot.run(0.3)
    assert robot.state.velocity == [0.0, 0.0, 0.0]
    stopped_at = robot.state.position[0]
    robot.run(1.0)
    assert robot.state.position[0] == stopped_at
    robot.walk(0.5, 0.0, 0.0, 5.0)
    robot.run(1.0)
    robot.walk(0.5, 0.0, 0.0, 0.0)  # a zero duration stops at once, like zero velocity
    robot.run(0.3)
    assert robot.state.velocity == [0.0, 0.0, 0.0]


def test_a_refreshed_command_keeps_walking_and_the_latest_wins() -> None:
    robot = walking()
    for _ in range(10):
        robot.walk(0.5, 0.0, 0.0, 0.3)
        robot.run(0.1)
    assert robot.state.velocity[0] == pytest.approx(0.5)
    robot.walk(-0.2, 0.0, 0.0, 1.0)  # 0.7 m/s of change at 2 m/s^2: 0.35 s
    robot.run(0.4)
    assert robot.state.velocity[0] == pytest.approx(-0.2)


def test_acceleration_limit_a_half_metre_walk_stops_within_300_ms() -> None:
    robot = walking()
    robot.walk(0.5, 0.0, 0.0, 1.0)
    robot.run(0.1)
    assert robot.state.velocity[0] == pytest.approx(0.2)  # 2 m/s^2 for 0.1 s, not a jump to 0.5
    robot.run(0.9)
    robot.walk(0.0, 0.0, 0.0, 1.0)
    robot.run(0.2)
    assert robot.state.velocity[0] == pytest.approx(0.1)
    robot.run(0.1)
    assert robot.state.velocity[0] == 0.0
    robot.walk(0.0, 0.0, 1.0, 1.0)
    robot.run(0.1)
    assert robot.state.velocity[2] == pytest.approx(0.4)  # 4 rad/s^2


@pytest.mark.parametrize(("command", "expected"), [
    ((3.0, 0.0, 0.0), (1.0, 0.0, 0.0)), ((-3.0, 0.0, 0.0), (-1.0, 0.0, 0.0)),
    ((0.0, 2.0, 0.0), (0.0, 0.6, 0.0)), ((0.0, -2.0, 0.0), (0.0, -0.6, 0.0)),
    ((0.0, 0.0, 9.0), (0.0, 0.0, 1.5)), ((0.0, 0.0, -9.0), (0.0, 0.0, -1.5)),
])
def test_velocity_is_clamped_to_the_limits(command: tuple, expected: tuple) -> None:
    robot = walking()
    assert robot.walk(*command, 5.0) == Code.OK
    robot.run(2.0)
    assert robot.state.velocity == pytest.approx(list(expected))


@pytest.mark.parametrize("parameter", [
    "not json", "[0.5, 0, 0]", '"text"', "{}", '{"velocity": [0.5, 0, 0]}', '{"duration": 0.3}',
    '{"velocity": [0.5, 0], "duration": 0.3}', '{"velocity": [0.5, 0, 0, 0], "duration": 0.3}',
    '{"velocity": ["0.5", 0, 0], "duration": 0.3}', '{"velocity": [true, 0, 0], "duration": 0.3}',
    '{"velocity": [NaN, 0, 0], "duration": 0.3}', '{"velocity": [Infinity, 0, 0], "duration": 0.3}',
    '{"velocity": [0.5, 0, 0], "duration": -0.1}', '{"velocity": [0.5, 0, 0], "duration": NaN}',
    '{"velocity": 0.5, "duration": 0.3}', '{"velocity": [0.5, 0, 0], "duration": null}', "",
])
def test_malformed_velocity_is_a_bad_parameter_and_does_nothing(parameter: str) -> None:
    robot = walking()
    assert robot.code(SportApi.SET_VELOCITY, parameter) == Code.BAD_PARAMETER
    robot.run(0.5)
    assert robot.state.position == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("parameter", ['{"data": "500"}', '{"data": 500.0}', '{"data": true}', "{}", "[500]", "x"])
def test_malformed_fsm_id_is_a_bad_parameter(parameter: str) -> None:
    robot = robot_in(Fsm.DAMP)
    assert robot.code(SportApi.SET_FSM_ID, parameter) == Code.BAD_PARAMETER
    assert robot.state.fsm_id == Fsm.DAMP


@pytest.mark.parametrize("target", [Fsm.DAMP, Fsm.SIT])
def test_leaving_locomotion_zeroes_velocity_and_ends_arm_actions_at_once(target: Fsm) -> None:
    robot = walking()
    robot.walk(0.5, 0.0, 0.5, 5.0)
    robot.arm(ArmAction.HANDS_UP)
    robot.run(1.0)
    assert robot.fsm(target) == Code.OK
    assert robot.state.velocity == [0.0, 0.0, 0.0] and not robot.state.arm_action.holding
    where = robot.state.position
    robot.run(1.0)
    assert robot.state.position == where


# ------------------------------------------------------------------- odometry
def test_rep103_sign_conventions() -> None:
    robot = walking()
    robot.walk(0.0, 0.3, 0.0, 1.0)  # +vy is to the left: +y at yaw 0
    robot.run(2.0)
    assert robot.state.position[1] > 0.25 and abs(robot.state.position[0]) < 1e-9
    robot = walking()
    robot.walk(0.0, 0.0, 0.5, 1.0)  # +omega is counter-clockwise: yaw grows
    robot.run(2.0)
    assert robot.state.yaw == pytest.approx(0.5, abs=1e-6)


@pytest.mark.parametrize(("vx", "vy", "dx", "dy"), [(0.5, 0.0, 0.0, 0.5), (0.0, 0.4, -0.4, 0.0)])
def test_body_velocity_at_yaw_90(vx: float, vy: float, dx: float, dy: float) -> None:
    """Forward at yaw 90 degrees moves +y; a left side-step moves -x."""
    robot = walking()
    robot.sim.set_pose(1.0, 2.0, math.pi / 2)
    robot.walk(vx, vy, 0.0, 1.0)
    robot.run(2.0)
    x, y, _ = robot.state.position
    assert x == pytest.approx(1.0 + dx, abs=1e-6) and y == pytest.approx(2.0 + dy, abs=1e-6)


def test_dead_man_expiry_inside_a_long_step_is_exact() -> None:
    robot = walking()
    robot.walk(0.5, 0.0, 0.0, 0.305)
    robot.run(2.0, dt=2.0)
    # ramp up 0.25 s (0.0625 m), cruise 0.055 s (0.0275 m), ramp down 0.25 s (0.0625 m)
    assert robot.state.position[0] == pytest.approx(0.1525, abs=1e-6)


def test_turning_then_walking_follows_the_heading() -> None:
    robot = walking()
    robot.walk(0.0, 0.0, 1.0, 1.0)
    robot.run(2.0)
    yaw = robot.state.yaw
    assert yaw == pytest.approx(1.0, abs=1e-6)
    robot.walk(0.5, 0.0, 0.0, 1.0)
    robot.run(2.0)
    x, y, _ = robot.state.position
    assert math.hypot(x, y) == pytest.approx(0.5, abs=1e-6)
    assert math.atan2(y, x) == pytest.approx(yaw, abs=1e-6)


def test_yaw_is_reported_wrapped() -> None:
    robot = walking()
    robot.walk(0.0, 0.0, 1.5, 3.0)  # 4.5 rad in all: past pi
    robot.run(4.0)
    assert -math.pi < robot.state.yaw <= math.pi
    assert robot.state.yaw == pytest.approx(4.5 - math.tau, abs=1e-6)
    assert wrap_angle(-math.pi) == math.pi and wrap_angle(math.pi) == math.pi
    assert wrap_angle(3 * math.pi / 2) == pytest.approx(-math.pi / 2)


def test_a_long_gap_between_steps_integrates_like_small_steps() -> None:
    fine, coarse = walking(), walking()
    for robot in (fine, coarse):
        robot.walk(0.4, 0.1, 0.8, 1.0)
    fine.run(2.0, dt=0.005)
    coarse.run(2.0, dt=2.0)
    assert coarse.state.position == pytest.approx(fine.state.position, abs=1e-3)
    assert coarse.state.yaw == pytest.approx(fine.state.yaw, abs=1e-9)


# ------------------------------------------------------------------------ arm
def test_arm_action_holds_until_released() -> None:
    robot = walking()
    assert robot.arm(ArmAction.HIGH_WAVE) == Code.OK
    assert (robot.state.arm_action.id, robot.state.arm_action.holding) == (26, True)
    assert robot.arm(ArmAction.CLAP) == Code.ARM_HOLDING
    assert robot.state.arm_action.id == 26
    assert robot.arm(ArmAction.RELEASE) == Code.OK
    assert (robot.state.arm_action.id, robot.state.arm_action.holding) == (None, False)
    assert robot.arm(ArmAction.CLAP) == Code.OK


def test_arm_action_releases_itself_after_the_auto_release_time() -> None:
    robot = walking(arm_auto_release_s=3.0)
    robot.arm(ArmAction.HUG)
    robot.run(2.9)
    assert robot.state.arm_action.holding
    robot.run(0.2)
    assert not robot.state.arm_action.holding and robot.state.arm_action.id is None
    assert robot.arm(ArmAction.HEART) == Code.OK


def test_release_with_nothing_held_is_ok_and_action_id_is_accepted() -> None:
    assert robot_in(Fsm.DAMP).arm(ArmAction.RELEASE) == Code.OK
    robot = walking()
    assert robot.arm(ArmAction.RELEASE) == Code.OK
    assert robot.code(ARM_EXECUTE, {"action_id": 18}, ARM) == Code.OK
    assert robot.state.arm_action.id == 18


@pytest.mark.parametrize("action", [0, 14, 98, 100, 1000])
def test_unknown_arm_action_is_invalid(action: int) -> None:
    robot = walking()
    assert robot.arm(action) == Code.INVALID_ACTION_ID
    assert not robot.state.arm_action.holding


@pytest.mark.parametrize("fsm", [Fsm.DAMP, Fsm.SIT, Fsm.STAND_UP, Fsm.ZERO_TORQUE, Fsm.SQUAT_STAND])
def test_arm_actions_only_in_locomotion(fsm: Fsm) -> None:
    robot = robot_in(fsm)
    assert robot.arm(ArmAction.CLAP) == Code.ARM_NOT_ALLOWED_IN_FSM
    assert not robot.state.arm_action.holding


@pytest.mark.parametrize("parameter", ["{}", '{"data": "clap"}', '{"data": 17.0}', "nope", '{"action_id": null}'])
def test_malformed_arm_parameter(parameter: str) -> None:
    assert walking().code(ARM_EXECUTE, parameter, ARM) == Code.BAD_PARAMETER


# ----------------------------------------------------------------- sport task
@pytest.mark.parametrize("task", list(SportTask))
def test_sport_task_plays_on_the_arm(task: SportTask) -> None:
    robot = walking(task_duration_s=2.0)
    assert robot.code(SportApi.SET_TASK_ID, {"data": int(task)}) == Code.OK
    arm = robot.state.arm_action
    assert (arm.id, arm.holding) == (SPORT_TASK_ARM_ID_BASE + task, True)
    assert robot.arm(ArmAction.CLAP) == Code.ARM_BUSY
    assert robot.code(SportApi.SET_TASK_ID, {"data": 0}) == Code.ARM_HOLDING
    robot.run(2.05)  # the task ends by itself
    assert not robot.state.arm_action.holding
    assert robot.arm(ArmAction.CLAP) == Code.OK


@pytest.mark.parametrize("task", [4, 5, -1, 99])
def test_unknown_sport_task_is_invalid(task: int) -> None:
    robot = walking()
    assert robot.code(SportApi.SET_TASK_ID, {"data": task}) == Code.INVALID_TASK
    assert not robot.state.arm_action.holding


def test_sport_task_refused_outside_locomotion_and_while_an_arm_action_holds() -> None:
    assert robot_in(Fsm.SIT).code(SportApi.SET_TASK_ID, {"data": 0}) == Code.ARM_NOT_ALLOWED_IN_FSM
    robot = walking()
    robot.arm(ArmAction.HIGH_FIVE)
    assert robot.code(SportApi.SET_TASK_ID, {"data": 0}) == Code.ARM_HOLDING
    assert robot.code(SportApi.SET_TASK_ID, '{"data": "wave"}') == Code.BAD_PARAMETER
    robot.arm(ArmAction.RELEASE)
    assert robot.code(SportApi.SET_TASK_ID, {"data": 1}) == Code.OK
    assert robot.arm(ArmAction.RELEASE) == Code.OK  # release ends a task as well
    assert not robot.state.arm_action.holding


# --------------------------------------------------------------------- faults
def test_silent_fault_never_answers_and_does_nothing() -> None:
    sim = SimController(SimSettings(initial_fsm=1, fault="silent"))
    assert sim.handle(SPORT, Request.make(1, SportApi.SET_FSM_ID, {"data": 4}), 0.0) is None
    assert sim.state(1.0).fsm_id == Fsm.DAMP


def test_refusing_fault_answers_its_code_and_does_nothing() -> None:
    sim = SimController(SimSettings(initial_fsm=1, fault="refusing", fault_code=7301))
    response = sim.handle(SPORT, Request.make(5, SportApi.SET_FSM_ID, {"data": 4}), 0.0)
    assert response is not None and response.code == 7301 and response.header.identity.id == 5
    assert sim.state(1.0).fsm_id == Fsm.DAMP


def test_slow_fault_acts_at_once_and_asks_for_a_late_answer() -> None:
    sim = SimController(SimSettings(initial_fsm=1, fault="slow", fault_delay_s=0.7))
    response = sim.handle(SPORT, Request.make(5, SportApi.SET_FSM_ID, {"data": 4}), 0.0)
    assert response is not None and response.code == Code.OK
    assert sim.reply_delay_s == 0.7 and sim.state(0.1).fsm_id == Fsm.STAND_UP
    assert SimController(SimSettings()).reply_delay_s == 0.0


def test_ignoring_fault_acknowledges_everything_and_does_nothing() -> None:
    robot = walking(fault="ignoring")
    assert robot.walk(0.5, 0.0, 0.0, 0.3) == Code.OK
    assert robot.fsm(Fsm.SIT) == Code.OK
    assert robot.arm(ArmAction.CLAP) == Code.OK
    assert robot.code(SportApi.SET_TASK_ID, {"data": 0}) == Code.OK
    robot.run(0.5)
    state = robot.state
    assert (state.fsm_id, state.position, state.velocity) == (Fsm.LOCOMOTION, [0.0, 0.0, 0.0], [0.0, 0.0, 0.0])
    assert not state.arm_action.holding


def test_noreply_requests_act_without_an_answer() -> None:
    sim = SimController(SimSettings(initial_fsm=1))
    request = Request.make(1, SportApi.SET_FSM_ID, {"data": 4})
    request.header.policy.noreply = True
    assert sim.handle(SPORT, request, 0.0) is None
    assert sim.state(0.0).fsm_id == Fsm.STAND_UP
