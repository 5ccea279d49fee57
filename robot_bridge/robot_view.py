"""The robot as the bridge sees it, assembled from the G1's three streams.

FSM from `sportmodestate` while it is fresh, otherwise from GetFsmId/GetFsmMode answers (the
bridge polls them); the arm from `arm/action/state` (a sport task from `sportmodestate`); pose,
velocity and stamp from odometry. A state is assembled when odometry arrives and only while the
FSM is known and recent, so a silent robot makes the state go stale and motion stop.
"""

from __future__ import annotations

import json
import math
import time

from nav_msgs.msg import Odometry
from std_msgs.msg import String
from unitree_hg.msg import SportModeState

from llm_planner.ros.geometry import odometry_fields
from robot_bridge.bridge_settings import BridgeSettings
from robot_bridge.protocol import ArmActionState, ControllerState, Response, SportApi
from robot_bridge.wire import arm_action, parse_arm_state


class RobotView:
    """Fed from ROS callbacks on one executor thread; `on_odom` returns the assembled state."""

    def __init__(self, settings: BridgeSettings) -> None:
        self.settings = settings
        self._fsm: tuple[int, int] | None = None  # (fsm id, fsm mode)
        self._fsm_at = -math.inf  # monotonic time the FSM was last heard, from either source
        self._sport: SportModeState | None = None
        self._sport_at = -math.inf
        self._arm: ArmActionState | None = None

    def on_sport_state(self, msg: SportModeState) -> None:
        self._sport, self._sport_at = msg, time.monotonic()
        self._fsm, self._fsm_at = (msg.fsm_id, msg.fsm_mode), self._sport_at

    def on_arm_state(self, msg: String) -> None:
        self._arm = parse_arm_state(msg.data) or self._arm

    def needs_poll(self) -> bool:
        """True while `sportmodestate` is silent for longer than `fsm_timeout_s`."""
        return time.monotonic() - self._sport_at > self.settings.fsm_timeout_s

    def on_fsm_answer(self, response: Response) -> None:
        """A GetFsmId or GetFsmMode answer, `{"data": n}`; anything else is ignored."""
        try:
            value = int(json.loads(response.data)["data"])
        except (ValueError, KeyError, TypeError):
            return
        if response.header.identity.api_id == SportApi.GET_FSM_ID:
            mode = self._fsm[1] if self._fsm is not None else 0
            self._fsm, self._fsm_at = (value, mode), time.monotonic()
        elif response.header.identity.api_id == SportApi.GET_FSM_MODE and self._fsm is not None:
            self._fsm = (self._fsm[0], value)

    def on_odom(self, msg: Odometry) -> ControllerState | None:
        now = time.monotonic()
        if self._fsm is None or now - self._fsm_at > 2 * self.settings.fsm_timeout_s:
            return None
        sport = self._sport if now - self._sport_at <= self.settings.fsm_timeout_s else None
        return ControllerState(fsm_id=self._fsm[0], fsm_mode=self._fsm[1], **odometry_fields(msg),
                               arm_action=arm_action(self._arm, sport))
