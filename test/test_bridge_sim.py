"""The bridge against the simulated robot over real DDS: every primitive, posture, safety and fault modes.

Each (sim_robot, bridge_node) pair runs as two OS processes in its own namespace; all
pairs start at once. The test process publishes plans on `plan` (and the e-stop) and
asserts on `bridge/status` events, the robot's state (odom, sportmodestate, arm) and the requests
the bridge sends on `api/*/request`.
"""

from __future__ import annotations

import math
import os
import signal
import threading
import time
from collections.abc import Iterator

import pytest
from bridge_stack import Stack, stacks, yaw_diff_deg
from rclpy.executors import SingleThreadedExecutor
from std_msgs.msg import Bool

from llm_planner.ros.plan_msgs import raw_plan_msg

SET_FSM, SET_VELOCITY, SPORT_7106 = 7101, 7105, 7106
FAST = {"stand_up_duration_s": 0.5, "task_duration_s": 0.5}
BRIDGE = {"gesture_hold_s": 0.2}
FAULT_SIM = {"initial_fsm": 500, "state_rate_hz": 25.0}
FAULT_BRIDGE = {"response_timeout_s": 0.5, "stall_timeout_s": 1.0, "stand_up_timeout_s": 1.5}
SPECS = {
    "main": (FAST, BRIDGE),
    "estop": ({**FAST, "initial_fsm": 500}, BRIDGE),
    "silent": ({**FAULT_SIM, "fault": "silent"}, FAULT_BRIDGE),
    "silent_damp": ({**FAULT_SIM, "fault": "silent", "initial_fsm": 1}, FAULT_BRIDGE),
    "refusing": ({**FAULT_SIM, "fault": "refusing", "fault_code": 7404}, FAULT_BRIDGE),
    "slow": ({**FAULT_SIM, "fault": "slow", "fault_delay_s": 1.2}, FAULT_BRIDGE),
    "ignoring": ({**FAULT_SIM, "fault": "ignoring"}, FAULT_BRIDGE),
    "ignoring_damp": ({**FAULT_SIM, "fault": "ignoring", "initial_fsm": 1}, FAULT_BRIDGE),
}
GESTURES = {  # name: (service, data sent, arm_action id the robot reports)
    "wave": ("sport", 0, 1000), "high_wave": ("arm", 26, 26), "face_wave": ("arm", 25, 25),
    "shake_hand": ("arm", 27, 27), "high_five": ("arm", 18, 18), "hug": ("arm", 19, 19), "clap": ("arm", 17, 17),
    "heart": ("arm", 20, 20), "hands_up": ("arm", 15, 15), "reject": ("arm", 22, 22),
}
_BODY = {"forward": (1.0, 0.0), "backward": (-1.0, 0.0), "left": (0.0, 1.0), "right": (0.0, -1.0)}


def walk(direction: str, distance: float, speed: float | None = 0.5) -> dict:
    step = {"primitive": "walk", "direction": direction, "distance_m": distance}
    return step | ({"speed_mps": speed} if speed else {})


def turn(direction: str, angle: float, speed: float | None = 60.0) -> dict:
    step = {"primitive": "turn", "direction": direction, "angle_deg": angle}
    return step | ({"speed_deg_s": speed} if speed else {})


@pytest.fixture(scope="module")
def robots(rclpy_session) -> Iterator[dict[str, Stack]]:
    with stacks(rclpy_session, SPECS) as running:
        yield running


def assert_completed(stack: Stack, plan_id: str, final: dict, steps: int) -> None:
    assert final["state"] == "completed", stack.of(plan_id)
    assert [e["step"] for e in stack.of(plan_id, "step_succeeded")] == list(range(steps))
    assert not stack.of(plan_id, "step_failed")


def establish(stack: Stack, primitive: str) -> None:
    """Bring the robot into a posture (stand_up, sit_down) before the part under test.

    Then wait until this observer, too, hears the robot report it: `sportmodestate` and
    `bridge/status` are two topics, and no order between them is promised.
    """
    assert stack.run([{"primitive": primitive}])["state"] == "completed"
    posture = {"stand_up": (200, 500), "sit_down": (3,)}[primitive]
    assert stack.wait_for(lambda: stack.state()["fsm_id"] in posture, 5.0), stack.state()


def fsm_requests(stack: Stack, since: float) -> list[int]:
    return [r.params["data"] for r in stack.sent_since(since, SET_FSM)]


