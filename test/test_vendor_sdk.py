"""Conformance with the vendor's own code, over real DDS on loopback: Cyclone DDS 11 (the vendor's
Python SDK, `unitree-sdk2py-dimos`) meets our nodes' Fast DDS through config/fastdds_loopback.xml.

1. The vendor's G1 LocoClient and G1ArmActionClient drive our simulated robot (test/vendor_client.py):
   stand up, start, Move (our odometry moves, and stops when the duration lapses), WaveHand, arm actions,
   and the codes it answers for what it does not do.
2. Our bridge drives a stand-in robot made of the vendor's rpc Server (test/vendor_robot.py): disarmed
   it sends nothing but FSM queries and the e-stop's Damp; armed, its requests for a plan match what the
   vendor's LocoClient sends for the same motions (api ids, parameter keys, value ranges).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("unitree_sdk2py", reason="the vendor SDK comes with the test extra: pip install -e '.[test]'")

from llm_planner.tools.bringup import start_node, stop_all  # noqa: E402
from llm_planner.tools.stack_client import StackClient  # noqa: E402

HERE = Path(__file__).resolve().parent
DOMAIN = os.environ["ROS_DOMAIN_ID"]  # conftest's: the vendor's processes join our nodes' domain


def result(line: str) -> dict | None:
    """The record a vendor-side script printed on this line (`RESULT {json}`), or None for its other output."""
    return json.loads(line.removeprefix("RESULT ")) if line.startswith("RESULT ") else None


def results(lines: list[str]) -> list[dict]:
    return [record for record in map(result, lines) if record is not None]


def vendor_client(*args: str, timeout: float = 90.0) -> list[dict]:
    done = subprocess.run([sys.executable, str(HERE / "vendor_client.py"), DOMAIN, *args], capture_output=True,
                          text=True, timeout=timeout)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return results(done.stdout.splitlines())


# ------------------------------------------------------------------ the vendor's client, our robot
@pytest.fixture(scope="module")
def vendor_drives_sim() -> list[dict]:
    """What the vendor's clients saw; the robot is stopped before the bridge tests start theirs."""
    sim = start_node("sim_robot", {"stand_up_duration_s": 0.5}, log_level="warn")
    try:
        calls = vendor_client()
    finally:
        assert stop_all([sim]) == [0]
    return calls


def answer(calls: list[dict], name: str, nth: int = 0) -> dict:
    return [c for c in calls if c.get("call") == name][nth]


def test_vendor_loco_client_stands_our_robot_up_and_starts_it(vendor_drives_sim: list[dict]) -> None:
    calls = vendor_drives_sim
    assert answer(calls, "LocoClient GetFsmId")["data"] == 1  # our robot starts damped
    assert answer(calls, "LocoClient.SetFsmId(4) stand up")["code"] == 0
    modes = [c["data"] for c in calls if c.get("call") == "LocoClient GetFsmMode"]
    assert modes[0] == 1 and modes[-1] == 0  # fsm_mode 1 while it stands up, then 0
    assert answer(calls, "LocoClient.SetFsmId(500) start")["code"] == 0
    assert answer(calls, "LocoClient GetFsmId", 1)["data"] == 500
    assert next(c["sportmodestate"] for c in calls if "sportmodestate" in c) == {"fsm_id": 500, "fsm_mode": 0}


def test_vendor_move_moves_our_odometry_and_stops_when_its_duration_lapses(vendor_drives_sim: list[dict]) -> None:
    samples = [c for c in vendor_drives_sim if "odom_t" in c]
    assert answer(vendor_drives_sim, "LocoClient.Move(0.3, 0, 0) = SetVelocity(0.3, 0, 0, 1 s)")["code"] == 0
    cruising = [s for s in samples if 0.3 <= s["odom_t"] <= 0.9]
    assert cruising and all(abs(s["vx"] - 0.3) < 0.02 for s in cruising), cruising
    after = [s for s in samples if s["odom_t"] >= 1.5]  # 1 s command + 0.15 s ramp down, with margin
    assert after and all(s["vx"] == 0.0 for s in after), after
    assert after[0]["x"] == after[-1]["x"] == pytest.approx(0.3, abs=0.05)  # 0.3 m/s for 1 s, then still


