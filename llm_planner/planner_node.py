"""planner_node: tasks from `task` become validated plans on `plan`, with events on `planner/status`.

The model runs in a worker thread behind a bounded queue, so the ROS callbacks stay
responsive. The node subscribes to `task` once the model is loaded and warm, so a
publisher that sees a subscriber knows the planner is ready. If the model cannot be
loaded (missing file, wrong SHA-256) the node stays up and answers every task with an
`error` event saying why: the status topic, not a crash log, is where users look. With
`backend: openai` the model lives on a shared server; if that server is down at start
the node still subscribes, and each task reports what the server did.

The planner knows exactly the places the bridge publishes on `places` (latched): a go_to can
only name one of them. A change is applied between tasks, and the new prompt is warmed once.

On shutdown the task being planned is cancelled at the next token and every waiting task
gets `dropped`. A model load, a warm-up or a server's first answer cannot be cut short:
after `WORKER_JOIN_S` the process leaves without it (os._exit, once ROS is shut down),
because a normal interpreter exit would free llama.cpp under the running worker and crash
(SIGSEGV).
"""

from __future__ import annotations

import itertools
import json
import os
import queue
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass

import rclpy
from llm_planner_interfaces.msg import Plan as PlanMsg
from llm_planner_interfaces.msg import StatusEvent
from pydantic import ValidationError
from rclpy.duration import Duration
from rclpy.node import Node
from rclpy.qos import QoSProfile, ReliabilityPolicy
from std_msgs.msg import String

from llm_planner.plan.places import KnownPlaces
from llm_planner.plan.schema import Plan
from llm_planner.planning.planner import Planner, open_planner_backend
from llm_planner.planning.settings import PlannerSettings
from llm_planner.ros.node_main import spin_node
from llm_planner.ros.params import declare_settings
from llm_planner.ros.plan_msgs import plan_msg
from llm_planner.ros.qos import LATCHED
from llm_planner.ros.status import status_event

TASK_QOS_DEPTH = 256
WORKER_JOIN_S = 3.0  # launch sends SIGTERM 5 s after SIGINT, SIGKILL 5 s later
WORKER_NAME = "planner"
ACK_WAIT_S = 1.0  # at shutdown, for subscribers to acknowledge what was published last


def parse_task_message(data: str, fallback_id: str) -> tuple[str, object]:
    """A task message is plain text or {"id": str, "task": str}; returns (id, task)."""
    text = data.strip()
    if text.startswith("{"):
        try:
            value = json.loads(text)
        except ValueError:
            return fallback_id, data
        if isinstance(value, dict) and "task" in value:
            task_id = value.get("id")
            return (task_id if isinstance(task_id, str) and task_id else fallback_id)[:200], value["task"]
    return fallback_id, data


@dataclass
class _InFlight:
    """The task being planned, and whether steps of it went out on `plan` already."""

    id: str
    task: object
    streamed: bool = False