def observed_fsms(stack: Stack, since: float) -> list[int]:
    """The FSM ids the robot reported from just before `since` on, consecutive repeats collapsed."""
    seen: list[int] = [s["fsm_id"] for at, s in stack.timeline() if at < since][-1:]
    for state in stack.states_since(since):
        if not seen or seen[-1] != state["fsm_id"]:
            seen.append(state["fsm_id"])
    return seen


def moving_velocities(stack: Stack, since: float) -> list:
    """Velocity commands that move, sent from `since` on by the bridge's clock (the monotonic clock every
    process here shares): when this process heard one carries its delivery delay, which load stretches."""
    return [r for r in stack.sent_since(since, SET_VELOCITY) if any(r.params["velocity"])]


def damp_sent(stack: Stack, since: float) -> float:
    """When the bridge sent its (first) Damp after `since`, by its clock."""
    def damps() -> list[float]:
        return [r.sent_s for r in stack.sent_since(since, SET_FSM) if r.params.get("data") == 1]
    assert stack.wait_for(damps, 5.0), "no Damp was sent"  # a loaded machine delivers it late
    return damps()[0]


# ------------------------------------------------------------------ primitives
def test_stand_up_from_damp_confirms_each_switch(robots: dict[str, Stack]) -> None:
    robot = robots["main"]
    assert robot.fresh_state()["fsm_id"] == 1
    since = time.monotonic()
    plan_id = robot.send([{"primitive": "stand_up"}])
    assert_completed(robot, plan_id, robot.final(plan_id), 1)
    # the state and status topics promise no order between them: wait until this observer hears the FSM too
    assert robot.wait_for(lambda: robot.state()["fsm_id"] == 500, 5.0), robot.state()
    assert fsm_requests(robot, since) == [4, 500]  # no retries: each switch waited for the observed FSM
    assert observed_fsms(robot, since) == [1, 4, 500]
    stand, locomotion = robot.sent_since(since, SET_FSM)
    # the 0.5 s stand-up was waited out, not skipped: measured on the bridge's own clock (the requests'
    # identity ids), free of the delivery jitter of this process
    assert locomotion.sent_s - stand.sent_s >= 0.45, (stand, locomotion)


@pytest.mark.parametrize("direction", ["forward", "backward", "left", "right"])
def test_walk_ends_within_5_cm(robots: dict[str, Stack], direction: str) -> None:
    robot = robots["main"]
    x0, y0, yaw0 = robot.pose()
    plan_id = robot.send([walk(direction, 0.4)])
    assert_completed(robot, plan_id, robot.final(plan_id), 1)
    assert robot.still()["fsm_id"] == 500
    x, y, _ = robot.pose()
    bx, by = _BODY[direction]
    goal = (x0 + 0.4 * (bx * math.cos(yaw0) - by * math.sin(yaw0)),
            y0 + 0.4 * (bx * math.sin(yaw0) + by * math.cos(yaw0)))
    assert math.dist((x, y), goal) <= 0.05, f"ended at {(x, y)}, goal {goal}"


@pytest.mark.parametrize(("direction", "sign"), [("left", 1.0), ("right", -1.0)])
def test_turn_ends_within_3_degrees(robots: dict[str, Stack], direction: str, sign: float) -> None:
    robot = robots["main"]
    x0, y0, yaw0 = robot.pose()
    plan_id = robot.send([turn(direction, 45.0)])
    assert_completed(robot, plan_id, robot.final(plan_id), 1)
    x, y, yaw = robot.pose()
    assert abs(yaw_diff_deg(yaw, yaw0) - sign * 45.0) <= 3.0
    assert math.dist((x, y), (x0, y0)) < 0.02  # in place


@pytest.mark.parametrize("name", list(GESTURES))
def test_gesture_is_confirmed_by_the_arm_state(robots: dict[str, Stack], name: str) -> None:
    robot = robots["main"]
    service, data, shown = GESTURES[name]
    since = time.monotonic()
    plan_id = robot.send([{"primitive": "gesture", "name": name}])
    assert_completed(robot, plan_id, robot.final(plan_id, timeout=15.0), 1)
    # the request and the bridge's status are two topics: under load the request can be heard after the success
    assert robot.wait_for(lambda: robot.sent_since(since, SPORT_7106, service), 5.0), f"no {name} request"
    assert [r.params for r in robot.sent_since(since, SPORT_7106, service)][:1] == [{"data": data}]
    assert any(s["arm_action"] == {"id": shown, "holding": True} for s in robot.states_since(since))
    # released (arm) or played out (wave) before success; this process may hear the arm topic after the odometry
    assert robot.wait_for(lambda: not robot.state()["arm_action"]["holding"], 5.0), robot.state()["arm_action"]
    if service == "arm":
        assert robot.sent_since(since, SPORT_7106, "arm")[-1].params == {"data": 99}


