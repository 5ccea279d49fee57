"""What became of each task, folded from the status events: plain data for the live view and the plot.

The status topics say what happened one event at a time; people want the task, its plan in
words and each step's outcome together. This module turns events (as `StackClient` records
them: each with its `topic`, the robot's `pose` and the monotonic time `seen_at` when it
arrived) into one `TaskProgress` per task. It imports no ROS, so views and tests use it alone.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from pydantic import TypeAdapter, ValidationError

from llm_planner.plan.places import Destinations
from llm_planner.plan.route import Pose, step_poses
from llm_planner.plan.schema import (
    GESTURE_MEANINGS,
    Gesture,
    GoTo,
    Remember,
    SitDown,
    StandUp,
    Step,
    Stop,
    Turn,
    Wait,
    Walk,
)

PLANNER_FINAL = frozenset({"refused", "rejected", "dropped", "error"})
BRIDGE_FINAL = frozenset({"completed", "aborted", "rejected", "preempted", "estop"})
STEP_STATUS = {"step_started": "running", "step_succeeded": "succeeded", "step_failed": "failed"}  # bridge event
MAX_STEP_INDEX = 255  # a step index beyond any plan's is ignored, not allocated

_STEP = TypeAdapter(Step)


def _number(value: float) -> str:
    """1.0 -> '1.0', 0.25 -> '0.25', 0.333 -> '0.33': short, but a distance keeps one decimal."""
    text = f"{value:.2f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def _walk(step: Walk) -> str:
    speed = f" at {_number(step.speed_mps)} m/s" if step.speed_mps else ""
    side = " (side-step)" if step.direction in ("left", "right") else ""
    return f"walk {step.direction} {_number(step.distance_m)} m{side}{speed}"


def _turn(step: Turn) -> str:
    speed = f" at {step.speed_deg_s:g}°/s" if step.speed_deg_s else ""
    return f"turn {step.direction} {step.angle_deg:g}°{speed}"


STEP_WORDS: dict[type, Callable] = {
    StandUp: lambda _s: "stand up",
    SitDown: lambda _s: "sit down",
    Walk: _walk,
    Turn: _turn,
    Gesture: lambda s: f"{s.name} ({GESTURE_MEANINGS[s.name]})",
    Wait: lambda s: f"wait {s.seconds:g} s",
    Stop: lambda _s: "stop (keep standing)",
    GoTo: lambda s: f"go to {s.place}",
    Remember: lambda s: f"remember this spot as {s.place}",
}


def parse_step(raw: object) -> Step | None:
    """A plan step as its model, or None for one the models do not accept."""
    try:
        return _STEP.validate_python(raw)
    except ValidationError:
        return None


def describe_step(step: object) -> str:
    """A step in words: 'walk forward 1.0 m', 'turn left 90°', 'wave (wave a hand ...)'; any other value
    (a raw step from the wire) is parsed first, and one the models reject is shown as unknown."""
    model = step if type(step) in STEP_WORDS else parse_step(step)
    if model is None:
        return f"unknown step {step!r}"[:80]
    return STEP_WORDS[type(model)](model)


def pose_text(pose: Pose | None) -> str:
    if pose is None:
        return "pose unknown"
    x, y, yaw = pose
    return f"x={x:.2f} y={y:.2f} yaw={math.degrees(math.atan2(math.sin(yaw), math.cos(yaw))):.1f}°"


@dataclass
class StepProgress:
    words: str
    step: Step | None = None
    status: str = "pending"
    reason: str | None = None
    detail: str = ""
    pose: Pose | None = None  # where the robot was when the step started


@dataclass
class TaskProgress:
    id: str
    task: str = ""
    steps: list[StepProgress] = field(default_factory=list)
    planner_state: str | None = None
    bridge_state: str | None = None
    outcome: str | None = None  # the final state, once the task has ended
    reason: str | None = None
    detail: str = ""
    latency_s: float | None = None  # the planner's time for the task
    first_motion_s: float | None = None  # first motion request after the task was first seen
    start_pose: Pose | None = None  # where the bridge started the plan
    started_at: float | None = None  # monotonic time the task was first seen
    ended_at: float | None = None

    @property
    def ended(self) -> bool:
        return self.outcome is not None

    @property
    def ok(self) -> bool:
        return self.outcome == "completed"

    def planned_poses(self, places: Destinations | None = None) -> list[Pose]:
        """The route the plan describes (start pose, then one pose per step), from where it started."""
        if self.start_pose is None or not self.steps:
            return []
        return step_poses([s.step for s in self.steps if s.step is not None], self.start_pose, places)

    def gestures(self) -> list[tuple[str, Pose]]:
        """Each gesture that started, with where the robot stood."""
        return [(s.step.name, s.pose) for s in self.steps
                if isinstance(s.step, Gesture) and s.pose is not None and s.status != "pending"]

    def set_steps(self, raw_steps: Iterable[object]) -> None:
        """The plan as it stands (streamed plans grow); step statuses stay with their index, as the bridge reports."""
        raw = list(raw_steps)
        if not raw:
            return  # a withdrawn plan: keep showing what was started
        for index, item in enumerate(raw):
            step = parse_step(item)
            words = describe_step(item if step is None else step)
            if index >= len(self.steps):
                self.steps.append(StepProgress(words, step))
            elif self.steps[index].step != step:
                self.steps[index].step, self.steps[index].words = step, words


class TaskBook:
    """Every task seen, in order of appearance (events of no task are only shown, by the view)."""

    def __init__(self) -> None:
        self.tasks: dict[str, TaskProgress] = {}

    def apply(self, event: dict) -> TaskProgress | None:
        """Fold one event in; returns its task (None for an event of no task, such as an e-stop)."""
        if event.get("id") is None:
            return None
        task_id = str(event["id"])
        record = self.tasks.get(task_id)
        if record is None:
            record = self.tasks[task_id] = TaskProgress(task_id, started_at=event.get("seen_at"))
        if event.get("task") and not record.task:
            record.task = str(event["task"])
        state, reason, detail = str(event.get("state")), event.get("reason"), str(event.get("detail") or "")
        reason = None if reason is None else str(reason)
        if event.get("topic") == "planner/status":
            record.planner_state = state
            if isinstance(event.get("latency_s"), (int, float)):
                record.latency_s = float(event["latency_s"])
            final = state in PLANNER_FINAL
        else:
            record.bridge_state = state
            if state == "accepted" and event.get("pose") is not None:
                record.start_pose = tuple(event["pose"])
            self._step_event(record, state, event)
            final = state in BRIDGE_FINAL
        if final and not record.ended:
            record.outcome, record.reason, record.detail = state, reason, detail
            record.ended_at = event.get("seen_at")
            self._close_steps(record, reason or state)
        return record

    @staticmethod
    def _step_event(record: TaskProgress, state: str, event: dict) -> None:
        index = event.get("step")
        known = state in STEP_STATUS or state == "step_feedback"
        if not known or not isinstance(index, int) or not 0 <= index <= MAX_STEP_INDEX:
            return
        while len(record.steps) <= index:  # the plan message may lag behind its first step event
            record.steps.append(StepProgress(words=clean(event.get("detail") or "step", 80)))
        step = record.steps[index]
        if state == "step_feedback":  # news of a running step (Nav2's distance to go), not its end
            step.detail = str(event.get("detail") or "")
            return
        step.status = STEP_STATUS[state]
        if step.status == "running":
            step.pose = tuple(event["pose"]) if event.get("pose") else None
        else:
            reason = event.get("reason")
            step.reason, step.detail = None if reason is None else str(reason), str(event.get("detail") or "")

    @staticmethod
    def _close_steps(record: TaskProgress, why: str) -> None:
        """A task that ended leaves no step running or pending."""
        for step in record.steps:
            if step.status == "running":
                step.status, step.reason = "failed", why
            elif step.status == "pending":
                step.status = "skipped"


def clean(text: object, limit: int = 300) -> str:
    """Text from the wire made safe to show: no control characters (no terminal escapes), bounded."""
    shown = "".join(c if c.isprintable() else "?" for c in str(text))
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def summary(record: TaskProgress) -> str:
    """One line on how a task went: its outcome or state, reason, and timings where known."""
    if record.ended:
        parts = [record.outcome + (f": {record.reason}" if record.reason and record.reason != record.outcome else "")]
        if record.detail and not record.ok:
            parts[0] += f" ({clean(record.detail, 120)})"
    else:
        running = [i for i, s in enumerate(record.steps, 1) if s.status == "running"]
        parts = [f"running step {running[0]} of {len(record.steps)}" if running
                 else record.bridge_state or record.planner_state or "seen"]
    if record.started_at is not None and record.ended_at is not None:
        parts.append(f"took {record.ended_at - record.started_at:.1f} s")
    if record.latency_s is not None:
        parts.append(f"planning {record.latency_s:.2f} s")
    if record.first_motion_s is not None:
        parts.append(f"first motion after {record.first_motion_s:.2f} s")
    return "; ".join(parts)
