#!/usr/bin/env python3
"""How long after a bridge restart plans reach it: after a crash (SIGKILL) vs a clean exit (SIGINT).

Brings up sim_robot and bridge_node (random ROS_DOMAIN_ID confined to this machine). Each
trial stops the bridge one way or the other, starts a new one at t = 0, and from then on
publishes a one-step plan on `plan` every 0.1 s, as a planner would, until the bridge
reports one on `bridge/status`. It prints when the first plan that reached the new bridge
was published; plans published before it are lost (`plan` is volatile by design: a
restarted bridge must never replay an old plan). Last, how long a crashed bridge's
subscription stays in the ROS graph (so the graph cannot tell that a bridge listens).

    .venv/bin/python bench/restart_rematch.py [--trials 8]
"""

from __future__ import annotations

import argparse
import signal
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from llm_planner.tools.bringup import SIM_BRIDGE, isolate_dds, start_node, stop_all  # noqa: E402

isolate_dds()  # before rclpy is imported


from llm_planner.tools.stack_client import StackClient, running_client  # noqa: E402

NAMESPACE = "rematch"
PROBE_EVERY_S = 0.1
GIVE_UP_S = 30.0


def plan_subscribers(client: StackClient) -> int:
    return client.count_subscribers(f"/{NAMESPACE}/plan")


def trial(client: StackClient, bridge, how: signal.Signals, index: int) -> tuple[object, float]:
    """Stop `bridge` with `how`, start another; (new bridge, when the first plan it got was published)."""
    bridge.send_signal(how)
    bridge.wait(10.0)
    started = time.monotonic()
    bridge = start_node("bridge_node", SIM_BRIDGE, namespace=NAMESPACE, log_level="warn")
    published: dict[str, float] = {}
    while time.monotonic() - started < GIVE_UP_S:
        plan_id = f"{how.name}-{index}-{len(published)}"
        published[plan_id] = time.monotonic() - started
        steps = [{"primitive": "wait", "seconds": 0.05}]
        client.send_plan(plan_id, steps, "probe")
        seen = [e["id"] for e in client.events if e["topic"] == "bridge/status" and e.get("id") in published]
        if seen:
            time.sleep(1.0)  # let the last probes run out
            return bridge, min(published[plan_id] for plan_id in seen)
        time.sleep(PROBE_EVERY_S)
    return bridge, float("nan")


def ghost_lifetime(client: StackClient, bridge) -> float:
    """Seconds a SIGKILLed bridge's `plan` subscription stays in the graph (capped at GIVE_UP_S * 2)."""
    bridge.send_signal(signal.SIGKILL)
    bridge.wait(10.0)
    killed = time.monotonic()
    client.wait_for(lambda c: plan_subscribers(c) <= 1, GIVE_UP_S * 2)  # only this probe's subscriber left
    return time.monotonic() - killed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=8)
    args = parser.parse_args()
    sim = start_node("sim_robot", {"initial_fsm": 500}, namespace=NAMESPACE, log_level="warn")
    bridge = start_node("bridge_node", SIM_BRIDGE, namespace=NAMESPACE, log_level="warn")
    results: dict[str, list[float]] = {"SIGKILL": [], "SIGINT": []}
    try:
        with running_client("rematch_probe", NAMESPACE) as client:
            client.wait_for(lambda c: c.state is not None and plan_subscribers(c) >= 2, 30.0)
            for index in range(args.trials):
                for how in (signal.SIGKILL, signal.SIGINT):
                    bridge, delivered = trial(client, bridge, how, index)
                    results[how.name].append(delivered)
                    print(f"{how.name} #{index}: the first plan the new bridge got was published {delivered:.2f} s "
                          "after its start", file=sys.stderr)
            ghost = ghost_lifetime(client, bridge)
    finally:
        stop_all([bridge, sim])
    print(f"{'previous bridge':16} {'trials':>6} {'lost':>5} {'first plan delivered: p50':>26} {'max':>6}")
    for how, delivered in results.items():
        reached = [d for d in delivered if d == d] or [float("nan")]  # NaN: none reached it in GIVE_UP_S
        print(f"{how:16} {len(delivered):6d} {len(delivered) - len(reached):5d} {statistics.median(reached):25.2f}s "
              f"{max(reached):5.2f}s")
    print(f"a SIGKILLed bridge's plan subscription left the ROS graph after {ghost:.1f} s")
    return 0

if __name__ == "__main__":
    sys.exit(main())
