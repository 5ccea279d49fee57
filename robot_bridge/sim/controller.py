"""A simulated Unitree-style humanoid controller: FSM, velocity, arm and task, without ROS.

It plays the robot, so it imports only the protocol and none of the bridge's logic
(shared logic would hide the very bugs the simulator is there to find). Time is passed
in (`now`, seconds) so tests drive it with a fake clock.

FSM switches (sport 7101 SetFsmId), checked in this order:

| situation                                              | answer |
|--------------------------------------------------------|--------|
| id not in the FSM table (e.g. 2, 702, 999)             | 7302   |
| target 1 (damp), from anywhere, even mid stand-up      | 0      |
| a stand-up (4) is still running (fsm_mode 1)           | 7301 (not now: retry once stood) |
| target equals the current id                           | 0, no-op (a finished 4 is not re-run) |
| current id not in ALLOWED_FROM[target]                 | 7302   |
| otherwise                                              | 0      |

ALLOWED_FROM (target: sources): 0 from 1; 1 from any; 3 from 1, 4, 500, 200, 706;
4 from 1, 3 (takes `stand_up_duration_s`, fsm_mode 1 meanwhile, then standing with
fsm_mode 0); 706 (squat to stand, ends standing at once) from 1, 3, 4; 500 and 200
(the older firmware's id for locomotion) from 4, 706, 500, 200. Leaving 500/200 zeroes
the velocity and ends any arm action or task at once.

Sport 7106 SetTaskId plays a task (0 wave, 1 wave and turn, 2/3 shake-hand stages) on
the arm: `arm_action` reports it as id SPORT_TASK_ARM_ID_BASE + n, holding, for
`task_duration_s`. While a task plays an arm action answers 7400 (arm busy); while an
arm action is held a task answers 7401 (arm holding). Arm 99 ends either, and answers
0 when nothing is held (also outside locomotion, where nothing can be held).

A request with `policy.noreply` gets no response (its effect still happens), as in
unitree_api.

Faults (`fault` setting), for testing the bridge: "silent" answers nothing and does
nothing; "refusing" answers every request with `fault_code` and does nothing; "slow"
acts at once but `reply_delay_s` tells the node to hold the answer back `fault_delay_s`;
"ignoring" answers every request 0 (ok) and does nothing (acknowledged, no effect).
State keeps flowing in every mode.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Annotated

from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from robot_bridge.protocol import (
    ARM,
    LOCOMOTION_IDS,
    SPORT,
    SPORT_TASK_ARM_ID_BASE,
    ArmAction,
    ArmActionState,
    ArmApi,
    Code,
    ControllerState,
    Fsm,
    Request,
    Response,
    SportApi,
    SportServiceName,
    SportTask,
)

FAULTS = ("none", "silent", "slow", "refusing", "ignoring")

_ALL = frozenset(Fsm)
ALLOWED_FROM: dict[Fsm, frozenset[Fsm]] = {
    Fsm.ZERO_TORQUE: frozenset({Fsm.DAMP}),
    Fsm.DAMP: _ALL,
    Fsm.SIT: frozenset({Fsm.DAMP, Fsm.STAND_UP, Fsm.LOCOMOTION, Fsm.LOCOMOTION_LEGACY, Fsm.SQUAT_STAND}),
    Fsm.STAND_UP: frozenset({Fsm.DAMP, Fsm.SIT}),
    Fsm.SQUAT_STAND: frozenset({Fsm.DAMP, Fsm.SIT, Fsm.STAND_UP}),
    Fsm.LOCOMOTION: frozenset({Fsm.STAND_UP, Fsm.SQUAT_STAND, Fsm.LOCOMOTION_LEGACY}),
    Fsm.LOCOMOTION_LEGACY: frozenset({Fsm.STAND_UP, Fsm.SQUAT_STAND, Fsm.LOCOMOTION}),
}
"""Which FSM ids each target id may be entered from (same-id requests are no-ops)."""

_STEP_S = 0.01  # integration sub-step: long gaps between calls are integrated finely


class SimSettings(BaseModel):
    """The simulated robot's settings; each field is a ROS parameter of `sim_robot`."""

    initial_fsm: int = Field(1, ge=0, le=1000, description="FSM id at start (1 damp, 4 standing, 500 locomotion)")
    state_rate_hz: float = Field(
        50.0, ge=1.0, le=1000.0, description="odom, sportmodestate and arm/action/state rate (read at start)"
    )
    sport_service: SportServiceName = Field(
        "sport", description="the locomotion service it answers on api/<name>/*: sport, or loco (before ai_sport 8.2)"
    )
    stand_up_duration_s: float = Field(2.0, ge=0.0, le=30.0, description="how long stand-up (fsm 4) takes")
    max_vx: float = Field(1.0, ge=0.0, le=5.0, description="forward/backward speed limit, m/s")
    max_vy: float = Field(0.6, ge=0.0, le=5.0, description="sideways speed limit, m/s")
    max_omega: float = Field(1.5, ge=0.0, le=10.0, description="turn rate limit, rad/s")
    max_linear_accel: float = Field(2.0, gt=0.0, le=50.0, description="linear acceleration limit per axis, m/s^2")
    max_angular_accel: float = Field(4.0, gt=0.0, le=100.0, description="angular acceleration limit, rad/s^2")
    arm_auto_release_s: float = Field(3.0, ge=0.0, le=60.0, description="an arm action ends by itself after this")
    task_duration_s: float = Field(3.0, ge=0.0, le=60.0, description="how long a sport task (7106) plays")
    fault: str = Field(
        "none", description="none | silent (never answers) | slow (answers late) | refusing | ignoring (ok, no effect)"
    )
    fault_delay_s: float = Field(1.0, ge=0.0, le=60.0, description="response delay when fault is slow")
    fault_code: int = Field(int(Code.STATE_NOT_AVAILABLE), ge=1, le=65535, description="code when fault is refusing")

    @field_validator("initial_fsm")
    @classmethod
    def _known_fsm(cls, value: int) -> int:
        if value not in set(Fsm):
            raise ValueError(f"initial_fsm must be one of {sorted(int(f) for f in Fsm)}")
        return value

    @field_validator("fault")
    @classmethod
    def _known_fault(cls, value: str) -> str:
        if value not in FAULTS:
            raise ValueError(f"fault must be one of {', '.join(FAULTS)}")
        return value


