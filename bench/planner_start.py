#!/usr/bin/env python3
"""How long planner_node takes to be ready (its model loaded and its prompt warm), with and without
the prompt cache, and how long its first task then takes.

Each trial starts planner_node (random ROS_DOMAIN_ID confined to this machine) and times, from
the process start, when it subscribes to `task` (it does once ready) and when its first task's
`planned` event arrives. Trials alternate: "cold" with an empty prompt cache directory (the
prefix is evaluated, then saved), "cached" with the directory the cold trial before it filled.

    .venv/bin/python bench/planner_start.py [--trials 3]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from llm_planner.tools.bringup import isolate_dds, start_node, stop_all  # noqa: E402

isolate_dds()  # before rclpy is imported

from llm_planner.tools.stack_client import MODEL_READY_S, StackClient, running_client  # noqa: E402

TASK = "walk forward two meters then wave"


def trial(client: StackClient, cache_dir: str, index: int) -> tuple[float, float]:
    """(seconds to ready, seconds to the first task's plan), from the process start."""
    started = time.monotonic()
    planner = start_node("planner_node", {"prompt_cache_dir": cache_dir}, log_level="warn")
    try:
        if not client.wait_for_planner(MODEL_READY_S, [planner]):
            raise RuntimeError("planner_node never became ready")
        ready = time.monotonic() - started
        task_id = f"start-{index}"
        client.send_task(TASK, task_id)
        if not client.wait_for(lambda c: c.final_event(task_id) is not None, 120.0):
            raise RuntimeError("no final event for the first task")
        assert client.final_event(task_id)["state"] == "planned", client.final_event(task_id)
        return ready, time.monotonic() - started
    finally:
        stop_all([planner])
        client.wait_for(lambda c: c.task_pub.get_subscription_count() == 0, 10.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=3, help="cold and cached trials each")
    args = parser.parse_args()
    times: dict[str, list[tuple[float, float]]] = {"cold": [], "cached": []}
    serial = itertools.count()
    with running_client("planner_start_bench") as client:
        for _ in range(args.trials):
            with tempfile.TemporaryDirectory(prefix="prompt_cache_") as cache_dir:
                for kind in ("cold", "cached"):
                    times[kind].append(trial(client, cache_dir, next(serial)))
                    print(kind, [round(t, 2) for t in times[kind][-1]], file=sys.stderr)
    print(f"{'planner_node start':28} {'ready p50 s':>11} {'first plan p50 s':>16}  (over {args.trials} trials)")
    for kind, rows in times.items():
        print(f"{kind:28} {statistics.median(r[0] for r in rows):11.2f} {statistics.median(r[1] for r in rows):16.2f}")
    ratio = statistics.median(r[0] for r in times["cold"]) / statistics.median(r[0] for r in times["cached"])
    print(f"ready, cold p50 / cached p50: {ratio:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
