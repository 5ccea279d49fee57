"""The G1 controller protocol as data: request/response envelopes, api ids, FSM ids, codes.

The envelopes carry exactly the fields of the vendor's `unitree_api` Request/Response, which
`robot_bridge.wire` turns into those typed messages on `api/<service>/request|response`.
Imports nothing of ours and no ROS: the bridge and the simulated robot both build on it.
"""

from __future__ import annotations

import json
from enum import IntEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

SPORT = "sport"
ARM = "arm"
SERVICES = (SPORT, ARM)
SPORT_SERVICE_NAMES = ("sport", "loco")  # the locomotion service's name: `loco` on firmware before ai_sport 8.2


def _known_sport_service(value: str) -> str:
    if value not in SPORT_SERVICE_NAMES:
        raise ValueError(f"sport_service must be one of {', '.join(SPORT_SERVICE_NAMES)}")
    return value


SportServiceName = Annotated[str, AfterValidator(_known_sport_service)]
"""A settings field naming the locomotion service (bridge and simulated robot alike)."""
SPORT_TASK_ARM_ID_BASE = 1000
"""`arm_action.id` in ControllerState while sport task n (SetTaskId) plays is SPORT_TASK_ARM_ID_BASE + n."""


class SportApi(IntEnum):
    GET_FSM_ID = 7001
    GET_FSM_MODE = 7002
    SET_FSM_ID = 7101
    SET_BALANCE_MODE = 7102
    SET_STAND_HEIGHT = 7104
    SET_VELOCITY = 7105
    SET_TASK_ID = 7106


class ArmApi(IntEnum):
    EXECUTE_ACTION = 7106


class Fsm(IntEnum):
    ZERO_TORQUE = 0
    DAMP = 1
    SIT = 3
    STAND_UP = 4
    LOCOMOTION_LEGACY = 200
    LOCOMOTION = 500
    SQUAT_STAND = 706


LOCOMOTION_IDS = frozenset({Fsm.LOCOMOTION, Fsm.LOCOMOTION_LEGACY})


class ArmAction(IntEnum):
    RELEASE = 99
    TWO_HAND_KISS = 11
    LEFT_KISS = 12
    RIGHT_KISS = 13
    HANDS_UP = 15
    CLAP = 17
    HIGH_FIVE = 18
    HUG = 19
    HEART = 20
    RIGHT_HEART = 21
    REJECT = 22
    RIGHT_HAND_UP = 23
    X_RAY = 24
    FACE_WAVE = 25
    HIGH_WAVE = 26
    SHAKE_HAND = 27


class SportTask(IntEnum):
    WAVE = 0
    WAVE_AND_TURN = 1
    SHAKE_HAND_STAGE_1 = 2
    SHAKE_HAND_STAGE_2 = 3


class Code(IntEnum):
    OK = 0
    TIMEOUT = 3104
    API_NOT_IMPLEMENTED = 3203
    BAD_PARAMETER = 3204
    STATE_NOT_AVAILABLE = 7301
    INVALID_FSM_ID = 7302
    INVALID_TASK = 7303
    ARM_BUSY = 7400
    ARM_HOLDING = 7401
    INVALID_ACTION_ID = 7402
    ARM_NOT_ALLOWED_IN_FSM = 7404


class Identity(BaseModel):
    id: int
    api_id: int


class Lease(BaseModel):
    id: int = 0


class Policy(BaseModel):
    priority: int = 0
    noreply: bool = False


class RequestHeader(BaseModel):
    identity: Identity
    lease: Lease = Field(default_factory=Lease)
    policy: Policy = Field(default_factory=Policy)


class Request(BaseModel):
    """A service request; `parameter` is itself a JSON string, as in unitree_api."""

    model_config = ConfigDict(extra="ignore")

    header: RequestHeader
    parameter: str = ""

    @classmethod
    def make(cls, request_id: int, api_id: int, parameter: dict | None = None) -> Request:
        text = json.dumps(parameter) if parameter is not None else ""
        return cls(header=RequestHeader(identity=Identity(id=request_id, api_id=int(api_id))), parameter=text)

    @property
    def api_id(self) -> int:
        return self.header.identity.api_id

    def params(self) -> dict:
        """The decoded parameter object; raises ValueError when it is not a JSON object."""
        if not self.parameter:
            return {}
        value = json.loads(self.parameter)
        if not isinstance(value, dict):
            raise ValueError("parameter is not a JSON object")
        return value


class Status(BaseModel):
    code: int = 0


class ResponseHeader(BaseModel):
    identity: Identity
    status: Status = Field(default_factory=Status)


class Response(BaseModel):
    model_config = ConfigDict(extra="ignore")

    header: ResponseHeader
    data: str = ""

    @classmethod
    def to(cls, request: Request, code: int = Code.OK, data: dict | None = None) -> Response:
        return cls(
            header=ResponseHeader(identity=request.header.identity, status=Status(code=int(code))),
            data=json.dumps(data) if data is not None else "",
        )

    @property
    def code(self) -> int:
        return self.header.status.code


class ArmActionState(BaseModel):
    """The arm action playing; on the wire `arm/action/state` carries it as JSON {"holding", "id", "name"}."""

    model_config = ConfigDict(extra="ignore")

    id: int | None = None
    holding: bool = False
    name: str = ""


class ControllerState(BaseModel):
    """The robot as the bridge sees it (REP-103, body-frame velocity), assembled from the wire:
    pose, velocity and stamp from odometry, FSM from `sportmodestate` (or GetFsmId/GetFsmMode),
    arm from `arm/action/state` (and a sport task from `sportmodestate`)."""

    model_config = ConfigDict(extra="ignore")

    stamp: float
    fsm_id: int
    fsm_mode: int = 0
    position: list[float] = Field(min_length=3, max_length=3)
    velocity: list[float] = Field(min_length=3, max_length=3)
    yaw: float
    arm_action: ArmActionState = Field(default_factory=ArmActionState)
