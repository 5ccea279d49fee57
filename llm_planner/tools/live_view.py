"""What the robot understood and did, shown live: a rich view on a terminal, plain lines elsewhere.

People would rather look than read JSON on three topics. On a terminal each task is a
panel (the task, its plan in words, each step's status, the outcome) above a line with the
robot's pose, redrawn as events arrive; a task that ends is printed once, for the scrollback.
Elsewhere (CI, pipes) each event is one plain line, with no escape codes. Takes plain data
(`task_progress` records and `StackClient.pose()` dicts), no ROS. Output goes to stderr:
stdout carries only results.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.panel import Panel
from rich.spinner import Spinner
from rich.table import Table
from rich.text import Text

from llm_planner.tools.task_progress import (
    BRIDGE_FINAL,
    PLANNER_FINAL,
    STEP_STATUS,
    TaskBook,
    TaskProgress,
    clean,
    pose_text,
    summary,
)
from robot_bridge.protocol import Fsm

FSM_NAMES = {int(f): f.name.lower().replace("_", " ") for f in Fsm}
STATUS_STYLE = {
    "pending": ("·", "dim"), "running": ("▶", "bold yellow"), "succeeded": ("✓", "green"),
    "failed": ("✗", "bold red"), "skipped": ("–", "dim"),
}


def robot_text(pose: dict | None) -> Text:
    """The robot's pose and FSM from `StackClient.pose()`."""
    if not pose:
        return Text("robot: no controller state yet", style="dim")
    fsm = pose.get("fsm_id")
    text = Text("robot  ", style="bold")
    text.append(f"x {pose['x']:.2f} m  y {pose['y']:.2f} m  yaw {pose['yaw_deg']:.1f}°  ")
    text.append(f"fsm {fsm} ({FSM_NAMES.get(fsm, 'unknown')})", style="cyan")
    return text


def task_panel(record: TaskProgress, now: float | None = None) -> Panel:
    """One task: its text, the plan in words with each step's status, and how it went."""
    table = Table(box=None, show_header=False, padding=(0, 1), expand=True)
    table.add_column(justify="right", style="dim", width=3)
    table.add_column()
    table.add_column(no_wrap=True)
    table.add_column(ratio=1, style="dim")  # the note takes the room the step's words leave
    for index, step in enumerate(record.steps, 1):
        mark, style = STATUS_STYLE.get(step.status, ("?", ""))
        note = " ".join(filter(None, [step.reason, clean(step.detail, 120)]))
        table.add_row(str(index), Text(step.words), Text(f"{mark} {step.status}", style=style), Text(note))
    parts: list[RenderableType] = [Text(clean(record.task) or "(task text not seen yet)", style="bold")]
    if record.steps:
        parts.append(table)
    elif record.outcome in PLANNER_FINAL | BRIDGE_FINAL:
        parts.append(Text("no plan", style="dim"))
    else:
        parts.append(Text(f"planner: {record.planner_state or 'waiting'}", style="dim"))
    line = summary(record)
    if not record.ended and record.started_at is not None:
        line += f"; {(now or time.monotonic()) - record.started_at:.1f} s so far"
    style = "green" if record.ok else ("bold red" if record.ended else "yellow")
    parts.append(Text(line, style=style))
    return Panel(Group(*parts), title=Text(clean(record.id, 60)), title_align="left",
                 border_style="green" if record.ok else ("red" if record.ended else "blue"))


def event_line(prefix: str, event: dict, record: TaskProgress | None, ended_now: bool = False) -> str:
    """One plain line for one event: the task, the step in words, what happened, why, and where."""
    state = str(event.get("state"))
    step = event.get("step")
    parts = [f"{prefix}: {clean(event.get('id') or '-', 60)}"]
    if isinstance(step, int) and record is not None and 0 <= step < len(record.steps):
        parts.append(f"step {step + 1}/{len(record.steps)} {record.steps[step].words}: {STEP_STATUS.get(state, state)}")
    else:
        parts.append(f"{'planner' if event.get('topic') == 'planner/status' else 'bridge'} {clean(state, 40)}")
    if event.get("reason"):
        parts.append(f"reason={clean(event['reason'], 80)}")
    if isinstance(event.get("latency_s"), (int, float)):
        parts.append(f"in {event['latency_s']:.2f} s")
    if state == "received" and event.get("task"):
        parts.append(f'"{clean(event["task"])}"')
    elif event.get("detail"):
        parts.append(f"({clean(event['detail'], 200)})")
    if state == "planned" and record is not None and record.steps:
        parts.append("plan: " + "; ".join(f"{i}. {s.words}" for i, s in enumerate(record.steps, 1)))
    if event.get("topic") == "bridge/status" and event.get("pose") is not None:
        parts.append(f"at {pose_text(event['pose'])}")
    if record is not None and ended_now:
        parts.append(f"-> {summary(record)}")
    return " ".join(parts)


class LiveView:
    """Rich live view on a terminal, else plain lines; use as a context manager around the following."""

    def __init__(self, prefix: str, console: Console | None = None, live: bool | None = None) -> None:
        self.prefix = prefix
        self.console = console or Console(stderr=True)
        self.live = (self.console.is_terminal and not self.console.is_dumb_terminal) if live is None else live
        self._status = ""
        self._book: TaskBook | None = None
        self._pose: dict | None = None
        self._live: Live | None = None

    @property
    def stream(self) -> TextIO:
        return self.console.file or sys.stderr

    def __enter__(self) -> LiveView:
        if self.live:
            self._live = Live(self._render(), console=self.console, refresh_per_second=4, transient=False,
                              redirect_stdout=False, redirect_stderr=False, get_renderable=self._render)
            self._live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._live is not None:
            self._status = ""
            self._live.stop()
            self._live = None

    def status(self, text: str) -> None:
        """What the command is doing or waiting for (a spinner line live, a plain line otherwise)."""
        self._status = text
        if not self.live:
            print(f"{self.prefix}: {text}", file=self.stream, flush=True)

    def message(self, text: str, error: bool = False) -> None:
        """A line that stays (an error, where the logs are)."""
        if self.live:
            self.console.print(Text(f"{self.prefix}: {text}", style="bold red" if error else ""))
        else:
            print(f"{self.prefix}: {text}", file=self.stream, flush=True)

    def event(self, event: dict, record: TaskProgress | None, ended_now: bool = False) -> None:
        """One event as it arrives; live, a task that ended now is printed once, above the live area."""
        if not self.live:
            print(event_line(self.prefix, event, record, ended_now), file=self.stream, flush=True)
        elif record is None:  # an event of no task: an e-stop, a plan rejected before it had an id, ...
            self.console.print(Text(event_line(self.prefix, event, None),
                                    style="bold red" if event.get("reason") else "yellow"))
        elif ended_now:
            self.console.print(task_panel(record))

    def update(self, book: TaskBook, pose: dict | None) -> None:
        """The tasks still running and the robot's pose, for the next redraw."""
        self._book, self._pose = book, pose
        if self._live is not None:
            self._live.refresh()

    def _render(self) -> RenderableType:
        now = time.monotonic()
        active = [r for r in (self._book.tasks.values() if self._book else ()) if not r.ended]
        parts: list[RenderableType] = [task_panel(r, now) for r in active[-3:]]
        parts.append(robot_text(self._pose))
        if self._status:
            parts.append(Spinner("dots", Text(self._status, style="dim")))
        return Group(*parts)
