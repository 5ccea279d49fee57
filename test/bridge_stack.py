"""Test helper: namespaced sim_robot + bridge_node pairs over real DDS, watched from the test process.

Each `Stack` is one simulated robot and one bridge in their own namespace (two OS
processes). The test process publishes plan messages and the e-stop on their topics,
and the stack's `StackClient` (the same recorder `demo` and `watch` use) records
everything the bridge and the robot say: status events, controller state and every
request the bridge sends, with the time it arrived here.
"""

from __future__ import annotations

import itertools
import math
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

from llm_planner_interfaces.msg import Plan as PlanMsg
from rclpy.executors import SingleThreadedExecutor

from llm_planner.tools.bringup import SIM_BRIDGE, start_node, stop_all
from llm_planner.tools.stack_client import Sent, StackClient

FINAL = frozenset({"completed", "aborted", "rejected", "preempted", "estop"})
_plan_ids = itertools.count(1)
__all__ = ["FINAL", "Sent", "Stack", "stacks", "yaw_diff_deg"]


class Stack:
    """One robot + bridge in `namespace`, recorded by a `StackClient` (thread-safe) spun by `executor`."""

    def __init__(self, executor: SingleThreadedExecutor, namespace: str, sim: Mapping[str, object],
                 bridge: Mapping[str, object]) -> None:
        self.namespace = namespace
        self._parameters = (sim, bridge)
        self.processes: list[subprocess.Popen] = []
        self.start_processes()
        self.client = StackClient(f"test_{namespace}", namespace=namespace)
        executor.add_node(self.client)

    def start_processes(self) -> None:
        """(Re)start the robot and the bridge; earlier processes of this stack are stopped first."""
        stop_all(self.processes)
        sim, bridge = self._parameters
        self.processes = [start_node("sim_robot", sim, namespace=self.namespace, log_level="warn"),
                          start_node("bridge_node", {**SIM_BRIDGE, **bridge}, namespace=self.namespace)]

    def restart_bridge(self, bridge: Mapping[str, object] | None = None) -> None:
        """Stop the bridge cleanly (SIGINT) and start a new one beside the running robot."""
        sim_process, bridge_process = self.processes
        assert stop_all([bridge_process]) == [0]
        self.processes = [sim_process, start_node("bridge_node", {**SIM_BRIDGE, **(bridge or self._parameters[1])},
                                                  namespace=self.namespace)]

    @property
    def events(self) -> list[dict]:
        """Bridge events, each with `seen_at` (monotonic arrival time)."""
        return [e for e in self.client.events if e["topic"] == "bridge/status"]

    @property
    def states(self) -> list[tuple[float, dict]]:
        return self.client.timeline()

    # --- waiting ---------------------------------------------------------------
    def wait_for(self, predicate: Callable[[], bool], timeout: float) -> bool:
        return self.client.wait_for(lambda _client: predicate(), timeout)

    def wait_ready(self, timeout: float = 30.0) -> None:
        """Bridge and robot discovered, state flowing, and the bridge sees that state.

        The probe plan needs fresh state in the bridge but sends no request: `stand_up`
        when the robot already walks, `stop` otherwise (faulty robots would fail others).
        """
        def discovered() -> bool:
            return (self.client.others_on("plan") > 0
                    and self.client.status_subs["bridge/status"].get_publisher_count() > 0
                    and self.client.state_count > 0)
        deadline = time.monotonic() + timeout
        assert self.wait_for(discovered, timeout), (
            f"{self.namespace}: stack did not come up: "
            f"plan subscribers {self.client.others_on('plan')}, "
            f"status publishers {self.client.status_subs['bridge/status'].get_publisher_count()}, "
            f"states {self.client.state_count}, "
            f"processes (sim, bridge) {[p.poll() for p in self.processes]} (None: running)")
        probe = "stand_up" if self.state()["fsm_id"] in (200, 500) else "stop"
        while time.monotonic() < deadline:
            final = self.run([{"primitive": probe}], timeout=max(0.1, deadline - time.monotonic()))
            if final["state"] == "completed":
                time.sleep(0.2)  # let the bridge's request/response endpoints settle too
                return
            time.sleep(0.2)
        raise AssertionError(f"{self.namespace}: bridge never saw the robot's state")

    # --- acting ----------------------------------------------------------------
    def publish(self, plan: PlanMsg) -> float:
        """Publish a plan message as it is (hostile input included); returns the monotonic send time."""
        sent = time.monotonic()
        self.client.plan_pub.publish(plan)
        return sent

    def send(self, steps: list[dict], plan_id: str | None = None) -> str:
        plan_id = plan_id or f"{self.namespace}-{next(_plan_ids)}"
        self.client.send_plan(plan_id, steps, task="test")
        return plan_id

    def estop(self, on: bool) -> None:
        self.client.estop(on)

    def release_estop(self) -> None:
        accepted, message = self.client.release_estop()
        assert accepted, message

    def final(self, plan_id: str | None, timeout: float = 30.0) -> dict:
        """The plan's final bridge event (completed, aborted, rejected, preempted, estop)."""
        found: list[dict] = []

        def ended() -> bool:
            found[:] = [e for e in self.events if e["id"] == plan_id and e["state"] in FINAL]
            return bool(found)
        assert self.wait_for(ended, timeout), f"{self.namespace}: no final event for {plan_id}: {self.of(plan_id)}"
        return found[0]

    def run(self, steps: list[dict], timeout: float = 30.0) -> dict:
        return self.final(self.send(steps), timeout)

    # --- reading ---------------------------------------------------------------
    def of(self, plan_id: str | None, state: str | None = None) -> list[dict]:
        return [e for e in self.events if e.get("id") == plan_id and (state is None or e["state"] == state)]

    def state(self) -> dict:
        return self.client.state

    def fresh_state(self, timeout: float = 2.0) -> dict:
        count = self.client.state_count
        assert self.wait_for(lambda: self.client.state_count > count, timeout), f"{self.namespace}: no fresh state"
        return self.state()

    def timeline(self) -> list[tuple[float, dict]]:
        """(arrival time, state) of the states received lately, oldest first."""
        return self.client.timeline()

    def states_since(self, since: float) -> list[dict]:
        return [s for at, s in self.timeline() if at >= since]

    def sent_since(self, since: float, api_id: int | None = None, service: str = "sport") -> list[Sent]:
        return self.client.requests_since(since, api_id, service)

    def heard_until(self, moment: float, timeout: float = 10.0) -> bool:
        """Wait until this process has heard every sport request the bridge sent before `moment` (its
        monotonic clock): one publisher, reliable and in order, so once one sent later has arrived, so have
        they. The caller picks a moment the bridge sends after (a later step). A loaded machine delivers late."""
        return self.wait_for(lambda: any(r.sent_s > moment for r in self.client.requests_since(moment)), timeout)

    def still(self, timeout: float = 2.0) -> dict:
        """Wait until the robot reports zero velocity; return that state."""
        def still() -> bool:
            return self.client.state is not None and not any(self.client.state["velocity"])
        assert self.wait_for(still, timeout), f"{self.namespace}: robot still moving: {self.state()['velocity']}"
        return self.state()

    def pose(self) -> tuple[float, float, float]:
        state = self.state()
        return state["position"][0], state["position"][1], state["yaw"]


