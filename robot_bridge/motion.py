"""Closed-loop walking and turning on observed odometry, through short-lived velocity commands.

Every SetVelocity lasts at most `command_duration_s` (≤ 0.3 s) and is refreshed at
`command_rate_hz` (≥ 10 Hz): if this process stops, the robot stops by itself.
Speed falls off near the goal so the robot ends within tolerance without overshoot.
"""

from __future__ import annotations

import math
import threading
import time

from llm_planner.plan.places import Pose
from llm_planner.plan.schema import Turn, Walk
from robot_bridge.bridge_settings import BridgeSettings
from robot_bridge.controller_client import ControllerClient, ControllerError
from robot_bridge.protocol import SPORT, ControllerState, SportApi

_BODY_DIRECTIONS = {"forward": (1.0, 0.0), "backward": (-1.0, 0.0), "left": (0.0, 1.0), "right": (0.0, -1.0)}
_MIN_SPEED_MPS = 0.05
_MIN_TURN_RAD_S = math.radians(5)
_GAIN = 1.5  # 1/s: proportional slow-down near the goal
_HEADING_GAIN = 1.0


def wrap(angle: float) -> float:
    """Angle wrapped to (-pi, pi]."""
    wrapped = math.atan2(math.sin(angle), math.cos(angle))
    return math.pi if wrapped == -math.pi else wrapped


def send_velocity(client: ControllerClient, settings: BridgeSettings, vx: float, vy: float, wz: float) -> None:
    """One dead-man velocity command, clamped to the speed limits whatever the caller computed."""
    vmax = settings.max_speed_mps
    wmax = math.radians(settings.max_turn_speed_deg_s)
    velocity = [max(-vmax, min(vmax, vx)), max(-vmax, min(vmax, vy)), max(-wmax, min(wmax, wz))]
    client.send(SPORT, SportApi.SET_VELOCITY, {"velocity": velocity, "duration": settings.command_duration_s})


def stop(client: ControllerClient, settings: BridgeSettings, cancelled: threading.Event | None = None) -> None:
    """Command zero velocity and wait for the answer (soft stop, keeps standing)."""
    client.call(SPORT, SportApi.SET_VELOCITY, {"velocity": [0.0, 0.0, 0.0], "duration": settings.command_duration_s},
                timeout=settings.response_timeout_s, cancelled=cancelled)


def _drive(client: ControllerClient, settings: BridgeSettings, cancelled: threading.Event,
           remaining_of, command_of, tolerance: float, budget_s: float) -> float:
    """Shared control loop: command until `remaining_of(state)` is within a fraction of tolerance.

    Fails on staleness, on a command answered with a non-zero code or not answered within
    `response_timeout_s`, on a stall (commanded but no progress for `stall_timeout_s`),
    on the time budget, or when cancelled; always leaves the robot commanded to stop.
    Returns the final signed remaining error after the robot has settled.
    """
    period = 1.0 / settings.command_rate_hz
    started = time.monotonic()
    tick = started  # commands go out on a fixed grid: the loop's own work never stretches the period
    best = abs(remaining_of(client.fresh_state()))
    last_progress = started
    client.forget_sent()
    try:
        while True:
            if cancelled.is_set():
                raise ControllerError("cancelled", "cancelled")
            client.check_sent(settings.response_timeout_s)
            state = client.fresh_state()
            remaining = remaining_of(state)
            if abs(remaining) <= tolerance * 0.2 or remaining < 0:
                break
            now = time.monotonic()
            if abs(remaining) < best - 0.005:
                best, last_progress = abs(remaining), now
            if now - last_progress > settings.stall_timeout_s:
                raise ControllerError(
                    "no_motion", f"velocity acknowledged but no progress for {settings.stall_timeout_s} s")
            if now - started > budget_s:
                raise ControllerError("timeout", f"goal not reached within {budget_s:.1f} s")
            send_velocity(client, settings, *command_of(state, remaining))
            # a tick missed while the process was descheduled is skipped, not made up in a burst
            tick = max(tick + period, time.monotonic())
            time.sleep(max(0.0, tick - time.monotonic()))
    finally:
        send_velocity(client, settings, 0.0, 0.0, 0.0)
    settled = client.wait_until(lambda s: max(abs(v) for v in s.velocity) < 0.01, 2.0, cancelled, "the robot at rest")
    client.await_sent(settings.response_timeout_s, cancelled)  # every command, the final stop too, answered 0
    return remaining_of(settled)


