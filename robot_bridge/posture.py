"""Posture management: get the robot into locomotion (or seated) by confirmed FSM switches.

Each switch is confirmed by the FSM the controller reports, never by sleeping:
an "ok" answer only means the request was received.
"""

from __future__ import annotations

import threading

from robot_bridge.bridge_settings import BridgeSettings
from robot_bridge.controller_client import ControllerClient
from robot_bridge.protocol import LOCOMOTION_IDS, SPORT, Fsm, SportApi

STANDING_IDS = frozenset({Fsm.SQUAT_STAND}) | LOCOMOTION_IDS


def switch_fsm(client: ControllerClient, fsm: Fsm, settings: BridgeSettings, cancelled: threading.Event,
               timeout: float | None = None, done=None) -> None:
    """Request an FSM id and wait until the observed state shows it (and `done`, if given).

    Passing `cancelled` to the call means no switch goes out after an e-stop's Damp.
    """
    client.call(SPORT, SportApi.SET_FSM_ID, {"data": int(fsm)}, timeout=settings.response_timeout_s,
                cancelled=cancelled)
    confirmed = done or (lambda s: s.fsm_id == fsm)
    client.wait_until(confirmed, timeout or settings.response_timeout_s * 3, cancelled, f"fsm {int(fsm)}")


def ensure_locomotion(client: ControllerClient, settings: BridgeSettings, cancelled: threading.Event) -> None:
    """damp/sit/zero torque -> stand up -> locomotion, skipping what is already done."""
    state = client.settled_state(settings.response_timeout_s * 3, cancelled)
    if state.fsm_id in LOCOMOTION_IDS:
        return
    if state.fsm_id == Fsm.ZERO_TORQUE:
        switch_fsm(client, Fsm.DAMP, settings, cancelled)
        state = client.fresh_state()
    standing = state.fsm_id in STANDING_IDS or (state.fsm_id == Fsm.STAND_UP and state.fsm_mode == 0)
    if state.fsm_id == Fsm.STAND_UP and not standing:  # a stand-up already under way: let it finish
        client.wait_until(lambda s: s.fsm_id == Fsm.STAND_UP and s.fsm_mode == 0,
                          settings.stand_up_timeout_s, cancelled, "the end of the stand-up")
    elif not standing:
        switch_fsm(client, Fsm.STAND_UP, settings, cancelled, timeout=settings.stand_up_timeout_s,
                   done=lambda s: s.fsm_id == Fsm.STAND_UP and s.fsm_mode == 0)
    switch_fsm(client, Fsm.LOCOMOTION, settings, cancelled, done=lambda s: s.fsm_id in LOCOMOTION_IDS)


def sit_down(client: ControllerClient, settings: BridgeSettings, cancelled: threading.Event) -> None:
    """Stop moving, then sit; confirmed by the reported FSM."""
    if client.settled_state(settings.response_timeout_s * 3, cancelled).fsm_id == Fsm.SIT:
        return
    if client.fresh_state().fsm_id in LOCOMOTION_IDS:
        client.call(SPORT, SportApi.SET_VELOCITY, {"velocity": [0.0, 0.0, 0.0], "duration": 0.1},
                    timeout=settings.response_timeout_s, cancelled=cancelled)
    switch_fsm(client, Fsm.SIT, settings, cancelled, timeout=settings.stand_up_timeout_s)
