#!/usr/bin/env python3
"""How long after a bridge restart plans reach it: after a crash (SIGKILL) vs a clean exit (SIGINT).

Brings up sim_robot and bridge_node (random ROS_DOMAIN_ID confined to this machine). Each
trial stops the bridge one way or the other, starts a new one at t = 0, and from then on
publishes a one-step plan on `plan` every 0.1 s, as a planner would, until the bridge
reports one on `bridge/status`. It prints, per way of stopping, when the new bridge's `plan`
subscription showed in the ROS graph and when the first plan that reached it was published;
a plan published between the two is lost (`plan` is volatile by design: a restarted bridge
must never replay an old plan).

    .venv/bin/python bench/restart_rematch.py [--trials 8]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import sys
import time
from pathlib import Path

os.environ["ROS_DOMAIN_ID"] = str(random.SystemRandom().randint(1, 100))  # before rclpy is imported
os.environ["ROS_AUTOMATIC_DISCOVERY_RANGE"] = "LOCALHOST"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from std_msgs.msg import String  # noqa: E402

from llm_planner.bringup import start_node, stop_all  # noqa: E402
from llm_planner.stack_client import StackClient, running_client  # noqa: E402

NAMESPACE = "rematch"
PROBE_EVERY_S = 0.1
GIVE_UP_S = 30.0


def trial(client: StackClient, bridge, how: signal.Signals, index: int) -> tuple[object, float, float]:
    """Stop `bridge` with `how`, start another; (new bridge, seen in graph at, first plan delivered at)."""
    bridge.send_signal(how)
    bridge.wait(10.0)
    client.wait_for(lambda c: c.count_subscribers(f"/{NAMESPACE}/plan") == 1, 10.0)  # only ours is left
    started = time.monotonic()
    bridge = start_node("bridge_node", namespace=NAMESPACE, log_level="warn")
    in_graph = delivered = float("nan")
    published: dict[str, float] = {}
    while time.monotonic() - started < GIVE_UP_S:
        if in_graph != in_graph and client.count_subscribers(f"/{NAMESPACE}/plan") >= 2:  # NaN: not yet
            in_graph = time.monotonic() - started
        plan_id = f"{how.name}-{index}-{len(published)}"
        published[plan_id] = time.monotonic() - started
        steps = [{"primitive": "wait", "seconds": 0.05}]
        client.plan_pub.publish(String(data=json.dumps({"id": plan_id, "task": "probe", "steps": steps,
                                                        "final": True})))
        seen = [e["id"] for e in client.events if e["topic"] == "bridge/status" and e.get("id") in published]
        if seen:
            delivered = min(published[plan_id] for plan_id in seen)
            break
        time.sleep(PROBE_EVERY_S)
    time.sleep(1.0)  # let the last probes run out
    return bridge, in_graph, delivered


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=8)
    args = parser.parse_args()
    sim = start_node("sim_robot", {"initial_fsm": 500}, namespace=NAMESPACE, log_level="warn")
    bridge = start_node("bridge_node", namespace=NAMESPACE, log_level="warn")
    results: dict[str, list[tuple[float, float]]] = {"SIGKILL": [], "SIGINT": []}
    try:
        with running_client("rematch_probe", NAMESPACE) as client:
            client.wait_for(lambda c: c.state is not None and c.count_subscribers(f"/{NAMESPACE}/plan") >= 2, 30.0)
            for index in range(args.trials):
                for how in (signal.SIGKILL, signal.SIGINT):
                    bridge, in_graph, delivered = trial(client, bridge, how, index)
                    results[how.name].append((in_graph, delivered))
                    print(f"{how.name} #{index}: in graph {in_graph:.2f} s, first plan delivered was published "
                          f"{delivered:.2f} s after the restart", file=sys.stderr)
    finally:
        stop_all([bridge, sim])
    print(f"{'previous bridge':16} {'trials':>6} {'in graph p50':>13} {'delivered p50':>14} {'delivered max':>14} "
          f"{'lost window p50':>16} {'lost window max':>16}")
    for how, rows in results.items():
        rows = [r for r in rows if r[1] == r[1]] or [(float("nan"), float("nan"))]
        graph, delivered = [r[0] for r in rows], [r[1] for r in rows]
        window = [d - g for g, d in rows]
        print(f"{how:16} {len(rows):6d} {statistics.median(graph):12.2f}s {statistics.median(delivered):13.2f}s "
              f"{max(delivered):13.2f}s {statistics.median(window):15.2f}s {max(window):15.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