def _check_workspace(x: float, y: float, settings: BridgeSettings) -> None:
    """The walk's goal from where the robot really is must lie in the workspace, before anything is sent.

    The plan was checked from the pose it was accepted at; a robot that coasted on after a
    preemption, or the tolerances of earlier steps, may since have moved it.
    """
    if math.hypot(x, y) > settings.workspace_radius_m + 1e-6:
        raise ControllerError("workspace_limit", f"the walk would end {math.hypot(x, y):.3f} m from the origin "
                                                 f"> {settings.workspace_radius_m} m")


def walk_velocity(step: Walk, settings: BridgeSettings) -> tuple[float, float]:
    """The body-frame cruise velocity (vx, vy) of a walk, within the speed limit."""
    bx, by = _BODY_DIRECTIONS[step.direction]
    speed = min(step.speed_mps or settings.default_speed_mps, settings.max_speed_mps)
    return speed * bx, speed * by


def turn_rate(step: Turn, settings: BridgeSettings) -> float:
    """The signed cruise turn rate of a turn (rad/s, left positive), within the limit."""
    rate = math.radians(min(step.speed_deg_s or settings.default_turn_speed_deg_s, settings.max_turn_speed_deg_s))
    return rate if step.direction == "left" else -rate


def walk(client: ControllerClient, step: Walk, settings: BridgeSettings, cancelled: threading.Event) -> float:
    """Walk `step.distance_m` along a body direction fixed at the start; returns the final error (m)."""
    start = client.fresh_state()
    x0, y0, yaw0 = start.position[0], start.position[1], start.yaw
    bx, by = _BODY_DIRECTIONS[step.direction]
    ux, uy = bx * math.cos(yaw0) - by * math.sin(yaw0), bx * math.sin(yaw0) + by * math.cos(yaw0)
    speed = math.hypot(*walk_velocity(step, settings))
    _check_workspace(x0 + ux * step.distance_m, y0 + uy * step.distance_m, settings)

    def remaining_of(state: ControllerState) -> float:
        return step.distance_m - ((state.position[0] - x0) * ux + (state.position[1] - y0) * uy)

    def command_of(state: ControllerState, remaining: float) -> tuple[float, float, float]:
        v = max(_MIN_SPEED_MPS, min(speed, _GAIN * remaining))
        return v * bx, v * by, _HEADING_GAIN * wrap(yaw0 - state.yaw)

    budget = 2.0 * step.distance_m / speed + 5.0
    error = _drive(client, settings, cancelled, remaining_of, command_of, settings.position_tolerance_m, budget)
    if abs(error) > settings.position_tolerance_m:
        raise ControllerError("off_target", f"walk ended {error:+.3f} m from its goal")
    return error


