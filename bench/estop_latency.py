#!/usr/bin/env python3
"""E-stop latency: from publishing `estop` true to the bridge's Damp request on the controller topic.

Brings up sim_robot and bridge_node (one process each, random ROS_DOMAIN_ID confined to
this machine). Each trial starts a walk, waits until the robot moves, publishes the
e-stop, and times the SetFsmId(1) request the bridge sends, as this process sees it on
`api/sport/request` (so both DDS hops are included). Two conditions: idle, and
while a planner_node in another namespace decodes tasks non-stop on the same 2 cores.
Prints p50/p99 per condition; the target is p99 < 20 ms.

    .venv/bin/python bench/estop_latency.py [--trials 40]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from llm_planner.tools.bringup import SIM_BRIDGE, isolate_dds, start_node, stop_all  # noqa: E402

isolate_dds()  # before rclpy is imported

import rclpy  # noqa: E402
from rclpy.executors import SingleThreadedExecutor  # noqa: E402
from std_msgs.msg import String  # noqa: E402

from llm_planner.tools.stack_client import StackClient  # noqa: E402

BUSY_TASK = "walk forward one meter, wait two seconds, walk back one meter, turn left 90 degrees, then wave and clap"


def damp_at(probe: StackClient, since: float) -> float | None:
    """When the first Damp request (SetFsmId 1) since `since` reached the probe."""
    damps = [r.at for r in probe.requests_since(since, 7101) if r.params == {"data": 1}]
    return damps[0] if damps else None


def trial(probe: StackClient, index: int) -> float | None:
    """One e-stop during a walk; the latency in seconds, or None if no Damp was seen."""
    plan_id = f"walk-{index}"
    steps = [{"primitive": "walk", "direction": "forward" if index % 2 else "backward", "distance_m": 0.5}]
    probe.first_motion, probe.sent_at = None, time.monotonic()
    probe.send_plan(plan_id, steps, task="walk")
    if not probe.wait_for(lambda c: c.first_motion is not None, 10.0):
        return None
    time.sleep(0.1)
    sent = time.monotonic()
    probe.estop(True)
    seen = probe.wait_for(lambda c: damp_at(c, sent) is not None, 2.0)
    latency = damp_at(probe, sent) - sent if seen else None
    probe.wait_for(lambda c: c.final_event(plan_id) is not None, 5.0)
    probe.release_estop()  # a false alone releases nothing: the reset does
    time.sleep(0.3)
    return latency


def keep_planner_busy(stop: threading.Event, publisher, interval: float = 0.2) -> None:
    serial = 0
    while not stop.is_set():
        serial += 1
        publisher.publish(String(data=json.dumps({"id": f"busy-{serial}", "task": BUSY_TASK})))
        stop.wait(interval)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=40)
    args = parser.parse_args()
    processes = [start_node("sim_robot", {"stand_up_duration_s": 0.3}, namespace="es", log_level="warn"),
                 start_node("bridge_node", {**SIM_BRIDGE, "workspace_radius_m": 100.0}, namespace="es",
                            log_level="warn")]
    rclpy.init()
    probe = StackClient("estop_probe", namespace="es")
    busy_client = StackClient("busy_client", namespace="busy")
    executor = SingleThreadedExecutor()
    executor.add_node(probe)
    executor.add_node(busy_client)
    threading.Thread(target=executor.spin, daemon=True).start()
    results: dict[str, list[float]] = {}
    try:
        probe.wait_for(lambda c: c.state is not None, 30.0)
        time.sleep(1.0)
        results["idle"] = [t for t in (trial(probe, i) for i in range(args.trials)) if t is not None]
        processes.append(start_node("planner_node", {"queue_depth": 4}, namespace="busy", log_level="warn"))
        busy_client.wait_for_planner(120.0)
        stop = threading.Event()
        threading.Thread(target=keep_planner_busy, args=(stop, busy_client.task_pub), daemon=True).start()
        time.sleep(2.0)
        results["planner decoding"] = [t for t in (trial(probe, 1000 + i) for i in range(args.trials))
                                       if t is not None]
        stop.set()
        decoded = sum(e["state"] == "planned" for e in busy_client.events)
        print(f"the busy planner planned {decoded} tasks meanwhile", file=sys.stderr)
    finally:
        executor.shutdown()
        rclpy.try_shutdown()
        stop_all(processes)
    print(f"{'condition':18} {'trials':>6} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7}")
    for condition, latencies in results.items():
        ordered = sorted(latencies)
        p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] if ordered else float("nan")
        print(f"{condition:18} {len(ordered):6d} {statistics.median(ordered) * 1000:7.1f} {p99 * 1000:7.1f} "
              f"{ordered[-1] * 1000:7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
