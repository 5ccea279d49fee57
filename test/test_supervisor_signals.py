"""Stopping `python -m llm_planner bringup` stops every node it started, however it is stopped.

SIGINT (also one the shell told a background job to ignore), SIGTERM and SIGHUP each stop
every node (STACK) cleanly and exit 0; after a SIGKILL, which leaves the supervisor no chance
to clean up, the nodes notice that their supervisor is gone and stop by themselves.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
from supervisor_stop import start_bringup as bringup  # noqa: E402  (the bench of these stops)
from supervisor_stop import wait_gone  # noqa: E402

from llm_planner.tools.bringup import STACK  # noqa: E402

STOP_S = 15.0  # launch's own budget is 10 s per node (SIGTERM at 5 s, SIGKILL at 10 s)


@pytest.mark.parametrize(("signum", "ignore_sigint"), [
    (signal.SIGTERM, False), (signal.SIGHUP, False), (signal.SIGINT, True)],
    ids=["sigterm", "sighup", "sigint_ignored"])
def test_a_stop_signal_stops_every_node_and_exits_0(signum: int, ignore_sigint: bool) -> None:
    process, nodes, lines = bringup(f"sig{signum}", ignore_sigint)
    try:
        assert len(nodes) == len(STACK), nodes
        os.kill(process.pid, signum)
        assert process.wait(STOP_S) == 0, "".join(lines[-20:])
        wait_gone(nodes, 1.0)
    finally:
        kill_all(process, nodes)


def test_nodes_stop_by_themselves_when_the_supervisor_is_killed() -> None:
    process, nodes, lines = bringup("sigkill")
    try:
        assert len(nodes) == len(STACK), nodes
        process.kill()
        process.wait(5.0)
        wait_gone(nodes, STOP_S)
        assert any("supervisor that started this node is gone" in line for line in lines), "".join(lines[-20:])
    finally:
        kill_all(process, nodes)


def kill_all(process, nodes: list[int]) -> None:
    """A failed check must not leave a stack running: its planner would starve every later test."""
    for pid in [process.pid, *nodes]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait(5.0)