def yaw_diff_deg(after: float, before: float) -> float:
    """after - before in degrees, wrapped to (-180, 180]."""
    return math.degrees(math.remainder(after - before, math.tau))


@contextmanager
def stacks(rclpy_module, specs: Mapping[str, tuple[Mapping, Mapping]]) -> Iterator[dict[str, Stack]]:
    """Start every (sim, bridge) pair at once, each in its namespace; stop them all on exit."""
    # one executor (and thread) per stack: rclpy rebuilds an executor's wait set of every entity it spins at
    # each message, and eight stacks' state topics in one wait set fell seconds behind on a loaded machine
    executors = [SingleThreadedExecutor() for _ in specs]
    spinners = [threading.Thread(target=executor.spin, daemon=True) for executor in executors]
    for spinner in spinners:
        spinner.start()
    running: dict[str, Stack] = {}
    codes: list[int] = []
    try:
        for executor, (namespace, (sim, bridge)) in zip(executors, specs.items()):
            running[namespace] = Stack(executor, namespace, sim, bridge)
        for stack in running.values():
            try:
                stack.wait_ready()
            except AssertionError as error:
                # Seen once in many CI runs: one of the 18 node processes started at once never came
                # up (no "bridge ready"), with no error. Say so, and give that stack one more start.
                print(f"WARNING: {error}; starting that stack once more", file=sys.stderr)
                stack.start_processes()
                stack.wait_ready()
        yield running
    finally:
        # one robot at a time: each node must stop within stop_all's 10 s of its SIGINT, but 16 nodes told
        # at once on 2 shared cores wait for each other's CPU, and that measures the machine, not the node
        codes = [code for stack in running.values() for code in stop_all(stack.processes)]
        for executor, spinner in zip(executors, spinners):
            executor.shutdown()
            spinner.join(timeout=5.0)
        for stack in running.values():
            stack.client.destroy_node()
    assert all(code == 0 for code in codes), f"node processes did not end cleanly on SIGINT: {codes}"