def test_wait_holds_still_for_its_time(robots: dict[str, Stack]) -> None:
    robot = robots["main"]
    since = time.monotonic()
    plan_id = robot.send([{"primitive": "wait", "seconds": 0.5}])
    assert_completed(robot, plan_id, robot.final(plan_id), 1)
    # by the bridge's stamps: when this process heard each event carries its delivery delay, which load stretches
    started, done = robot.of(plan_id, "step_started")[0]["stamp"], robot.of(plan_id, "step_succeeded")[0]["stamp"]
    assert done - started >= 0.45
    assert not moving_velocities(robot, since) and not robot.sent_since(since, SET_FSM)


def test_stop_commands_zero_velocity_and_keeps_standing(robots: dict[str, Stack]) -> None:
    robot = robots["main"]
    establish(robot, "stand_up")
    since = time.monotonic()
    plan_id = robot.send([{"primitive": "stop"}])
    assert_completed(robot, plan_id, robot.final(plan_id), 1)
    assert [r.params["velocity"] for r in robot.sent_since(since, SET_VELOCITY)] == [[0.0, 0.0, 0.0]]
    assert robot.still()["fsm_id"] == 500


def test_sit_down_stops_then_leaves_locomotion(robots: dict[str, Stack]) -> None:
    robot = robots["main"]
    establish(robot, "stand_up")
    since = time.monotonic()
    plan_id = robot.send([{"primitive": "sit_down"}])
    assert_completed(robot, plan_id, robot.final(plan_id), 1)
    # the commands the bridge sent for this plan (by its clock: no late arrival of an earlier plan's),
    # leaving out the FSM queries it may poll while the robot's state is slow to arrive
    requests = [r for r in robot.sent_since(since) if r.api_id in (SET_VELOCITY, SET_FSM)]
    assert [(r.api_id, r.params.get("velocity", r.params.get("data"))) for r in requests] == [
        (SET_VELOCITY, [0.0, 0.0, 0.0]), (SET_FSM, 3)]
    assert robot.wait_for(lambda: robot.state()["fsm_id"] == 3, 5.0), robot.state()  # state may arrive after status


@pytest.mark.parametrize("step", [walk("forward", 0.3), turn("left", 20.0), {"primitive": "gesture", "name": "heart"}],
                         ids=["walk", "turn", "gesture"])
def test_sitting_robot_stands_up_first(robots: dict[str, Stack], step: dict) -> None:
    robot = robots["main"]
    establish(robot, "sit_down")
    since = time.monotonic()
    plan_id = robot.send([step])
    assert_completed(robot, plan_id, robot.final(plan_id), 1)
    assert fsm_requests(robot, since) == [4, 500]
    assert observed_fsms(robot, since) == [3, 4, 500]
    # Nothing moves before the switch to locomotion: the requests of one publisher arrive in the order
    # sent (arrival times across two topics, requests and the robot's state, promise no order here)
    sport = robot.sent_since(since, None)
    last_switch = max(i for i, r in enumerate(sport) if r.api_id == SET_FSM)
    assert not [r for r in sport[:last_switch] if r.moves], sport[:last_switch]
    assert moving_velocities(robot, since) or robot.sent_since(since, SPORT_7106, "arm")


