"""Dead-man: when the bridge process dies mid-walk, the robot stops by itself within 0.6 s.

The bridge only ever sends SetVelocity commands that expire after `command_duration_s`
(≤ 0.3 s), so nothing needs to tell the robot to stop. The test SIGKILLs bridge_node while
the simulated robot walks at the speed limit and reads the robot's own odometry.
The contract is physical: after the kill the robot covers no more ground than 0.6 s at the
speed limit would take it. That holds on a busy machine, where the sim's state timer may fire
late and so stamp its first still state late; the stamp-based stop time is printed beside it.
A new bridge is started after each kill and must take over.
"""

from __future__ import annotations

import os
import random
import signal
import time
from collections.abc import Iterator

import pytest
from bridge_stack import Stack, stacks

from llm_planner.tools.bringup import SIM_BRIDGE, start_node

DEADLINE_S = 0.6
SIM = {"initial_fsm": 500, "state_rate_hz": 100.0}  # state every 10 ms: fine enough to time the stop
RUNS = 3
MEASURED: list[tuple[float, float]] = []  # (stop time by stamps, distance after the kill)


@pytest.fixture(scope="module")
def robot(rclpy_session) -> Iterator[Stack]:
    with stacks(rclpy_session, {"deadman": (SIM, {})}) as running:
        yield running["deadman"]
    print(f"\ndead-man after SIGKILL (stop s, metres): {[(round(t, 3), round(d, 3)) for t, d in MEASURED]}")


def x_at(robot: Stack, t: float) -> float:
    """The robot's x at time `t`, from its last state before `t` moved on at that state's velocity."""
    before = [s for _, s in robot.timeline() if s["stamp"] <= t][-1]
    return before["position"][0] + before["velocity"][0] * (t - before["stamp"])


def restart_bridge(robot: Stack) -> None:
    """A new bridge in the dead one's place; ready once it completes a probe plan (its endpoints are new)."""
    robot.processes[1] = start_node("bridge_node", SIM_BRIDGE, namespace=robot.namespace)
    deadline = time.monotonic() + 30.0
    while time.monotonic() < deadline:
        plan_id = robot.send([{"primitive": "stand_up"}])  # already in locomotion: sends nothing
        if robot.wait_for(lambda plan_id=plan_id: bool(robot.of(plan_id, "completed")), 1.0):
            return
    raise AssertionError("the restarted bridge never answered")


def kill_mid_walk(robot: Stack, direction: str, speed: float) -> tuple[float, dict]:
    """Walk at `speed`, SIGKILL the bridge while cruising; return (kill time, the robot's first still state)."""
    bridge = robot.processes[1]
    plan_id = robot.send([{"primitive": "walk", "direction": direction, "distance_m": 3.0, "speed_mps": speed}])
    cruising = lambda: bool(robot.states) and abs(robot.states[-1][1]["velocity"][0]) >= speed - 0.01  # noqa: E731
    assert robot.wait_for(cruising, 10.0), f"never reached {speed} m/s: {robot.of(plan_id)}"
    time.sleep(random.uniform(0.0, 0.05))  # anywhere in the 20 Hz refresh cycle
    killed_at = time.time()
    os.kill(bridge.pid, signal.SIGKILL)
    bridge.wait(5.0)
    assert not robot.of(plan_id, "completed") and not robot.of(plan_id, "aborted")  # it died mid-walk

    def still_since_kill() -> bool:
        return any(s["stamp"] > killed_at and not any(s["velocity"]) for _, s in robot.states[-200:])
    assert robot.wait_for(still_since_kill, 3.0), f"robot still moving: {robot.state()['velocity']}"
    still = next(s for _, s in robot.timeline() if s["stamp"] > killed_at and not any(s["velocity"]))
    return killed_at, still


@pytest.mark.parametrize("run", range(RUNS))
def test_robot_stops_within_0_6_s_of_the_bridge_being_killed(robot: Stack, run: int) -> None:
    if robot.processes[1].poll() is not None:
        restart_bridge(robot)
    speed = 0.6  # the bridge's speed limit: the longest stop
    killed_at, still = kill_mid_walk(robot, "forward" if run % 2 == 0 else "backward", speed)
    moving = [s for _, s in robot.timeline() if killed_at < s["stamp"] < still["stamp"]]
    assert moving and abs(moving[0]["velocity"][0]) > speed / 2  # it was still walking when the bridge died
    stop_s = still["stamp"] - killed_at
    moved_m = abs(still["position"][0] - x_at(robot, killed_at))
    MEASURED.append((stop_s, moved_m))
    assert moved_m <= speed * DEADLINE_S, f"robot moved {moved_m:.3f} m in {stop_s:.3f} s after the bridge died"
    time.sleep(0.5)  # and it stays stopped: nothing else commands it
    after = [s for _, s in robot.timeline() if s["stamp"] > still["stamp"]]
    assert after and all(not any(s["velocity"]) for s in after)
    assert after[-1]["position"] == still["position"] and after[-1]["fsm_id"] == 500


def test_a_new_bridge_takes_over_after_a_kill(robot: Stack) -> None:
    if robot.processes[1].poll() is not None:
        restart_bridge(robot)
    x0 = robot.pose()[0]
    final = robot.run([{"primitive": "walk", "direction": "backward", "distance_m": 0.3}], timeout=20.0)
    assert final["state"] == "completed", final
    assert abs(robot.pose()[0] - (x0 - 0.3)) <= 0.06