def test_vendor_arm_client_and_the_codes_our_robot_answers(vendor_drives_sim: list[dict]) -> None:
    codes = {c["call"]: c["code"] for c in vendor_drives_sim if "call" in c and c["call"].startswith(("G1", "Loco"))}
    assert codes["LocoClient.WaveHand() = SetTaskId(0)"] == 0
    assert codes["G1ArmActionClient.ExecuteAction(18) high five, wave still playing"] == 7400  # arm busy
    assert codes["G1ArmActionClient.ExecuteAction(99) release"] == 0
    assert codes["G1ArmActionClient.ExecuteAction(18) high five"] == 0
    assert codes["G1ArmActionClient.ExecuteAction(14) unknown id"] == 7402
    assert codes["G1ArmActionClient.GetActionList()"] == 3203  # not implemented by our robot
    assert codes["LocoClient SetFsmId with a string id"] == 3204
    assert codes["LocoClient.Start() = SetFsmId(200), this SDK's id"] == 0  # the older firmware's locomotion id
    assert codes["LocoClient.Damp() = SetFsmId(1)"] == 0


# ------------------------------------------------------------------ our bridge, the vendor's server
class VendorRobot:
    """test/vendor_robot.py in its own process; `requests` grows with every request its servers receive."""

    def __init__(self) -> None:
        self.process = subprocess.Popen([sys.executable, str(HERE / "vendor_robot.py"), DOMAIN],
                                        stdout=subprocess.PIPE, text=True)
        self.requests: list[dict] = []
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        if not self.ready.wait(30.0):
            self.close()
            raise AssertionError("the vendor robot never started")

    def _read(self) -> None:
        for record in filter(None, map(result, iter(self.process.stdout.readline, ""))):  # as each line comes
            if record.get("ready"):
                self.ready.set()
            else:
                self.requests.append(record)

    def moving_requests(self, since: int = 0) -> list[tuple[str, int, dict]]:
        """(service, api id, parameter) of every request from index `since` but the FSM queries."""
        return [(r["service"], r["api_id"], json.loads(r["parameter"] or "{}")) for r in self.requests[since:]
                if r["api_id"] not in (7001, 7002)]

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10.0)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5.0)


@pytest.fixture(scope="module")
def vendor_robot(rclpy_session) -> Iterator[tuple[VendorRobot, StackClient]]:
    from rclpy.executors import SingleThreadedExecutor

    robot = VendorRobot()
    bridge = start_node("bridge_node")  # as on a real robot: disarmed
    client = StackClient("vendor_sdk_test")
    executor = SingleThreadedExecutor()
    executor.add_node(client)
    spinner = threading.Thread(target=executor.spin, daemon=True)
    spinner.start()
    try:
        assert client.wait_for(lambda c: c.state is not None and c.others_on("plan") > 0, 30.0), "no bridge"
        yield robot, client
    finally:
        robot.close()
        executor.shutdown()
        spinner.join(5.0)
        client.destroy_node()
        assert stop_all([bridge]) == [0]


PLAN = [{"primitive": "stand_up"}, {"primitive": "walk", "direction": "forward", "distance_m": 0.3},
        {"primitive": "turn", "direction": "left", "angle_deg": 30.0}, {"primitive": "gesture", "name": "high_five"}]


def test_a_disarmed_bridge_validates_and_sends_no_motion_but_the_estop_damp(vendor_robot) -> None:
    robot, client = vendor_robot
    assert client.wait_for(lambda c: any(r["api_id"] == 7001 for r in robot.requests), 10.0), "no FSM poll"
    since = len(robot.requests)
    client.send_plan("disarmed-1", PLAN)
    assert client.wait_for(lambda c: c.final_event("disarmed-1") is not None, 20.0), client.events
    final = client.final_event("disarmed-1")
    assert (final["state"], final["reason"]) == ("rejected", "disarmed"), final
    assert "7105" in final["detail"] and "arm 7106" in final["detail"]  # the requests it would send
    time.sleep(0.5)
    assert robot.moving_requests(since) == []  # only FSM queries reached the robot
    client.estop(True)
    assert client.wait_for(lambda c: ("sport", 7101, {"data": 1}) in robot.moving_requests(since), 5.0)
    accepted, message = client.release_estop()
    assert accepted, message


