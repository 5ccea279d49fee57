"""What a plan would send, step by step, without sending it: a disarmed bridge logs this.

Derived from the same tables and speed rules the executor uses (gestures, motion), so the
preview names the api ids, parameter keys and values the robot would get once armed.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

from llm_planner.plan.schema import Step
from robot_bridge.bridge_settings import BridgeSettings
from robot_bridge.gestures import GESTURES
from robot_bridge.motion import turn_rate, walk_velocity
from robot_bridge.protocol import ARM, SPORT, ArmAction, ArmApi, Fsm, SportApi


def _request(service: str, api_id: int, parameter: dict) -> str:
    return f"{service} {int(api_id)} {json.dumps(parameter)}"


def _velocity(vx: float, vy: float, wz: float, settings: BridgeSettings) -> str:
    parameter = {"velocity": [round(vx, 3), round(vy, 3), round(wz, 3)], "duration": settings.command_duration_s}
    return f"{_request(SPORT, SportApi.SET_VELOCITY, parameter)} at {settings.command_rate_hz:g} Hz"


def step_requests(step: Step, settings: BridgeSettings) -> str:
    """The requests one step leads with (posture switches happen only as the reported FSM requires)."""
    locomotion = _request(SPORT, SportApi.SET_FSM_ID, {"data": int(Fsm.LOCOMOTION)})
    stand = (f"if not standing: {_request(SPORT, SportApi.SET_FSM_ID, {'data': int(Fsm.STAND_UP)})}, "
             f"then {locomotion}; ")
    if step.primitive == "stand_up":
        return stand.removesuffix("; ")
    if step.primitive == "sit_down":
        return _request(SPORT, SportApi.SET_FSM_ID, {"data": int(Fsm.SIT)})
    if step.primitive == "walk":
        return stand + _velocity(*walk_velocity(step, settings), 0.0, settings) + f" for {step.distance_m:g} m"
    if step.primitive == "turn":
        rate = turn_rate(step, settings)
        return stand + _velocity(0.0, 0.0, rate, settings) + f" for {step.angle_deg:g} deg ({math.degrees(rate):+g}°/s)"
    if step.primitive == "gesture":
        gesture = GESTURES[step.name]
        play = _request(gesture.service, gesture.api_id, {"data": gesture.data})
        if gesture.service == ARM:
            play += f", then {_request(ARM, ArmApi.EXECUTE_ACTION, {'data': int(ArmAction.RELEASE)})}"
        return stand + play
    if step.primitive == "wait":
        return f"nothing for {step.seconds:g} s"
    if step.primitive == "go_to":
        speed = min(settings.default_speed_mps, settings.max_speed_mps)
        return (stand + f"turn toward {step.place}, walk there at {speed:g} m/s in legs of at most "
                f"{settings.max_distance_m:g} m, turn to its heading (SetVelocity at {settings.command_rate_hz:g} Hz)")
    if step.primitive == "remember":
        return f"nothing: saves the current pose as {step.place}"
    stop = {"velocity": [0.0, 0.0, 0.0], "duration": settings.command_duration_s}
    return _request(SPORT, SportApi.SET_VELOCITY, stop)


def preview(steps: Sequence[Step], settings: BridgeSettings) -> list[str]:
    return [f"step {index} {step.primitive}: {step_requests(step, settings)}" for index, step in enumerate(steps)]