# Request parameters: strict numbers (no strings, no booleans), finite.
_Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]
_Int = Annotated[int, Field(strict=True)]


class _IntData(BaseModel):
    data: _Int


class _NumberData(BaseModel):
    data: _Number


class _Velocity(BaseModel):
    velocity: tuple[_Number, _Number, _Number]
    duration: Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0.0)]


class _ArmParams(BaseModel):
    data: _Int | None = None
    action_id: _Int | None = None

    @model_validator(mode="after")
    def _one_id(self) -> _ArmParams:
        if self.data is None and self.action_id is None:
            raise ValueError("needs data or action_id")
        return self

    @property
    def id(self) -> int:
        return self.data if self.data is not None else int(self.action_id)  # type: ignore[arg-type]


def wrap_angle(angle: float) -> float:
    """The angle wrapped to (-pi, pi]."""
    wrapped = math.remainder(angle, math.tau)
    return math.pi if wrapped <= -math.pi else wrapped


def _action_name(arm_id: int | None) -> str:
    if arm_id is None:
        return ""
    if arm_id >= SPORT_TASK_ARM_ID_BASE:
        return SportTask(arm_id - SPORT_TASK_ARM_ID_BASE).name.lower()
    return ArmAction(arm_id).name.lower()


def _approach(current: float, target: float, max_change: float) -> float:
    return current + max(-max_change, min(max_change, target - current))


def _clamp(value: float, limit: float) -> float:
    return max(-limit, min(limit, value))


class _BadParameter(Exception):
    """The request's parameter is not what its api expects (answered 3204)."""


def _parse(model: type[BaseModel], request: Request) -> BaseModel:
    try:
        return model.model_validate(request.params())
    except (ValueError, ValidationError) as error:  # json errors are ValueErrors too
        raise _BadParameter(str(error)) from error


