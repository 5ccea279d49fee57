#!/usr/bin/env python3
"""Measure how precisely the bridge walks and turns the simulated robot, over real DDS.

Brings up sim_robot and bridge_node (one process each, on a random ROS_DOMAIN_ID confined
to this machine), sends one plan per motion (walks of 0.3, 1 and 3 m, turns of 30, 90 and
180 degrees, and a go_to to each of the simulated world's places by default) and prints a table of
the final errors measured from the robot's own reported state, not from what the bridge says. Logs
go to stderr; the table to stdout. Exit code 0 when every motion completed within the bridge's
tolerances (5 cm, 3 degrees).

    .venv/bin/python bench/bridge_accuracy.py [--walks 0.3 1 3] [--turns 30 90 180]
        [--places door desk window charger home] [--repeat 1]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from llm_planner.tools.bringup import SIM_BRIDGE, isolate_dds, start_node, stop_all  # noqa: E402

isolate_dds()  # before rclpy is imported


from llm_planner.plan.places import SIM_WORLD  # noqa: E402
from llm_planner.tools.stack_client import StackClient, running_client  # noqa: E402

POSITION_TOLERANCE_M = 0.05
ANGLE_TOLERANCE_DEG = 3.0


def wrap_deg(angle_rad: float) -> float:
    return math.degrees(math.remainder(angle_rad, math.tau))


class Bench:
    def __init__(self, client: StackClient) -> None:
        self.client = client
        self.count = 0

    def run(self, steps: list[dict], timeout: float = 60.0) -> dict:
        self.count += 1
        plan_id = f"bench-{self.count}"
        self.client.send_plan(plan_id, steps, "bench")
        if not self.client.wait_for(lambda c: c.final_event(plan_id) is not None, timeout):
            raise RuntimeError(f"no final event for {steps}")
        return self.client.final_event(plan_id)

    def still(self) -> dict:
        """The robot's state once it reports zero velocity (and a fresh one)."""
        time.sleep(0.1)
        if not self.client.wait_for(lambda c: c.state is not None and not any(c.state["velocity"]), 5.0):
            raise RuntimeError("the robot does not come to rest")
        return dict(self.client.state)

    def motion(self, step: dict, timeout: float = 60.0) -> dict:
        """Run one walk, turn or go_to from rest; return the errors measured on the robot's state."""
        before = self.still()
        began = time.monotonic()
        final = self.run([step], timeout)
        elapsed = time.monotonic() - began
        after = self.still()
        (x0, y0, _), (x, y, _) = before["position"], after["position"]
        yaw0, turned = before["yaw"], after["yaw"] - before["yaw"]
        if step["primitive"] == "go_to":
            place = SIM_WORLD.get(step["place"])
            error, heading = math.dist((x, y), (place.x, place.y)), wrap_deg(after["yaw"] - math.radians(place.yaw_deg))
            target, ok = place.name, error <= POSITION_TOLERANCE_M and abs(heading) <= ANGLE_TOLERANCE_DEG
            columns = (f"{error * 100:6.2f} cm", "", f"{heading:+6.2f} deg")
        elif step["primitive"] == "walk":
            bx, by = {"forward": (1, 0), "backward": (-1, 0), "left": (0, 1), "right": (0, -1)}[step["direction"]]
            ux, uy = bx * math.cos(yaw0) - by * math.sin(yaw0), bx * math.sin(yaw0) + by * math.cos(yaw0)
            along = (x - x0) * ux + (y - y0) * uy - step["distance_m"]
            across = -(x - x0) * uy + (y - y0) * ux
            error, target = math.hypot(along, across), f"{step['distance_m']:g} m"
            ok = error <= POSITION_TOLERANCE_M
            columns = (f"{along * 100:+6.2f} cm", f"{across * 100:+6.2f} cm", f"{wrap_deg(turned):+6.2f} deg")
        else:
            sign = 1.0 if step["direction"] == "left" else -1.0
            error = wrap_deg(turned - sign * math.radians(step["angle_deg"])) * sign
            target, ok = f"{step['angle_deg']:g} deg", abs(error) <= ANGLE_TOLERANCE_DEG
            columns = (f"{error:+6.2f} deg", f"{math.dist((x, y), (x0, y0)) * 100:6.2f} cm", "")
        ok = ok and final["state"] == "completed"
        return {"primitive": step["primitive"], "target": target, "columns": columns, "time": elapsed,
                "result": final["state"] if final["state"] != "completed" else ("ok" if ok else "off target"),
                "ok": ok}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--walks", type=float, nargs="*", default=[0.3, 1.0, 3.0], help="walk distances, m")
    parser.add_argument("--turns", type=float, nargs="*", default=[30.0, 90.0, 180.0], help="turn angles, deg")
    parser.add_argument("--places", nargs="*", default=["door", "desk", "window", "charger", "home"],
                        help="places of the simulated world to go to, in this order")
    parser.add_argument("--repeat", type=int, default=1, help="run every motion this many times")
    args = parser.parse_args()

    processes = [start_node("sim_robot", {"stand_up_duration_s": 0.5}, log_level="warn"),
                 start_node("bridge_node", SIM_BRIDGE, log_level="warn")]
    rows: list[dict] = []
    try:
        with running_client("bridge_accuracy_bench") as client:
            def up(c: StackClient) -> bool:  # the client itself subscribes to `plan` too
                return (c.count_subscribers("plan") >= 2 and c.count_publishers("bridge/status") > 0
                        and c.state is not None)
            if not client.wait_for(up, 30.0):
                raise RuntimeError("bridge or simulated robot did not come up")
            bench = Bench(client)
            for _ in range(50):  # until the bridge sees the robot's state
                if bench.run([{"primitive": "stop"}], timeout=5.0)["state"] == "completed":
                    break
                time.sleep(0.2)
            bench.run([{"primitive": "stand_up"}])
            for _ in range(args.repeat):
                for index, distance in enumerate(args.walks):  # alternate directions to stay near the origin
                    direction = "forward" if index % 2 == 0 else "backward"
                    rows.append(bench.motion({"primitive": "walk", "direction": direction, "distance_m": distance}))
                for index, angle in enumerate(args.turns):
                    direction = "left" if index % 2 == 0 else "right"
                    rows.append(bench.motion({"primitive": "turn", "direction": direction, "angle_deg": angle}))
                for name in args.places:
                    rows.append(bench.motion({"primitive": "go_to", "place": name}, timeout=120.0))
    finally:
        stop_all(processes)

    print(f"{'motion':<6} {'target':>8}  {'final error':>11}  {'off axis':>9}  {'heading':>10}  {'time':>6}  result")
    for row in rows:
        error, off_axis, heading = row["columns"]
        print(f"{row['primitive']:<6} {row['target']:>8}  {error:>11}  {off_axis:>9}  {heading:>10}  "
              f"{row['time']:5.1f}s  {row['result']}")
    print("walk: final error along the path (negative = short of the goal), off axis = sideways drift, heading ="
          " heading drift; turn: final error (negative = short), off axis = position drift; go_to: distance from"
          " the place, heading error from its heading", file=sys.stderr)
    return 0 if rows and all(row["ok"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
