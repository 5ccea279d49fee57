"""Stopping `python -m llm_planner bringup` stops every node it started, however it is stopped.

SIGINT (also one the shell told a background job to ignore), SIGTERM and SIGHUP each stop
all three nodes cleanly and exit 0; after a SIGKILL, which leaves the supervisor no chance
to clean up, the nodes notice that their supervisor is gone and stop by themselves.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
STOP_S = 15.0  # launch's own budget is 10 s per node (SIGTERM at 5 s, SIGKILL at 10 s)


def _children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(p) for p in text.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie has stopped; only its exit status is left for its (new) parent


def _bringup(namespace: str, ignore_sigint: bool = False) -> tuple[subprocess.Popen, list[int], list[str]]:
    """Start bringup; return it, its three node pids and its stderr lines, once the bridge is ready."""
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
    assert ready.wait(60.0), "".join(lines[-20:])
    deadline = time.monotonic() + 30.0
    while len(_children(process.pid)) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    nodes = _children(process.pid)
    assert len(nodes) == 3, nodes
    return process, nodes, lines


def _wait_gone(pids: list[int], timeout: float) -> float:
    started = time.monotonic()
    while any(_alive(pid) for pid in pids):
        assert time.monotonic() - started < timeout, f"still running: {[p for p in pids if _alive(p)]}"
        time.sleep(0.05)
    return time.monotonic() - started


@pytest.mark.parametrize(("signum", "ignore_sigint"), [
    (signal.SIGTERM, False), (signal.SIGHUP, False), (signal.SIGINT, True)],
    ids=["sigterm", "sighup", "sigint_ignored"])
def test_a_stop_signal_stops_every_node_and_exits_0(signum: int, ignore_sigint: bool) -> None:
    process, nodes, lines = _bringup(f"sig{signum}", ignore_sigint)
    os.kill(process.pid, signum)
    assert process.wait(STOP_S) == 0, "".join(lines[-20:])
    _wait_gone(nodes, 1.0)


def test_nodes_stop_by_themselves_when_the_supervisor_is_killed() -> None:
    process, nodes, lines = _bringup("sigkill")
    process.kill()
    process.wait(5.0)
    _wait_gone(nodes, STOP_S)
    assert any("supervisor that started this node is gone" in line for line in lines), "".join(lines[-20:])