def test_multi_step_plan_with_dead_man_commands(robots: dict[str, Stack]) -> None:
    robot = robots["main"]
    x0, y0, yaw0 = robot.pose()
    steps = [walk("forward", 0.8, None), turn("left", 90.0), {"primitive": "gesture", "name": "clap"},
             {"primitive": "wait", "seconds": 0.2}, turn("right", 90.0), walk("backward", 0.8, None),
             {"primitive": "stop"}]
    since = time.monotonic()
    plan_id = robot.send(steps)
    assert_completed(robot, plan_id, robot.final(plan_id, timeout=40.0), len(steps))
    x, y, yaw = robot.pose()
    assert math.dist((x, y), (x0, y0)) <= 0.07 and abs(yaw_diff_deg(yaw, yaw0)) <= 3.0  # back where it started
    velocities = robot.sent_since(since, SET_VELOCITY)
    assert velocities and all(0 < r.params["duration"] <= 0.3 for r in velocities)
    started = {e["step"]: e["seen_at"] for e in robot.of(plan_id, "step_started")}
    done = {e["step"]: e["seen_at"] for e in robot.of(plan_id, "step_succeeded")}
    # the same moments on the bridge's own clock: its events' wall-clock stamps, on the monotonic clock
    # every process here shares (a command is judged by when it was sent, never by when it was heard)
    wall = time.time() - time.monotonic()
    began = {e["step"]: e["stamp"] - wall for e in robot.of(plan_id, "step_started")}
    ended = {e["step"]: e["stamp"] - wall for e in robot.of(plan_id, "step_succeeded")}
    assert robot.heard_until(ended[5]), "the bridge's requests were never all heard"  # the stop step sends after
    # the motion steps, with the velocity component and sign their own motion shows in: refreshed at >= 10 Hz
    # (the bridge's 20 Hz) from first to last
    for index, axis, sign in ((0, 0, 1.0), (1, 2, 1.0), (4, 2, -1.0), (5, 0, -1.0)):
        # when the bridge sent each command (its identity id: the bridge's monotonic clock), not when this
        # process heard it: arrival carries this process's delivery jitter
        during = [r.sent_s for r in velocities
                  if began[index] <= r.sent_s <= ended[index] and any(r.params["velocity"])]
        gaps = sorted(b - a for a, b in zip(during, during[1:]))
        summary = f"step {index}: {len(during)} commands, gaps {[round(g, 3) for g in gaps]}"
        assert len(during) >= 10 and gaps[len(gaps) // 2] <= 0.06, summary
        # no gap lets a command expire (each lasts `duration`) before the next is sent
        assert gaps[-1] < min(r.params["duration"] for r in velocities), summary
        # the contract itself: the robot never paused mid-step, its dead-man was refreshed in time. Judged on
        # the step's own motion (above the bridge's at-rest 0.01): the tail of the step before may still arrive
        # once this one has started, since the state and status topics promise no order between them
        during_step = [s["velocity"][axis] for at, s in robot.timeline() if started[index] <= at <= done[index]]
        moving = [sign * v > 0.01 for v in during_step]
        assert True in moving, f"step {index}: the robot never moved"
        first, last = moving.index(True), len(moving) - 1 - moving[::-1].index(True)
        assert all(moving[first:last + 1]), (f"step {index}: the robot paused mid-step ({summary}; its velocity "
                                             f"{[round(v, 3) for v in during_step[first:last + 1]]})")


# ------------------------------------------------------------------ rejections
@pytest.mark.parametrize(("steps", "plan_id", "reason"), [
    ([{"primitive": "jump"}], "r-prim", "invalid_plan"),
    ([{"primitive": "walk", "direction": "forward", "distance_m": 1.0, "seconds": 2.0}], "r-stray", "invalid_plan"),
    ([walk("forward", 50.0)], "r-far", "distance_limit"),
    ([turn("left", 90.0, 120.0)], "r-fast", "speed_limit"),
])
def test_bad_plans_are_rejected_and_nothing_moves(robots: dict[str, Stack], steps: list, plan_id, reason: str) -> None:
    robot = robots["main"]
    before = robot.fresh_state()
    since = robot.publish(raw_plan_msg(plan_id, steps))
    final = robot.final(plan_id, timeout=5.0)
    assert (final["state"], final["reason"]) == ("rejected", reason) and final["detail"], final
    time.sleep(0.3)
    assert not robot.of(plan_id, "accepted")
    assert not robot.sent_since(since) and not robot.sent_since(since, None, "arm")
    after = robot.fresh_state()
    assert (after["position"], after["fsm_id"]) == (before["position"], before["fsm_id"])


def test_new_plan_preempts_the_running_one(robots: dict[str, Stack]) -> None:
    robot = robots["main"]
    x0, y0, _ = robot.pose()
    first = robot.send([walk("forward", 1.5, 0.3)])
    moved = lambda: math.dist(robot.states[-1][1]["position"][:2], (x0, y0)) > 0.1  # noqa: E731
    assert robot.wait_for(moved, 10.0), "never started walking"
    second = robot.send([{"primitive": "stop"}])
    preempted = robot.final(first)
    assert preempted["state"] == "preempted" and second in preempted["detail"]
    assert_completed(robot, second, robot.final(second), 1)
    assert not robot.of(first, "step_succeeded") and not robot.of(first, "aborted")
    robot.still(1.0)
    assert not moving_velocities(robot, preempted["seen_at"])
    x, y, _ = robot.pose()
    assert 0.1 < math.dist((x, y), (x0, y0)) < 0.5


def test_stale_state_stops_motion_and_fails_the_step(robots: dict[str, Stack]) -> None:
    robot = robots["main"]
    sim = robot.processes[0]
    x0, y0, _ = robot.pose()
    plan_id = robot.send([walk("forward", 1.0, 0.3), walk("backward", 1.0, 0.3)])
    moved = lambda: math.dist(robot.states[-1][1]["position"][:2], (x0, y0)) > 0.1  # noqa: E731
    assert robot.wait_for(moved, 10.0), "never started walking"
    os.kill(sim.pid, signal.SIGSTOP)  # the robot goes quiet: no state, no answers
    try:
        stopped_at = time.monotonic()
        final = robot.final(plan_id, timeout=5.0)
        failed = robot.of(plan_id, "step_failed")
        assert final["state"] == "aborted" and [(e["step"], e["reason"]) for e in failed] == [(0, "state_stale")]
        assert failed[0]["seen_at"] - stopped_at < 1.5
        time.sleep(0.3)
        assert not moving_velocities(robot, failed[0]["seen_at"])  # no motion commands once the state went stale
    finally:
        os.kill(sim.pid, signal.SIGCONT)
    robot.fresh_state()
    assert robot.still(2.0)["fsm_id"] == 500  # the dead-man stopped it; it keeps standing


# ------------------------------------------------------------------- e-stop
def test_estop_damps_and_latches_until_released(robots: dict[str, Stack]) -> None:
    robot = robots["estop"]
    since = time.monotonic()
    plan_id = robot.send([walk("forward", 2.0, 0.3)])
    assert robot.wait_for(lambda: robot.states[-1][1]["velocity"][0] > 0.2, 10.0), "never started walking"
    robot.estop(True)
    event = robot.final(plan_id, timeout=5.0)
    assert (event["state"], event["reason"]) == ("estop", "estop")
    assert robot.wait_for(lambda: robot.states[-1][1]["fsm_id"] == 1, 2.0), "robot not damped"
    assert robot.still(1.0)["fsm_id"] == 1
    assert not moving_velocities(robot, damp_sent(robot, since))  # nothing that moves follows the Damp
    assert not robot.of(plan_id, "step_failed") and not robot.of(plan_id, "aborted")
    refused = robot.send([walk("forward", 0.3)])
    assert (robot.final(refused, 5.0)["state"], robot.final(refused)["reason"]) == ("rejected", "estop")
    robot.estop(False)  # a false alone releases nothing
    assert robot.wait_for(lambda: any(e["reason"] == "estop_latched" for e in robot.events), 5.0)
    still_refused = robot.send([walk("forward", 0.3)])
    assert robot.final(still_refused, 5.0)["reason"] == "estop"
    robot.release_estop()
    assert robot.wait_for(lambda: any(e["state"] == "estop_released" for e in robot.events), 5.0)
    # posture from damp before a walk: damp -> stand up -> locomotion, then the walk
    x0, y0, _ = robot.pose()
    since = time.monotonic()
    after = robot.send([walk("forward", 0.3)])
    assert_completed(robot, after, robot.final(after), 1)
    assert fsm_requests(robot, since) == [4, 500] and observed_fsms(robot, since) == [1, 4, 500]
    x, y, _ = robot.pose()
    assert abs(math.dist((x, y), (x0, y0)) - 0.3) <= 0.05


def test_estop_during_a_stand_up_leaves_the_robot_damped(robots: dict[str, Stack]) -> None:
    robot = robots["estop"]
    robot.estop(True)
    assert robot.wait_for(lambda: robot.states[-1][1]["fsm_id"] == 1, 2.0), "robot not damped"
    released = len([e for e in robot.events if e["state"] == "estop_released"])
    robot.release_estop()
    assert robot.wait_for(lambda: sum(e["state"] == "estop_released" for e in robot.events) > released, 5.0)
    since = time.monotonic()
    plan_id = robot.send([walk("forward", 0.3)])
    # how soon the bridge picks a plan up is not promised under load: wait for the stand-up itself
    assert robot.wait_for(lambda: robot.states[-1][1]["fsm_mode"] == 1, 30.0), "stand-up never started"
    robot.estop(True)
    assert robot.final(plan_id, timeout=5.0)["state"] == "estop"
    time.sleep(0.8)  # longer than the stand-up: nothing of the plan may follow the Damp
    damp_sent(robot, since)  # heard (a loaded machine delivers it late)
    assert fsm_requests(robot, since) == [4, 1] and observed_fsms(robot, since)[-1] == 1
    assert robot.fresh_state()["fsm_id"] == 1 and not moving_velocities(robot, since)
    robot.release_estop()


def test_estop_stays_latched_while_any_publisher_holds_it(robots: dict[str, Stack], rclpy_session) -> None:
    """An operator's joystick publishing false at 10 Hz must not release an e-stop someone else pressed."""
    robot = robots["estop"]
    seen = len(robot.events)

    def reported(reason: str) -> bool:
        return any(e["reason"] == reason for e in robot.events[seen:])
    joystick = rclpy_session.create_node("joystick", namespace=robot.namespace)
    button = joystick.create_publisher(Bool, "estop", 10)  # default QoS: volatile, as a joystick node has
    pressed = [True]  # the joystick's own button: pressed once, then released and published at 10 Hz
    timer = joystick.create_timer(0.1, lambda: button.publish(Bool(data=pressed.pop() if pressed else False)))
    executor = SingleThreadedExecutor()
    executor.add_node(joystick)
    spinner = threading.Thread(target=executor.spin, daemon=True)
    spinner.start()
    try:
        assert robot.wait_for(lambda: robot.states[-1][1]["fsm_id"] == 1, 5.0), "the joystick's true did not damp"
        robot.estop(True)  # someone else presses theirs
        # the joystick lets go, and is heard: its release is reported, and the e-stop stays latched
        assert robot.wait_for(lambda: reported("estop_latched"), 5.0)
        time.sleep(0.5)  # five more falses from the joystick
        refused = robot.send([walk("forward", 0.3)])
        assert robot.final(refused, 5.0)["reason"] == "estop"  # still latched
        accepted, message = robot.client.reset_estop()
        assert not accepted and "still held" in message
        assert robot.wait_for(lambda: reported("reset_refused"), 5.0)
        robot.release_estop()  # the one who pressed it releases it: now the reset is accepted
    finally:
        timer.cancel()
        executor.shutdown()
        spinner.join(timeout=5.0)
        joystick.destroy_node()
    after = robot.send([walk("forward", 0.3)])
    assert robot.final(after, 20.0)["state"] == "completed"


# ------------------------------------------------------------------- faults
FAULTS = [  # (stack, failing step, reason on step_failed)
    ("silent", walk("forward", 0.5), "3104"),
    ("silent", {"primitive": "sit_down"}, "3104"),
    ("silent_damp", walk("forward", 0.5), "3104"),
    ("refusing", walk("forward", 0.5), "7404"),
    ("refusing", {"primitive": "gesture", "name": "clap"}, "7404"),
    ("refusing", {"primitive": "sit_down"}, "7404"),
    ("slow", walk("forward", 1.0), "3104"),
    ("ignoring", walk("forward", 0.5), "no_motion"),
    ("ignoring", {"primitive": "gesture", "name": "high_five"}, "not_confirmed"),
    ("ignoring", {"primitive": "sit_down"}, "not_confirmed"),
    ("ignoring_damp", turn("left", 30.0), "not_confirmed"),
]


@pytest.mark.parametrize(("name", "step", "reason"), FAULTS, ids=[f"{n}-{s['primitive']}" for n, s, _ in FAULTS])
def test_fault_fails_the_step_aborts_the_plan_and_leaves_the_robot_stopped(
        robots: dict[str, Stack], name: str, step: dict, reason: str) -> None:
    robot = robots[name]
    fsm_before = robot.fresh_state()["fsm_id"]
    plan_id = robot.send([step, walk("backward", 0.3)])
    final = robot.final(plan_id, timeout=15.0)
    failed = robot.of(plan_id, "step_failed")
    assert final["state"] == "aborted", robot.of(plan_id)
    assert [(e["step"], e["reason"]) for e in failed] == [(0, reason)] and failed[0]["detail"], failed
    assert [e["step"] for e in robot.of(plan_id, "step_started")] == [0]  # the rest of the plan never ran
    assert not robot.of(plan_id, "step_succeeded")
    state = robot.still(2.0)
    assert state["fsm_id"] == fsm_before
    assert not moving_velocities(robot, failed[0]["seen_at"])
    if name == "slow":  # commands took effect although answered late: it moved, then was stopped
        assert state["position"][0] > 0.05