class SimController:
    """The robot's behaviour: `handle` answers requests, `step` integrates motion."""

    def __init__(self, settings: SimSettings | None = None, now: float = 0.0) -> None:
        self.settings = settings or SimSettings()
        self._fsm = Fsm(self.settings.initial_fsm)
        self._stand_up_until = -math.inf
        self._time = now
        self._x = self._y = self._yaw = 0.0
        self._velocity = [0.0, 0.0, 0.0]
        self._command = (0.0, 0.0, 0.0)
        self._command_until = -math.inf
        self._arm_id: int | None = None
        self._arm_until = -math.inf
        self._sport: dict[int, Callable[[Request, float], Response]] = {
            SportApi.GET_FSM_ID: self._get_fsm_id,
            SportApi.GET_FSM_MODE: self._get_fsm_mode,
            SportApi.SET_FSM_ID: self._set_fsm_id,
            SportApi.SET_BALANCE_MODE: self._set_balance_mode,
            SportApi.SET_STAND_HEIGHT: self._set_stand_height,
            SportApi.SET_VELOCITY: self._set_velocity,
            SportApi.SET_TASK_ID: self._set_task_id,
        }
        self._arm: dict[int, Callable[[Request, float], Response]] = {ArmApi.EXECUTE_ACTION: self._execute_action}
        self._services = {SPORT: self._sport, ARM: self._arm}

    # ----------------------------------------------------------------- requests
    @property
    def reply_delay_s(self) -> float:
        """How long the node should hold a response back (the "slow" fault)."""
        return self.settings.fault_delay_s if self.settings.fault == "slow" else 0.0

    def handle(self, service: str, request: Request, now: float) -> Response | None:
        """Answer one request; None means no response is sent (silent fault or noreply)."""
        if self.settings.fault == "silent":
            return None
        if self.settings.fault == "refusing":
            return None if request.header.policy.noreply else Response.to(request, self.settings.fault_code)
        if self.settings.fault == "ignoring":
            return None if request.header.policy.noreply else Response.to(request, Code.OK)
        self.step(now)
        handler = self._services.get(service, {}).get(request.api_id)
        if handler is None:
            response = Response.to(request, Code.API_NOT_IMPLEMENTED)
        else:
            try:
                response = handler(request, now)
            except _BadParameter:
                response = Response.to(request, Code.BAD_PARAMETER)
        return None if request.header.policy.noreply else response

    def _get_fsm_id(self, request: Request, now: float) -> Response:
        return Response.to(request, Code.OK, {"data": int(self._fsm)})

    def _get_fsm_mode(self, request: Request, now: float) -> Response:
        return Response.to(request, Code.OK, {"data": self._fsm_mode(now)})

    def _set_balance_mode(self, request: Request, now: float) -> Response:
        _parse(_IntData, request)
        return Response.to(request)

    def _set_stand_height(self, request: Request, now: float) -> Response:
        _parse(_NumberData, request)
        return Response.to(request)

    def _set_fsm_id(self, request: Request, now: float) -> Response:
        return Response.to(request, self._switch(_parse(_IntData, request).data, now))

    def _switch(self, target_id: int, now: float) -> Code:
        if target_id not in ALLOWED_FROM:
            return Code.INVALID_FSM_ID
        target = Fsm(target_id)
        if target != Fsm.DAMP and self._standing_up(now):
            return Code.STATE_NOT_AVAILABLE
        if target == self._fsm:
            return Code.OK
        if self._fsm not in ALLOWED_FROM[target]:
            return Code.INVALID_FSM_ID
        if self._fsm in LOCOMOTION_IDS and target not in LOCOMOTION_IDS:
            self._stop_now()
            self._arm_id, self._arm_until = None, -math.inf
        self._fsm = target
        self._stand_up_until = now + self.settings.stand_up_duration_s if target == Fsm.STAND_UP else -math.inf
        return Code.OK

    def _set_velocity(self, request: Request, now: float) -> Response:
        command = _parse(_Velocity, request)
        if self._fsm in LOCOMOTION_IDS:
            vx, vy, omega = command.velocity
            s = self.settings
            self._command = (_clamp(vx, s.max_vx), _clamp(vy, s.max_vy), _clamp(omega, s.max_omega))
            self._command_until = now + command.duration
        return Response.to(request)

    def _set_task_id(self, request: Request, now: float) -> Response:
        task = _parse(_IntData, request).data
        if task not in set(SportTask):
            return Response.to(request, Code.INVALID_TASK)
        code = self._arm_free_code(now, for_task=True)
        if code == Code.OK:
            self._hold_arm(SPORT_TASK_ARM_ID_BASE + task, now + self.settings.task_duration_s)
        return Response.to(request, code)

    def _execute_action(self, request: Request, now: float) -> Response:
        action = _parse(_ArmParams, request).id
        if action not in set(ArmAction):
            return Response.to(request, Code.INVALID_ACTION_ID)
        if action == ArmAction.RELEASE:
            self._arm_id, self._arm_until = None, -math.inf
            return Response.to(request)
        code = self._arm_free_code(now, for_task=False)
        if code == Code.OK:
            self._hold_arm(action, now + self.settings.arm_auto_release_s)
        return Response.to(request, code)

    def _arm_free_code(self, now: float, for_task: bool) -> Code:
        """OK when the arm may start something now, else why not."""
        if self._fsm not in LOCOMOTION_IDS:
            return Code.ARM_NOT_ALLOWED_IN_FSM
        if self._arm_held(now) is None:
            return Code.OK
        if self._arm_id is not None and self._arm_id >= SPORT_TASK_ARM_ID_BASE:
            return Code.ARM_HOLDING if for_task else Code.ARM_BUSY
        return Code.ARM_HOLDING

    def _hold_arm(self, arm_id: int, until: float) -> None:
        self._arm_id, self._arm_until = arm_id, until

    # ------------------------------------------------------------------- motion
    def step(self, now: float) -> None:
        """Advance the simulation to `now`: velocity ramps to the live command, pose integrates."""
        while self._time < now:
            dt = min(_STEP_S, now - self._time)
            if self._command_until > self._time:  # never integrate a command past its expiry
                dt = min(dt, self._command_until - self._time)
            self._integrate(dt)
            self._time += dt

    def _integrate(self, dt: float) -> None:
        s = self.settings
        live = self._fsm in LOCOMOTION_IDS and self._command_until > self._time
        target = self._command if live else (0.0, 0.0, 0.0)
        before = list(self._velocity)
        limits = (s.max_linear_accel * dt, s.max_linear_accel * dt, s.max_angular_accel * dt)
        self._velocity = [_approach(v, t, a) for v, t, a in zip(before, target, limits)]
        vx, vy, omega = ((b + a) / 2.0 for b, a in zip(before, self._velocity))
        heading = self._yaw + omega * dt / 2.0
        self._x += (vx * math.cos(heading) - vy * math.sin(heading)) * dt
        self._y += (vx * math.sin(heading) + vy * math.cos(heading)) * dt
        self._yaw += omega * dt

    def _stop_now(self) -> None:
        self._velocity = [0.0, 0.0, 0.0]
        self._command = (0.0, 0.0, 0.0)
        self._command_until = -math.inf

    # -------------------------------------------------------------------- state
    def _standing_up(self, now: float) -> bool:
        return self._fsm == Fsm.STAND_UP and now < self._stand_up_until

    def _fsm_mode(self, now: float) -> int:
        return 1 if self._standing_up(now) else 0

    def _arm_held(self, now: float) -> int | None:
        if self._arm_id is not None and now >= self._arm_until:
            self._arm_id, self._arm_until = None, -math.inf
        return self._arm_id

    def state(self, now: float) -> ControllerState:
        """The robot at `now` (the pose as of the last step); the node puts it on the wire."""
        arm = self._arm_held(now)
        return ControllerState(
            stamp=now,
            fsm_id=int(self._fsm),
            fsm_mode=self._fsm_mode(now),
            position=[self._x, self._y, 0.0],
            velocity=list(self._velocity),
            yaw=wrap_angle(self._yaw),
            arm_action=ArmActionState(id=arm, holding=arm is not None, name=_action_name(arm)),
        )

    def sport_task(self, now: float) -> tuple[int, float]:
        """(task id, seconds it still plays) for `sportmodestate`; (0, 0.0) when no sport task plays."""
        arm = self._arm_held(now)
        if arm is None or arm < SPORT_TASK_ARM_ID_BASE:
            return 0, 0.0
        return arm - SPORT_TASK_ARM_ID_BASE, max(1e-3, self._arm_until - now)

    def set_pose(self, x: float, y: float, yaw: float) -> None:
        """Place the robot (tests and demos start it somewhere other than the origin)."""
        self._x, self._y, self._yaw = x, y, yaw

