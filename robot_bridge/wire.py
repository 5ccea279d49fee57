"""The G1 on the wire: `unitree_api` Request/Response messages and the topics they travel on.

The protocol's pydantic envelopes are the vocabulary the bridge and the simulated robot reason
in; this module is the one place that turns them into the vendor's typed messages and back.
Topics are relative (`api/sport/request` ...), so a robot can live in a namespace; on the
robot's DDS they are `rt/api/<service>/request`, the `rt/` prefix being ROS's.
"""

from __future__ import annotations

from pydantic import ValidationError
from unitree_api.msg import Request as RequestMsg
from unitree_api.msg import Response as ResponseMsg
from unitree_hg.msg import SportModeState

from robot_bridge.protocol import (
    SPORT_TASK_ARM_ID_BASE,
    ArmActionState,
    ControllerState,
    Identity,
    Lease,
    Policy,
    Request,
    RequestHeader,
    Response,
    ResponseHeader,
    Status,
)

SPORT_MODE_STATE_TOPIC = "sportmodestate"  # unitree_hg/SportModeState: fsm_id, fsm_mode, task_id, task_time
ARM_STATE_TOPIC = "arm/action/state"  # std_msgs/String, JSON {"holding": bool, "id": int, "name": str}


def request_topic(service_name: str) -> str:
    return f"api/{service_name}/request"


def response_topic(service_name: str) -> str:
    return f"api/{service_name}/response"


def request_to_msg(request: Request) -> RequestMsg:
    msg = RequestMsg()
    msg.header.identity.id = request.header.identity.id
    msg.header.identity.api_id = request.header.identity.api_id
    msg.header.lease.id = request.header.lease.id
    msg.header.policy.priority = request.header.policy.priority
    msg.header.policy.noreply = request.header.policy.noreply
    msg.parameter = request.parameter
    return msg


def request_from_msg(msg: RequestMsg) -> Request:
    header = msg.header
    return Request(
        header=RequestHeader(
            identity=Identity(id=header.identity.id, api_id=header.identity.api_id),
            lease=Lease(id=header.lease.id),
            policy=Policy(priority=header.policy.priority, noreply=header.policy.noreply),
        ),
        parameter=msg.parameter,
    )


def response_to_msg(response: Response) -> ResponseMsg:
    msg = ResponseMsg()
    msg.header.identity.id = response.header.identity.id
    msg.header.identity.api_id = response.header.identity.api_id
    msg.header.status.code = response.header.status.code
    msg.data = response.data
    return msg


def response_from_msg(msg: ResponseMsg) -> Response:
    header = msg.header
    return Response(
        header=ResponseHeader(identity=Identity(id=header.identity.id, api_id=header.identity.api_id),
                              status=Status(code=header.status.code)),
        data=msg.data,
    )


# --- state: the simulated robot writes it, the bridge reads it back ------------------------
def sport_mode_state(state: ControllerState, task: tuple[int, float]) -> SportModeState:
    """The FSM and the sport task playing (task_time: seconds it still plays, 0 when none)."""
    msg = SportModeState()
    msg.fsm_id, msg.fsm_mode = state.fsm_id, state.fsm_mode
    msg.task_id, msg.task_time = task[0], task[1]
    return msg


def arm_state_json(arm: ArmActionState) -> str:
    """`arm/action/state`: arm actions only (a sport task is on `sportmodestate`)."""
    if arm.id is not None and arm.id >= SPORT_TASK_ARM_ID_BASE:
        arm = ArmActionState()
    return arm.model_dump_json()


def parse_arm_state(text: str) -> ArmActionState | None:
    try:
        return ArmActionState.model_validate_json(text)
    except ValidationError:
        return None


def arm_action(arm: ArmActionState | None, sport: SportModeState | None) -> ArmActionState:
    """What the arm does: a sport task playing (from `sportmodestate`) wins over the arm action state."""
    if sport is not None and sport.task_time > 0.0:
        return ArmActionState(id=SPORT_TASK_ARM_ID_BASE + sport.task_id, holding=True)
    return arm or ArmActionState()