def test_armed_bridge_requests_match_the_vendor_clients_for_the_same_motions(vendor_robot) -> None:
    robot, client = vendor_robot
    assert client.arm(True)[0]
    assert client.wait_for(lambda c: any(e.get("state") == "armed" for e in c.events), 5.0), client.events
    since = len(robot.requests)
    client.send_plan("armed-1", PLAN)
    assert client.wait_for(lambda c: c.final_event("armed-1") is not None, 60.0), client.events
    assert client.final_event("armed-1")["state"] == "completed", [
        (e["state"], e["step"], e["reason"], e["detail"]) for e in client.events if e.get("id") == "armed-1"]
    ours = robot.moving_requests(since)
    split = len(robot.requests)
    calls = vendor_client("motions")
    assert all(c["code"] == 0 for c in calls if "call" in c), calls
    theirs = robot.moving_requests(split)

    for who, requests in (("our bridge", ours), ("vendor LocoClient", theirs)):
        shown = [f"{s} {a} {json.dumps(p)}" for s, a, p in requests if a != 7105 or p is requests[-1][2]]
        moves = [p for s, a, p in requests if a == 7105]
        print(f"\n{who}: {'; '.join(shown)}; SetVelocity x{len(moves)}, first {json.dumps(moves[0])}")
    kinds = {(service, api_id) for service, api_id, _ in ours}
    assert kinds == {(service, api_id) for service, api_id, _ in theirs} == {("sport", 7101), ("sport", 7105),
                                                                           ("arm", 7106)}
    for kind in kinds:  # the same parameter keys for the same api
        keys = {frozenset(p) for s, a, p in ours if (s, a) == kind} | {frozenset(p) for s, a, p in theirs
                                                                       if (s, a) == kind}
        assert len(keys) == 1, (kind, keys)
    fsm = [p["data"] for s, a, p in ours if a == 7101]
    assert fsm == [p["data"] for s, a, p in theirs if a == 7101] == [4, 500]
    assert [p["data"] for s, a, p in ours if s == "arm"] == [p["data"] for s, a, p in theirs if s == "arm"] == [18, 99]
    velocities = [p for s, a, p in ours if a == 7105]
    assert all(len(p["velocity"]) == 3 and 0 < p["duration"] <= 0.3 for p in velocities)  # the vendor's Move: 1 s
    assert max(p["velocity"][0] for p in velocities) > 0.1 and max(p["velocity"][2] for p in velocities) > 0.1
    assert all(abs(p["velocity"][0]) <= 0.6 and abs(p["velocity"][1]) <= 0.6 for p in velocities)  # our limits


def test_disarming_mid_walk_aborts_the_plan_and_nothing_moves_the_robot_after(vendor_robot) -> None:
    robot, client = vendor_robot
    assert client.arm(True)[0]  # whatever the tests before left it as
    client.send_plan("armed-2", [{"primitive": "walk", "direction": "backward", "distance_m": 2.0}])
    assert client.wait_for(lambda c: any(e.get("id") == "armed-2" and e["state"] == "step_started"
                                         for e in c.events), 20.0), client.events[-5:]
    time.sleep(0.5)  # walking
    assert client.arm(False)[0]
    assert client.wait_for(lambda c: c.final_event("armed-2") is not None, 10.0), client.events[-5:]
    final = client.final_event("armed-2")
    assert (final["state"], final["reason"]) == ("aborted", "disarmed"), final
    since = len(robot.requests)
    time.sleep(1.0)
    assert not [p for s, a, p in robot.moving_requests(since) if a == 7105 and any(p["velocity"])]
    # stopped: commands expire, and the last was zero (the state report may lag on a loaded machine)
    assert client.wait_for(lambda c: c.state["velocity"] == [0.0, 0.0, 0.0], 5.0), client.state