def turn(client: ControllerClient, step: Turn, settings: BridgeSettings, cancelled: threading.Event) -> float:
    """Turn in place by `step.angle_deg`, tracking unwrapped yaw; returns the final error (deg)."""
    signed_rate = turn_rate(step, settings)
    sign, rate = math.copysign(1.0, signed_rate), abs(signed_rate)
    target = math.radians(step.angle_deg)
    track = {"last": client.fresh_state().yaw, "turned": 0.0}

    def remaining_of(state: ControllerState) -> float:
        track["turned"] += wrap(state.yaw - track["last"]) * sign
        track["last"] = state.yaw
        return target - track["turned"]

    def command_of(_state: ControllerState, remaining: float) -> tuple[float, float, float]:
        return 0.0, 0.0, sign * max(_MIN_TURN_RAD_S, min(rate, _GAIN * remaining))

    budget = 2.0 * target / rate + 5.0
    tolerance = math.radians(settings.angle_tolerance_deg)
    error = _drive(client, settings, cancelled, remaining_of, command_of, tolerance, budget)
    if abs(error) > tolerance:
        raise ControllerError("off_target", f"turn ended {math.degrees(error):+.1f} deg from its goal")
    return math.degrees(error)


def face(client: ControllerClient, heading: float, settings: BridgeSettings, cancelled: threading.Event) -> None:
    """Turn in place, the short way round, to the odom-frame `heading` (rad); nothing if already within tolerance."""
    delta = math.degrees(wrap(heading - client.fresh_state().yaw))
    if abs(delta) > settings.angle_tolerance_deg:
        turn(client, Turn(direction="left" if delta > 0 else "right", angle_deg=abs(delta)), settings, cancelled)


def _leg(client: ControllerClient, goal: tuple[float, float], settings: BridgeSettings,
         cancelled: threading.Event) -> float:
    """Walk straight to `goal` (odom x, y), facing it, steering back onto the line; returns the final error (m)."""
    start = client.fresh_state()
    x0, y0 = start.position[0], start.position[1]
    length = math.dist((x0, y0), goal)
    ux, uy = (goal[0] - x0) / length, (goal[1] - y0) / length
    heading, speed = math.atan2(uy, ux), min(settings.default_speed_mps, settings.max_speed_mps)

    def remaining_of(state: ControllerState) -> float:
        return length - ((state.position[0] - x0) * ux + (state.position[1] - y0) * uy)

    def command_of(state: ControllerState, remaining: float) -> tuple[float, float, float]:
        off_line = (state.position[0] - x0) * -uy + (state.position[1] - y0) * ux  # left of the line: positive
        v, correction = max(_MIN_SPEED_MPS, min(speed, _GAIN * remaining)), -_GAIN * off_line
        wx, wy = v * ux - correction * uy, v * uy + correction * ux  # odom frame, then into the body frame
        c, s = math.cos(state.yaw), math.sin(state.yaw)
        return c * wx + s * wy, -s * wx + c * wy, _HEADING_GAIN * wrap(heading - state.yaw)

    budget = 2.0 * length / speed + 5.0
    return _drive(client, settings, cancelled, remaining_of, command_of, settings.position_tolerance_m, budget)


def go_to(client: ControllerClient, place: Pose, settings: BridgeSettings,
          cancelled: threading.Event) -> tuple[float, float]:
    """Turn toward the place, walk there in straight legs of at most `max_distance_m`, turn to its heading.

    Every leg is closed loop and within the speed and distance limits; the place must lie in the
    workspace (so does the whole straight path: the workspace is a disc). Returns the final
    position error (m) and heading error (deg).
    """
    tx, ty, heading = place
    _check_workspace(tx, ty, settings)
    while True:
        state = client.fresh_state()
        x, y = state.position[0], state.position[1]
        distance = math.dist((x, y), (tx, ty))
        if distance <= settings.position_tolerance_m:
            break
        face(client, math.atan2(ty - y, tx - x), settings, cancelled)
        share = min(1.0, settings.max_distance_m / distance)
        _leg(client, (x + (tx - x) * share, y + (ty - y) * share), settings, cancelled)
        if share == 1.0:
            break
    face(client, heading, settings, cancelled)
    state = client.fresh_state()
    error = math.dist((state.position[0], state.position[1]), (tx, ty))
    if error > settings.position_tolerance_m:
        raise ControllerError("off_target", f"go_to ended {error:.3f} m from the place")
    return error, math.degrees(wrap(heading - state.yaw))
