"""How each gesture of the vocabulary is played on the G1 controller, as data.

`wave` is the sport service's SetTaskId 0; the others are arm ExecuteAction ids.
A test checks this table covers exactly the vocabulary's gesture names.
"""

from __future__ import annotations

from dataclasses import dataclass

from robot_bridge.protocol import ARM, SPORT, SPORT_TASK_ARM_ID_BASE, ArmAction, SportTask


@dataclass(frozen=True)
class GestureRequest:
    service: str
    api_id: int
    data: int


GESTURES: dict[str, GestureRequest] = {
    "wave": GestureRequest(SPORT, 7106, int(SportTask.WAVE)),
    "high_wave": GestureRequest(ARM, 7106, int(ArmAction.HIGH_WAVE)),
    "face_wave": GestureRequest(ARM, 7106, int(ArmAction.FACE_WAVE)),
    "shake_hand": GestureRequest(ARM, 7106, int(ArmAction.SHAKE_HAND)),
    "high_five": GestureRequest(ARM, 7106, int(ArmAction.HIGH_FIVE)),
    "hug": GestureRequest(ARM, 7106, int(ArmAction.HUG)),
    "clap": GestureRequest(ARM, 7106, int(ArmAction.CLAP)),
    "heart": GestureRequest(ARM, 7106, int(ArmAction.HEART)),
    "hands_up": GestureRequest(ARM, 7106, int(ArmAction.HANDS_UP)),
    "reject": GestureRequest(ARM, 7106, int(ArmAction.REJECT)),
}


def reported_action_id(request: GestureRequest) -> int:
    """The arm_action id the controller state shows while this gesture plays."""
    return request.data + SPORT_TASK_ARM_ID_BASE if request.service == SPORT else request.data
