"""The live view from a scripted sequence of status events: no ROS, no terminal needed."""

from __future__ import annotations

import io
import re

from rich.console import Console

from llm_planner.plan.schema import STEP_TYPES
from llm_planner.tools.live_view import LiveView, event_line, robot_text, task_panel
from llm_planner.tools.task_progress import STEP_WORDS, TaskBook, describe_step

PLAN = [{"primitive": "walk", "direction": "forward", "distance_m": 1.0},
        {"primitive": "turn", "direction": "left", "angle_deg": 90.0},
        {"primitive": "gesture", "name": "wave"}]
TASK = "walk forward 1 meter, turn left 90 degrees and wave"
ESCAPE = re.compile(r"\x1b")


def script(task_id: str = "t1", fail: bool = True) -> list[dict]:
    """What the status topics say for TASK, as StackClient records it (topic, pose, seen_at added)."""
    def ev(t: float, topic: str, state: str, step=None, reason=None, detail="", latency=None, pose=(0.0, 0.0, 0.0)):
        return {"stamp": t, "id": task_id, "task": TASK, "state": state, "step": step, "reason": reason,
                "detail": detail, "latency_s": latency, "topic": topic, "seen_at": t, "pose": pose}

    events = [ev(0.0, "planner/status", "received"), ev(0.1, "planner/status", "planning"),
              ev(0.3, "bridge/status", "accepted", detail="1 steps so far (streaming)"),
              ev(0.4, "bridge/status", "step_started", 0, detail="walk"),
              ev(0.5, "planner/status", "planned", latency=0.42),
              ev(4.0, "bridge/status", "step_succeeded", 0, detail="walked 1.00 m", pose=(1.0, 0.0, 0.0)),
              ev(4.1, "bridge/status", "step_started", 1, detail="turn", pose=(1.0, 0.0, 0.0))]
    if fail:
        events += [ev(5.0, "bridge/status", "step_failed", 1, "3104", "no response to SetVelocity"),
                   ev(5.1, "bridge/status", "aborted", reason="step_failed", detail="rest of plan skipped")]
    return events


def fold(events: list[dict]) -> TaskBook:
    book = TaskBook()
    for event in events:
        book.apply(event).set_steps(PLAN)
    return book


def test_steps_in_words_come_from_the_plan_models() -> None:
    assert [describe_step(s) for s in PLAN] == [
        "walk forward 1.0 m", "turn left 90°", "wave (wave a hand (greet, say hello or goodbye))"]
    assert describe_step({"primitive": "walk", "direction": "left", "distance_m": 0.25}) == \
        "walk left 0.25 m (side-step)"
    assert describe_step({"primitive": "fly"}).startswith("unknown step")
    assert set(STEP_WORDS) == set(STEP_TYPES)  # every primitive has its words
    assert describe_step({"primitive": "go_to", "place": "door"}) == "go to door"


def test_rich_view_shows_steps_statuses_and_the_reason() -> None:
    book = fold(script())
    record = book.tasks["t1"]
    assert [s.status for s in record.steps] == ["succeeded", "failed", "skipped"]
    console = Console(record=True, force_terminal=True, width=120)
    console.print(task_panel(record))
    console.print(robot_text({"x": 1.0, "y": 0.0, "yaw_deg": 45.0, "fsm_id": 500}))
    text = console.export_text()
    for expected in (TASK, "walk forward 1.0 m", "turn left 90°", "wave (wave a hand", "✓ succeeded",
                     "✗ failed", "3104", "no response to SetVelocity", "skipped", "aborted: step_failed",
                     "planning 0.42 s", "yaw 45.0°", "fsm 500 (locomotion)"):
        assert expected in text, f"{expected!r} not in\n{text}"


def test_rich_view_of_a_running_task() -> None:
    book = fold(script(fail=False))
    console = Console(record=True, force_terminal=True, width=100)
    console.print(task_panel(book.tasks["t1"], now=6.0))
    text = console.export_text()
    assert "▶ running" in text and "· pending" in text and "running step 2 of 3" in text and "6.0 s so far" in text