class PlannerNode(Node):
    def __init__(self) -> None:
        super().__init__("planner_node")
        self.settings = declare_settings(self, PlannerSettings, self._on_settings)
        reliable = QoSProfile(depth=64, reliability=ReliabilityPolicy.RELIABLE)
        self._plans = self.create_publisher(PlanMsg, "plan", reliable)
        self._status = self.create_publisher(StatusEvent, "planner/status", QoSProfile(depth=TASK_QOS_DEPTH))
        self._queue: queue.Queue[tuple[str, object]] = queue.Queue(maxsize=self.settings.queue_depth)
        self._ids = itertools.count(1)
        self.planner: Planner | None = None
        self.load_error = ""
        self._closing = threading.Event()
        self._lock = threading.Lock()  # the worker and shutdown both may end the task in flight, only one does
        self._in_flight: _InFlight | None = None
        self._places: KnownPlaces | None = None  # the latest `places`, not yet given to the planner
        self.create_subscription(String, "places", self._on_places, LATCHED)
        self._worker = threading.Thread(target=self._work, name=WORKER_NAME)
        self._worker.start()

    def _on_places(self, msg: String) -> None:
        try:
            known = KnownPlaces.model_validate_json(msg.data[:1_000_000])
            with self._lock:
                self._places = known
        except ValidationError as error:
            self.get_logger().warning(f"places ignored (not a list of places): {error.errors()[0]['msg']}")

    def _apply_places(self) -> None:
        """On the worker, between tasks: plan with the bridge's latest places (warming the new prompt once)."""
        with self._lock:
            known, self._places = self._places, None
        if known is None or self.planner is None:
            return
        self.planner.set_places(known.book, known.refused)
        self.get_logger().info(f"places: {', '.join(self.planner.destinations.names)}")
        try:
            self.planner.warm_up()
        except Exception as error:  # noqa: BLE001 - the next task evaluates the prompt instead
            self.get_logger().warning(f"re-warm after a change of places failed: {type(error).__name__}: {error}")

    def _on_settings(self, settings: PlannerSettings) -> None:
        self.settings = settings
        if self.planner is not None:
            self.planner.settings = settings

    def _emit(self, state: str, task_id: str | None, task: object = None, reason: str | None = None,
              detail: str = "", latency_s: float | None = None) -> None:
        shown = task[:500] if isinstance(task, str) else None
        self._status.publish(status_event(state, task_id, shown, None, reason, detail, latency_s))
        text = f"{state} {task_id} {reason or ''} {detail}"
        if state in ("rejected", "dropped", "error"):
            self.get_logger().warning(text)
        else:
            self.get_logger().info(text)

    def _on_task(self, msg: String) -> None:
        task_id, task = parse_task_message(msg.data, f"task-{next(self._ids)}")
        self._emit("received", task_id, task)
        try:
            self._queue.put_nowait((task_id, task))
        except queue.Full:
            self._emit("dropped", task_id, task, "queue_full", f"{self.settings.queue_depth} tasks already waiting")

    def _load(self) -> None:
        s = self.settings
        try:
            self.planner = Planner(open_planner_backend(s), s)
        except Exception as error:  # noqa: BLE001 - reported on every task instead of crashing
            self.load_error = f"{type(error).__name__}: {error}"
            self.get_logger().error(f"planner has no model: {self.load_error}")
            self._emit("error", None, reason="model_unavailable", detail=self.load_error)
            return
        if self._closing.is_set():
            return  # no warm-up on the way out
        try:
            self.planner.warm_up()
        except Exception as error:  # noqa: BLE001 - a server may come up later: each task tries again
            self.get_logger().warning(f"warm-up failed, tasks will still be tried: {type(error).__name__}: {error}")
            return
        if self._closing.is_set():
            return
        where = s.openai_url if s.backend == "openai" else "model loaded"
        if getattr(self.planner.backend, "prefix_from_cache", False):
            where += ", prompt read from the prompt cache"
        self.get_logger().info(f"{where} and warmed up; ready for tasks")

    def _work(self) -> None:
        self._load()
        if self._closing.is_set():
            return
        # Subscribing only now makes "task has a subscriber" mean "the planner is ready".
        self.create_subscription(String, "task", self._on_task, QoSProfile(depth=TASK_QOS_DEPTH))
        while rclpy.ok() and not self._closing.is_set():
            if self._places is not None:
                self._apply_places()
            try:
                task_id, task = self._queue.get(timeout=0.2)
            except queue.Empty:
                continue
            if self._places is not None:
                self._apply_places()
            if self.planner is None:
                self._emit("error", task_id, task, "model_unavailable", self.load_error)
                continue
            self._emit("planning", task_id, task)
            in_flight = self._in_flight = _InFlight(task_id, task)
            outcome = self.planner.plan(task, self._streamer(in_flight) if self.settings.stream_steps else None,
                                        self._closing)
            with self._lock:
                if self._in_flight is not in_flight:
                    return  # shutdown reported it already (destroy_node)
                self._in_flight = None
                steps = outcome.plan_object()["steps"] if outcome.state == "planned" else None
                self._end(in_flight, outcome.state, outcome.reason, outcome.detail, outcome.latency_s, steps)

    def _end(self, in_flight: _InFlight, state: str, reason: str | None, detail: str,
             latency_s: float | None = None, steps: list | None = None) -> None:
        """A task's last plan message, if any, then its final event. `steps`: the whole plan;
        without them, steps already streamed are withdrawn (the bridge may have started them)."""
        if steps is not None:
            self._publish_plan(in_flight.id, in_flight.task, steps, final=True)
        elif in_flight.streamed:
            self._publish_plan(in_flight.id, in_flight.task, [], final=True, reason=reason)
        self._emit(state, in_flight.id, in_flight.task, reason, detail, latency_s)

    def _streamer(self, in_flight: _InFlight) -> Callable[[Plan, float], None]:
        def on_prefix(prefix: Plan, _seconds: float) -> None:
            with self._lock:
                if self._in_flight is in_flight:
                    in_flight.streamed = True
                    self._publish_plan(in_flight.id, in_flight.task, prefix.to_jsonable()["steps"], final=False)

        return on_prefix

    def destroy_node(self) -> None:
        """Cancel planning and wait for the worker, say which waiting tasks were dropped, and see
        those last messages delivered before the publishers go."""
        self._closing.set()
        self._worker.join(WORKER_JOIN_S)
        if self._worker.is_alive():
            self.get_logger().warning(f"the engine is still busy (loading, warming up or waiting for its server) "
                                      f"after {WORKER_JOIN_S:g} s; exiting without waiting for it")
        with self._lock:
            in_flight, self._in_flight = self._in_flight, None  # set only if the worker is stuck in the engine
            unfinished = [in_flight] if in_flight is not None else []
            while True:
                try:
                    unfinished.append(_InFlight(*self._queue.get_nowait()))
                except queue.Empty:
                    break
            for task in unfinished:
                self._end(task, "dropped", "cancelled", "the planner node is shutting down")
        for publisher in (self._plans, self._status):  # the last events and any withdrawal must not be lost
            publisher.wait_for_all_acked(Duration(seconds=ACK_WAIT_S))
        super().destroy_node()

    def _publish_plan(self, task_id: str, task: object, steps: list, final: bool, reason: str | None = None) -> None:
        self._plans.publish(plan_msg(task_id, task if isinstance(task, str) else "", steps, final, reason or ""))


def main(args: list[str] | None = None) -> None:
    spin_node(PlannerNode, args)
    if any(thread.name == WORKER_NAME and thread.is_alive() for thread in threading.enumerate()):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)  # ROS is shut down; only the engine's busy call is left (see the module docstring)


if __name__ == "__main__":
    main()
