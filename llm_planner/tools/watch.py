"""`python -m llm_planner watch`: follow every task of a running stack, live, until Ctrl-C.

Attaches to the status topics, the plans, the controller's state and requests of a stack
started elsewhere (`bringup`, the launch file, a real robot) and sends nothing. `Follower`
is the part `demo` shares: it feeds what a StackClient recorded into the task book, the
live view and, when a task ends, the plot.
"""

from __future__ import annotations

import os
from pathlib import Path

from llm_planner.tools.live_view import LiveView
from llm_planner.tools.task_progress import TaskBook, TaskProgress, summary
from llm_planner.tools.trajectory_plot import save_plot


class Follower:
    """Turns a StackClient's recordings into task progress, view updates and plots."""

    def __init__(self, client, view: LiveView, plot: str | Path | None = None) -> None:
        self.client = client
        self.view = view
        self.plot_path = Path(plot) if plot else None
        self.book = TaskBook()
        self._shown = 0

    def poll(self, timeout: float = 0.2) -> list[TaskProgress]:
        """Wait up to timeout for news, show it; return the tasks that ended meanwhile."""
        client = self.client
        client.wait_for(lambda c: len(c.events) > self._shown, timeout)
        ended = []
        for event in client.events[self._shown:]:
            self._shown += 1
            task_id = None if event.get("id") is None else str(event["id"])
            record = self.book.tasks.get(task_id)
            was_ended = record is not None and record.ended
            record = self.book.apply(event)
            if record is not None:
                self._refresh(record)
            ended_now = record is not None and record.ended and not was_ended
            self.view.event(event, record, ended_now)
            if ended_now:
                ended.append(record)
                if self.plot_path is not None:
                    self.plot(record)
        for record in self.book.tasks.values():
            if not record.ended:
                self._refresh(record)  # plans and first motion come without a status event
        self.view.update(self.book, client.pose() if client.state else None)
        return ended

    def _refresh(self, record: TaskProgress) -> None:
        plan = self.client.plans.get(record.id)
        if plan:
            record.set_steps(plan["steps"])
        if record.first_motion_s is None:
            record.first_motion_s = self.client.first_motion_s.get(record.id)

    def plot(self, record: TaskProgress) -> None:
        """Draw the task: the path walked while it ran, its planned route, its gestures."""
        if self.plot_path is None or record.started_at is None:
            return
        samples = self.client.trajectory_between(record.started_at, record.ended_at)
        path = [sample[1:] for sample in samples]
        known = self.client.places
        try:
            save_plot(self.plot_path, record.task or record.id, path,
                      record.planned_poses(known.destinations if known else None), record.gestures(),
                      outcome=f"{record.id}: {summary(record)}", places=known.places if known else ())
        except OSError as error:  # a plot is a by-product: say why, keep following
            self.view.message(f"error: cannot write {self.plot_path}: {error}", error=True)
            return
        self.view.message(f"plot of {record.id} written to {self.plot_path}")


def run_watch(namespace: str = "", count: int | None = None, plot: str | None = None) -> int:
    """Follow tasks until Ctrl-C (exit 0) or until `count` tasks have ended."""
    from llm_planner.tools.stack_client import running_client

    view = LiveView("watch")
    where = f"/{namespace.strip('/')}" if namespace else "/"
    ended = 0
    try:
        with running_client(f"watch_{os.getpid()}", namespace) as client, view:
            view.status(f"watching tasks in {where} (ROS_DOMAIN_ID={os.environ.get('ROS_DOMAIN_ID', '0')})"
                        + ("" if count else "; Ctrl-C to stop"))
            follower = Follower(client, view, plot)
            while client.ok() and (count is None or ended < count):
                ended += len(follower.poll(0.2))
    except KeyboardInterrupt:
        pass
    return 0