def test_live_view_prints_the_ended_task_once_and_ends_cleanly() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=100)
    book = TaskBook()
    with LiveView("watch", console=console) as view:
        assert view.live
        view.status("watching tasks in /")
        for event in script():
            record = book.apply(event)
            record.set_steps(PLAN)
            view.event(event, record, ended_now=record.ended and event["state"] == "aborted")
            view.update(book, {"x": 1.0, "y": 0.0, "yaw_deg": 45.0, "fsm_id": 500})
    shown = out.getvalue()
    assert ESCAPE.search(shown), "a terminal gets the rich view"
    assert shown.count("aborted: step_failed") == 1 and "turn left 90°" in shown
    assert shown.endswith("\x1b[?25h"), "the cursor is shown again"
    final = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown.rsplit("\x1b[2K", 1)[-1])
    assert final.strip() == "robot  x 1.00 m  y 0.00 m  yaw 45.0°  fsm 500 (locomotion)", "spinner gone at the end"


def test_plain_mode_is_one_line_per_event_without_escape_codes() -> None:
    out = io.StringIO()
    events = script()
    book = TaskBook()
    with LiveView("watch", console=Console(file=out, width=100), live=False) as view:
        assert view.live is False
        for event in events:
            record = book.apply(event)
            record.set_steps(PLAN)
            view.event(event, record, ended_now=event["state"] == "aborted")
    lines = out.getvalue().splitlines()
    assert len(lines) == len(events)
    assert not ESCAPE.search(out.getvalue())
    assert lines[0] == f'watch: t1 planner received "{TASK}"'
    assert "plan: 1. walk forward 1.0 m; 2. turn left 90°; 3. wave (wave a hand" in lines[4]
    assert lines[5].startswith("watch: t1 step 1/3 walk forward 1.0 m: succeeded (walked 1.00 m) at x=1.00")
    assert lines[7].startswith("watch: t1 step 2/3 turn left 90°: failed reason=3104 (no response to SetVelocity)")
    assert "-> aborted: step_failed" in lines[8]


def test_refusal_and_taskless_events() -> None:
    book = TaskBook()
    refused = {"id": "t2", "task": "jump off the table", "state": "refused", "step": None, "reason": "unsafe",
               "detail": "", "latency_s": 0.3, "topic": "planner/status", "seen_at": 1.0, "pose": None}
    record = book.apply(refused)
    assert record.ended and not record.ok and record.outcome == "refused"
    assert "reason=unsafe" in event_line("demo", refused, record, ended_now=True)
    estop = {"id": None, "state": "estop", "step": None, "reason": "estop", "detail": "Damp sent\x1b[2J",
             "topic": "bridge/status", "pose": None}
    assert book.apply(estop) is None and list(book.tasks) == ["t2"]
    line = event_line("watch", estop, None)
    assert "bridge estop reason=estop" in line and "\x1b" not in line


def test_malformed_events_are_shown_not_trusted() -> None:
    book = TaskBook()
    weird = {"id": ["x"], "task": 7, "state": None, "step": 10**9, "reason": 3104, "detail": None,
             "latency_s": "slow", "topic": "bridge/status", "seen_at": 0.0, "pose": None}
    record = book.apply(weird)
    assert record.id == "['x']" and record.steps == [] and record.task == "7"
    book.apply({**weird, "state": "step_failed", "step": -1})
    assert record.steps == []
    line = event_line("watch", weird, record)
    assert line.startswith("watch: ['x'] bridge None reason=3104") and "slow" not in line


def test_feedback_on_a_running_step_keeps_it_running() -> None:
    events = script(fail=False)
    feedback = dict(events[-1], state="step_feedback", detail="Nav2 to door: 2.00 m to go, 0 recoveries", seen_at=4.5)
    book = fold([*events, feedback])
    step = book.tasks["t1"].steps[1]
    assert (step.status, step.detail) == ("running", "Nav2 to door: 2.00 m to go, 0 recoveries")
    assert not book.tasks["t1"].ended
