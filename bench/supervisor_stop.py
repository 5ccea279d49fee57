#!/usr/bin/env python3
"""How `python -m llm_planner bringup` stops: per signal, the time to exit 0 with every node gone.

Each round starts bringup (sim_robot, bridge_node, planner_node, task_server; random ROS_DOMAIN_ID on
loopback), waits for "bridge ready" (the planner is then still loading its model, the
slowest moment to stop it), and sends one signal: SIGTERM, SIGHUP, SIGINT to a bringup
whose shell made it ignore SIGINT (a script's background job), or SIGKILL, after which
the nodes must notice that their supervisor is gone and stop by themselves.

    .venv/bin/python bench/supervisor_stop.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from llm_planner.tools.bringup import STACK, child_pids, isolate_dds, running  # noqa: E402

CASES = {"SIGTERM": (signal.SIGTERM, False), "SIGHUP": (signal.SIGHUP, False),
         "SIGINT (ignored by the shell)": (signal.SIGINT, True), "SIGKILL": (signal.SIGKILL, False)}


def start_bringup(namespace: str, ignore_sigint: bool = False) -> tuple[subprocess.Popen, list[int], list[str]]:
    """Start bringup; return it, its node pids (one per node of STACK) and its stderr lines, once all run."""
    def preexec() -> None:
        if ignore_sigint:  # what a shell does to a script's background job
            signal.signal(signal.SIGINT, signal.SIG_IGN)
    process = subprocess.Popen([sys.executable, "-m", "llm_planner", "bringup", "--namespace", namespace],
                               cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               preexec_fn=preexec)
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        for line in process.stderr:
            lines.append(line)
            if "bridge ready" in line:
                ready.set()
    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(60.0):
        raise RuntimeError("bringup never got ready: " + "".join(lines[-20:]))
    deadline = time.monotonic() + 30.0
    while len(child_pids(process.pid)) < len(STACK) and time.monotonic() < deadline:
        time.sleep(0.1)
    return process, child_pids(process.pid), lines


def wait_gone(pids: list[int], timeout: float) -> float:
    """Seconds until none of `pids` runs; raises TimeoutError past `timeout`."""
    started = time.monotonic()
    while any(running(pid) for pid in pids):
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"still running: {[p for p in pids if running(p)]}")
        time.sleep(0.02)
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    isolate_dds()
    print(f"{'signal':32} {'rounds':>6} {'exit 0':>6} {'all nodes gone p50 s':>21} {'max s':>6}")
    for name, (signum, ignore) in CASES.items():
        times, clean = [], 0
        for index in range(args.rounds):
            process, nodes, _ = start_bringup(f"stop{index}", ignore)
            sent = time.monotonic()
            os.kill(process.pid, signum)
            code = process.wait(30.0)
            clean += code == 0 or signum == signal.SIGKILL
            wait_gone(nodes, 30.0)
            times.append(time.monotonic() - sent)
        print(f"{name:32} {args.rounds:6d} {clean:6d} {statistics.median(times):21.2f} {max(times):6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
