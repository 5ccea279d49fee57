#!/usr/bin/env python3
"""How long planner_node takes to be ready (its model loaded and its prompt warm), with and without
the prompt cache, how long its first task then takes, and what a newly remembered place costs.

Each trial starts planner_node (random ROS_DOMAIN_ID confined to this machine) and times, from
the process start, when it subscribes to `task` (it does once ready) and when its first task's
`planned` event arrives. Trials alternate: "cold" with an empty prompt cache directory (the
prefix is evaluated, then saved), "cached" with the directory the cold trial before it filled.
Last, in this process: the planner's warm-up after a place is added to those it knows (what
planner_node does between tasks when the bridge remembers one), places growing one at a time.

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

from llm_planner.tools.stack_client import (  # noqa: E402
    MODEL_READY_S,
    PLANNER_FINAL,
    StackClient,
    running_client,
)

TASK = "walk forward two meters then wave"
ENDS = PLANNER_FINAL | {"planned"}  # the planner's last word on a task (no bridge runs here)


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
        ended = lambda c: [e for e in c.events if e["id"] == task_id and e["state"] in ENDS]  # noqa: E731
        if not client.wait_for(ended, 120.0):
            raise RuntimeError("the planner never answered the first task")
        assert ended(client)[0]["state"] == "planned", ended(client)
        return ready, ended(client)[0]["seen_at"] - started
    finally:
        stop_all([planner])
        client.wait_for(lambda c: c.task_pub.get_subscription_count() == 0, 10.0)


def rewarm_s(trials: int) -> list[tuple[float, int]]:
    """(seconds, prompt tokens) of each warm-up after one more place becomes known."""
    from llm_planner.plan.places import Place, PlaceBook
    from llm_planner.planning.backend import open_backend
    from llm_planner.planning.planner import Planner
    from llm_planner.planning.settings import PlannerSettings

    settings = PlannerSettings(prompt_cache=False)  # each new set of places is evaluated, never read
    planner = Planner(open_backend(settings), settings)
    planner.warm_up()
    places, times = [], []
    for index in range(trials):
        places.append(Place(name=f"spot_{index}", x=float(index), y=1.0))
        planner.set_places(PlaceBook(places=tuple(places)))
        began = time.monotonic()
        planner.warm_up()
        times.append((time.monotonic() - began, len(planner.backend._prefix[1])))
    return times


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
    rewarms = rewarm_s(args.trials)
    print(f"warm-up after one more known place: p50 {statistics.median(t for t, _ in rewarms):.2f} s, "
          f"max {max(t for t, _ in rewarms):.2f} s (prompt of {rewarms[-1][1]} tokens; {args.trials} places added)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
