#!/usr/bin/env python3
"""Does every node stop on Ctrl-C, and how fast? Many SIGINTs while messages flow, on a busy machine.

Each round starts `--pairs` robots (sim_robot and bridge_node, each pair in a namespace of its
own, on one random ROS_DOMAIN_ID confined to this machine) and `--planners` planner_nodes
(real model; signalled while they load, warm up or wait), and sends each node SIGINT, as
launch does on Ctrl-C, at its own random moment in `--window-s` after the start: some while
they are still starting, most once up with controller state flowing. A node that was up must
exit 0; one still running `--hang-s` after its SIGINT is counted as hung and killed. `--load N`
keeps N busy-looping processes running meanwhile: the races this looks for need contended cores.

    .venv/bin/python bench/shutdown_stress.py [--rounds 60] [--pairs 3] [--planners 1] [--load 1] [--window-s 1 6]
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from llm_planner.tools.bench import busy, percentile  # noqa: E402
from llm_planner.tools.bringup import isolate_dds, start_node  # noqa: E402

NODES = {"sim_robot": "simulated robot up", "bridge_node": "bridge ready", "planner_node": "ready for tasks"}


def started(name: str, namespace: str) -> tuple[subprocess.Popen, threading.Event]:
    """Start a node; the event is set once its log says it is up (its log is read and dropped)."""
    process = start_node(name, {"initial_fsm": 500} if name == "sim_robot" else None, namespace=namespace,
                         stderr=subprocess.PIPE)
    up = threading.Event()

    def read() -> None:
        for line in process.stderr:
            if NODES[name].encode() in line:
                up.set()

    threading.Thread(target=read, daemon=True).start()
    return process, up


def stop(process: subprocess.Popen, hang_s: float) -> tuple[str, float]:
    """SIGINT, then (exit:<code>, seconds to exit) or (hung, nan) if still running after hang_s."""
    signalled = time.monotonic()
    process.send_signal(signal.SIGINT)
    try:
        code = process.wait(hang_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return "hung", float("nan")
    return f"exit:{code}", time.monotonic() - signalled


def one_round(names: list[str], window_s: tuple[float, float], hang_s: float) -> list[tuple[bool, str, float]]:
    """Per node of `names`: (was it up when signalled, outcome, seconds from SIGINT to exit).
    Each node is signalled at its own random moment in `window_s` after the start, so some are
    signalled while still starting, some just after; each is timed on a thread of its own."""
    nodes = [started(name, f"robot{index // 2}") for index, name in enumerate(names)]
    start = time.monotonic()
    results: list[tuple[bool, str, float]] = [(False, "", 0.0)] * len(nodes)
    stoppers = []
    for at, index in sorted((random.uniform(*window_s), index) for index in range(len(nodes))):
        time.sleep(max(0.0, start + at - time.monotonic()))
        process, up = nodes[index]

        def run(index: int = index, process: subprocess.Popen = process, was_up: bool = up.is_set()) -> None:
            results[index] = (was_up, *stop(process, hang_s))

        stoppers.append(threading.Thread(target=run))
        stoppers[-1].start()
    for stopper in stoppers:
        stopper.join()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--pairs", type=int, default=3, help="robots (sim_robot + bridge_node) per round")
    parser.add_argument("--planners", type=int, default=1, help="planner_nodes per round")
    parser.add_argument("--load", type=int, default=1, help="busy-looping processes meanwhile")
    parser.add_argument("--window-s", type=float, nargs=2, default=(1.0, 6.0),
                        help="each node gets SIGINT at a random moment this long after the start")
    parser.add_argument("--hang-s", type=float, default=10.0, help="a node still running this long after SIGINT hung")
    args = parser.parse_args()
    isolate_dds()
    load = [multiprocessing.Process(target=busy, daemon=True) for _ in range(args.load)]
    for process in load:
        process.start()
    outcomes: dict[tuple[str, bool], Counter] = {(name, up): Counter() for name in NODES for up in (True, False)}
    stop_times: dict[tuple[str, bool], list[float]] = {key: [] for key in outcomes}
    try:
        for index in range(args.rounds):
            names = ["sim_robot", "bridge_node"] * args.pairs + ["planner_node"] * args.planners
            for name, (was_up, outcome, seconds) in zip(names, one_round(names, args.window_s, args.hang_s),
                                                        strict=True):
                outcomes[name, was_up][outcome] += 1
                if outcome == "exit:0":
                    stop_times[name, was_up].append(seconds)
                elif was_up:
                    print(f"round {index}: {name} {outcome}", file=sys.stderr, flush=True)
    finally:
        for process in load:
            process.terminate()
    print(f"{args.rounds} rounds of SIGINT to {args.pairs} x (sim_robot + bridge_node) + {args.planners} x "
          f"planner_node at {args.window_s[0]:g}-{args.window_s[1]:g} s after start, {args.load} busy process(es) "
          f"on {multiprocessing.cpu_count()} cores")
    print(f"{'node':12} {'signalled':15} {'stops':>5} {'exit 0':>6} {'other exit':>10} {'hung':>4}  "
          "SIGINT to exit 0")
    for (name, was_up), counts in outcomes.items():
        other = sum(n for outcome, n in counts.items() if outcome.startswith("exit:") and outcome != "exit:0")
        times = stop_times[name, was_up]
        stop = (f"p50 {percentile(times, 0.5):.2f} s, p95 {percentile(times, 0.95):.2f} s, max {max(times):.2f} s"
                if times else "")
        print(f"{name:12} {'once up' if was_up else 'while starting':15} {sum(counts.values()):5d} "
              f"{counts['exit:0']:6d} {other:10d} {counts['hung']:4d}  {stop}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
