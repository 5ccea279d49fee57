"""`watch` and `demo --plot` against the real stack (real model, DDS, simulated robot), as a user runs them.

One stack start-up serves every check: `demo` brings the stack up and runs a task while
three `watch` processes attach to it: one exits after the task (`--count 1 --plot`), one
runs until Ctrl-C, one watches another namespace and must see nothing. The Follower that
both share is checked first without DDS, on what a StackClient would have recorded.
"""

from __future__ import annotations

import io
import json
import re
import signal
import subprocess
import sys

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from matplotlib.image import imread
from rich.console import Console

from llm_planner.tools.live_view import LiveView
from llm_planner.tools.task_progress import describe_step
from llm_planner.tools.trajectory_plot import PATH_COLOR, PLAN_COLOR
from llm_planner.tools.watch import Follower

TASK = "walk forward half a meter, turn left 90 degrees and wave"


def command(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "llm_planner", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL), **kwargs)


def colour_pixels(png, color: str) -> int:
    image = imread(png)
    assert image.shape[:2] == (600, 800)
    return int(np.sum(np.all(np.abs(image[:, :, :3] - np.array(to_rgb(color))) <= 0.04, axis=2)))


class RecordedClient:
    """What a StackClient records, without DDS: a streamed two-step plan that completes."""

    def __init__(self) -> None:
        walk = {"primitive": "walk", "direction": "forward", "distance_m": 1.0}
        self.plans = {"t1": {"steps": [walk]}}
        self.state = {"fsm_id": 500}
        self.first_motion_s = {"t1": 0.4}
        self.places = None  # no `places` heard
        self.trajectory = [(t / 10, t / 20, 0.0, 0.0) for t in range(21)]
        bridge = [("accepted", None, 0.1), ("step_started", 0, 0.2), ("step_succeeded", 0, 1.5),
                  ("step_started", 1, 1.6), ("step_succeeded", 1, 2.0), ("completed", None, 2.1)]
        self.later = [("t1", "bridge/status", *event) for event in bridge]
        self.events = [self._event("t1", "planner/status", "received", None, 0.0)]

    @staticmethod
    def _event(task_id, topic, state, step, t) -> dict:
        return {"id": task_id, "task": "walk forward 1 meter and wave", "state": state, "step": step, "reason": None,
                "detail": "", "latency_s": None, "topic": topic, "seen_at": t, "pose": (t / 2, 0.0, 0.0)}

    def wait_for(self, predicate, timeout: float) -> bool:
        if not predicate(self) and self.later:  # time passes: the next event arrives, the plan grows
            self.events.append(self._event(*self.later.pop(0)))
            if len(self.later) == 3:
                self.plans["t1"]["steps"].append({"primitive": "gesture", "name": "wave"})
        return predicate(self)

    def pose(self) -> dict:
        return {"x": 1.0, "y": 0.0, "yaw_deg": 0.0, "fsm_id": 500}

    def trajectory_between(self, start: float, end: float | None) -> list:
        return [s for s in self.trajectory if s[0] >= start and (end is None or s[0] <= end)]

    def ok(self) -> bool:
        return True


def test_follower_shows_a_streamed_plan_and_plots_the_task_when_it_ends(tmp_path):
    out = io.StringIO()
    with LiveView("watch", console=Console(file=out), live=False) as view:
        follower = Follower(RecordedClient(), view, tmp_path / "t.png")
        ended = []
        for _ in range(10):
            ended += follower.poll(0.0)
    assert [r.id for r in ended] == ["t1"]
    record = ended[0]
    assert [s.words for s in record.steps] == ["walk forward 1.0 m", "wave (wave a hand (greet, say hello or goodbye))"]
    assert [s.status for s in record.steps] == ["succeeded", "succeeded"] and record.first_motion_s == 0.4
    assert record.planned_poses()[-1][:2] == (1.05, 0.0)
    assert record.gestures() == [("wave", (0.8, 0.0, 0.0))]
    lines = out.getvalue().splitlines()
    assert "step 2/2 wave (wave a hand" in lines[5]
    assert lines[-1] == f"watch: plot of t1 written to {tmp_path / 't.png'}"
    assert colour_pixels(tmp_path / "t.png", PATH_COLOR) > 300


@pytest.mark.model
def test_watch_and_demo_show_and_draw_the_task(tmp_path):
    watch_png, demo_png = tmp_path / "watch.png", tmp_path / "demo.png"
    counted = command("watch", "--count", "1", "--plot", str(watch_png))
    endless = command("watch")
    elsewhere = command("watch", "--namespace", "elsewhere")
    try:
        demo = subprocess.run([sys.executable, "-m", "llm_planner", "demo", TASK, "--plot", str(demo_png)],
                              capture_output=True, text=True, timeout=300)
        assert demo.returncode == 0, demo.stderr[-3000:]  # no task ran: nothing for the watchers to see
        counted_out, counted_err = counted.communicate(timeout=120)  # it draws its plot first
        for watcher in (endless, elsewhere):
            watcher.send_signal(signal.SIGINT)
        endless_err, elsewhere_err = (w.communicate(timeout=20)[1] for w in (endless, elsewhere))
    finally:
        for process in (counted, endless, elsewhere):
            if process.poll() is None:
                process.kill()

    # demo: the JSON end state is still the only and last stdout line; the plot is written
    lines = demo.stdout.splitlines()
    assert len(lines) == 1
    result = json.loads(lines[-1])
    assert list(result) == ["x", "y", "yaw_deg", "fsm_id", "plan", "ok"] and result["ok"] is True
    steps = result["plan"]["steps"]
    assert steps, result
    assert colour_pixels(demo_png, PATH_COLOR) > 300

    # watch --count 1: exits 0 after the task, one plain line per event naming every step in words
    assert counted.returncode == 0, counted_err[-3000:]
    assert counted_out == ""
    assert "\x1b" not in counted_err
    # the task id is taken from the plot line: the task's first events may pass before the watcher has
    # met the planner (a loaded machine discovers slowly), and the bridge's id-less odometry event may come first
    match = re.search(r"watch: plot of (\S+) written to", counted_err)
    assert match and match.group(1) != "-", counted_err
    task_id = match.group(1)
    for number, step in enumerate(steps, 1):
        # "n/total" counts the steps known when the line was written: while the plan still streams in
        # (a loaded machine decodes slowly), step 1 may be 1/1 and step 2 2/2.
        succeeded = rf"step {number}/[{number}-{len(steps)}] {re.escape(describe_step(step))}: succeeded"
        assert re.search(succeeded, counted_err), counted_err
    assert f"watch: {task_id} bridge completed" in counted_err and "-> completed" in counted_err
    assert f"plot of {task_id} written to {watch_png}" in counted_err
    assert colour_pixels(watch_png, PATH_COLOR) > 300 and colour_pixels(watch_png, PLAN_COLOR) > 20

    # watch until Ctrl-C: exit 0, saw the task; another namespace: saw nothing
    assert endless.returncode == 0 and "-> completed" in endless_err, endless_err[-3000:]
    assert elsewhere.returncode == 0 and task_id not in elsewhere_err, elsewhere_err[-3000:]
    assert "watching tasks in /elsewhere" in elsewhere_err
