"""Runs a plan's steps in order against the controller; the bridge's core, free of ROS.

Dispatch is a table keyed by primitive (derived from the vocabulary, never getattr on
model output). A step succeeds only when the observed state confirms it; any failure
stops the robot and aborts the rest of the plan with the failing code.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Protocol

from llm_planner.plan.places import Destinations, Place, Pose
from llm_planner.plan.schema import Gesture, GoTo, Remember, Step
from robot_bridge import motion, posture
from robot_bridge.bridge_settings import BridgeSettings
from robot_bridge.controller_client import ControllerClient, ControllerError
from robot_bridge.gestures import GESTURES, reported_action_id
from robot_bridge.protocol import ARM, LOCOMOTION_IDS, ArmAction

Emit = Callable[[str, "int | None", "str | None", str], None]
# Drives to a place by other means than the bridge's own closed loop (Nav2): place, cancelled, report(detail)
Navigate = Callable[[Place, threading.Event, Callable[[str], None]], str]


class Places(Protocol):
    """Where go_to may go now, and how a place is remembered (robot_bridge.place_topics serves both)."""

    def destinations(self) -> Destinations: ...

    def place(self, name: str) -> Place | None: ...

    def remember(self, name: str, pose: Pose) -> str: ...


class PlanExecutor:
    """Executes steps with `run`; `emit(state, step, reason, detail)` reports progress."""

    def __init__(self, client: ControllerClient, settings: BridgeSettings, emit: Emit,
                 places: Places | None = None, navigate: Navigate | None = None) -> None:
        self.client = client
        self.settings = settings
        self.emit = emit
        self.places = places
        self.navigate = navigate  # None: go_to drives direct (motion.go_to)
        self._index: int | None = None
        self._dispatch: dict[str, Callable[[Step, threading.Event], str]] = {
            "stand_up": self._stand_up,
            "sit_down": self._sit_down,
            "walk": self._walk,
            "turn": self._turn,
            "gesture": self._gesture,
            "wait": self._wait,
            "stop": self._stop,
            "go_to": self._go_to,
            "remember": self._remember,
        }

    @property
    def primitives(self) -> frozenset[str]:
        return frozenset(self._dispatch)

    def run(self, steps: Sequence[Step], cancelled: threading.Event) -> bool:
        """Run every step; True when all succeeded. Emits step_* events, not the plan's final one."""
        for index, step in enumerate(steps):
            if cancelled.is_set():
                return False
            self._index = index
            self.emit("step_started", index, None, step.primitive)
            try:
                self.client.await_fresh_state(self.settings.response_timeout_s, cancelled)
                detail = self._dispatch[step.primitive](step, cancelled)
            except ControllerError as error:
                if error.code == "cancelled" or cancelled.is_set():
                    return False
                reason = str(int(error.code)) if isinstance(error.code, int) else error.code  # "3104", not "Code..."
                self.emit("step_failed", index, reason, str(error))
                self.halt()
                return False
            self.emit("step_succeeded", index, None, detail)
        return True

    def halt(self) -> None:
        """Best effort: command zero velocity if the robot is in locomotion."""
        try:
            if self.client.fresh_state().fsm_id in LOCOMOTION_IDS:
                motion.stop(self.client, self.settings)
        except ControllerError:
            pass  # the short command durations stop the robot anyway

    # --- one method per primitive --------------------------------------
    def _stand_up(self, _step: Step, cancelled: threading.Event) -> str:
        posture.ensure_locomotion(self.client, self.settings, cancelled)
        return "standing in locomotion"

    def _sit_down(self, _step: Step, cancelled: threading.Event) -> str:
        posture.sit_down(self.client, self.settings, cancelled)
        return "seated"

    def _walk(self, step: Step, cancelled: threading.Event) -> str:
        posture.ensure_locomotion(self.client, self.settings, cancelled)
        error = motion.walk(self.client, step, self.settings, cancelled)
        return f"walked {step.distance_m} m {step.direction}, error {error * 100:+.1f} cm"

    def _turn(self, step: Step, cancelled: threading.Event) -> str:
        posture.ensure_locomotion(self.client, self.settings, cancelled)
        error = motion.turn(self.client, step, self.settings, cancelled)
        return f"turned {step.angle_deg} deg {step.direction}, error {error:+.1f} deg"

    def _gesture(self, step: Gesture, cancelled: threading.Event) -> str:
        posture.ensure_locomotion(self.client, self.settings, cancelled)
        request = GESTURES[step.name]
        expected = reported_action_id(request)
        timeout = self.settings.response_timeout_s
        if self.client.fresh_state().arm_action.holding:
            self._release(cancelled)
        self.client.call(request.service, request.api_id, {"data": request.data}, timeout=timeout, cancelled=cancelled)
        self.client.wait_until(lambda s: s.arm_action.id == expected and s.arm_action.holding, timeout * 3, cancelled,
                               f"arm action {expected} playing")
        if request.service == ARM:
            cancelled.wait(self.settings.gesture_hold_s)
            self._release(cancelled)
        else:
            self.client.wait_until(lambda s: not s.arm_action.holding, self.settings.gesture_timeout_s, cancelled,
                                   f"the end of {step.name}")
        return f"played {step.name}"

    def _release(self, cancelled: threading.Event) -> None:
        timeout = self.settings.response_timeout_s
        self.client.call(ARM, 7106, {"data": int(ArmAction.RELEASE)}, timeout=timeout, cancelled=cancelled)
        self.client.wait_until(lambda s: not s.arm_action.holding, self.settings.gesture_timeout_s, cancelled,
                               "the arm released")

    def _wait(self, step: Step, cancelled: threading.Event) -> str:
        if cancelled.wait(step.seconds):
            raise ControllerError("cancelled", "cancelled")
        return f"waited {step.seconds} s"

    def _stop(self, _step: Step, cancelled: threading.Event) -> str:
        if self.client.fresh_state().fsm_id in LOCOMOTION_IDS:
            motion.stop(self.client, self.settings, cancelled)
            self.client.wait_until(lambda s: max(abs(v) for v in s.velocity) < 0.01, 2.0, cancelled,
                                   "the robot at rest")
        return "stopped"

    def _go_to(self, step: GoTo, cancelled: threading.Event) -> str:
        places = self.places.destinations() if self.places else Destinations()
        if step.place in places.refused:  # checked at intake too: the session may have changed since
            raise ControllerError("untrusted_place", f"{step.place}: {places.refused[step.place]}")
        if step.place not in places.poses:
            raise ControllerError("unknown_place", f"no place named {step.place!r}; known: {', '.join(places.names)}")
        posture.ensure_locomotion(self.client, self.settings, cancelled)
        if self.navigate is not None and self.places is not None:
            index = self._index
            return self.navigate(self.places.place(step.place), cancelled,
                                 lambda detail: self.emit("step_feedback", index, None, detail))
        error, heading = motion.go_to(self.client, places.poses[step.place], self.settings, cancelled)
        return f"at {step.place}, error {error * 100:.1f} cm, heading {heading:+.1f} deg"

    def _remember(self, step: Remember, _cancelled: threading.Event) -> str:
        if self.places is None:
            raise ControllerError("places_unavailable", "this bridge keeps no places")
        state = self.client.fresh_state()
        try:
            return self.places.remember(step.place, (state.position[0], state.position[1], state.yaw))
        except (OSError, ValueError) as error:
            raise ControllerError("remember_failed", str(error)[:300]) from None
