"""The planner's plumbing with a scripted engine: input cleaning, outcomes and reasons.

The real model is exercised in test_real_model.py; here a fake engine returns fixed
text so each branch (plan, refusal, limit, engine failure, bad input) is pinned down.
"""

from __future__ import annotations

import threading

import pytest

from llm_planner.plan.places import SIM_WORLD
from llm_planner.planning.backend import ContextFull
from llm_planner.planning.planner import Planner, TaskError, clean_task
from llm_planner.planning.settings import PlannerSettings


class ScriptedBackend:
    """Returns a fixed completion and records what the planner asked for."""

    def __init__(self, text: str = "", error: Exception | None = None) -> None:
        self.text, self.error, self.calls = text, error, []

    def stream(self, messages, grammar, max_tokens):
        self.calls.append((messages, grammar, max_tokens))
        if self.error:
            raise self.error
        yield from self.text


def test_planned_outcome_carries_the_plan():
    backend = ScriptedBackend("walk forward 2\ngesture wave\n")
    outcome = Planner(backend).plan("walk two meters and wave")
    assert outcome.state == "planned"
    assert outcome.plan_object() == {"steps": [
        {"primitive": "walk", "direction": "forward", "distance_m": 2.0}, {"primitive": "gesture", "name": "wave"}]}
    messages, grammar, _ = backend.calls[0]
    assert messages[-1] == {"role": "user", "content": "walk forward 2 meters and wave"}  # digits; forward said
    assert grammar.status("walk forward 2\n") == "complete"
    assert grammar.status("walk forward 3\n") == "invalid"  # not a number of the task
    assert outcome.read_as == "walk forward 2 meters and wave"


def test_a_named_hazard_is_refused_before_the_model_reads_it():
    backend = ScriptedBackend("walk forward 2\n")
    outcome = Planner(backend).plan("walk 2 m, right off the edge of the platform")
    assert (outcome.state, outcome.reason, backend.calls) == ("refused", "unsafe", [])
    assert "edge" in outcome.detail
    assert Planner(backend).plan("do a little dance").reason == "not_possible"
    off = PlannerSettings(screen_hazards=False)
    assert Planner(ScriptedBackend("walk forward 2\n"), off).plan("walk 2 m to the edge").state == "planned"


def test_a_speed_over_the_limits_is_rejected_even_when_the_model_would_drop_it():
    backend = ScriptedBackend("turn right 180\n")
    outcome = Planner(backend).plan("spin right 180 at 90 degrees per second")
    assert (outcome.state, outcome.reason, backend.calls) == ("rejected", "speed_limit", [])
    assert "90 deg/s" in outcome.detail and "60 deg/s" in outcome.detail
    assert Planner(ScriptedBackend("walk forward 2 0.3\n")).plan("walk 2 m at 0.3 m/s").state == "planned"
    assert Planner(ScriptedBackend("walk forward 2\n")).plan("walk 2 m, never faster than 1 m/s").state == "planned"


def test_more_repetitions_than_steps_are_rejected():
    outcome = Planner(ScriptedBackend("gesture clap\n")).plan("clap nine times")
    assert (outcome.state, outcome.reason) == ("rejected", "too_many_steps")
    assert Planner(ScriptedBackend("gesture clap\ngesture clap\n")).plan("clap two times").state == "planned"
    for task in ("give me a dozen high fives", "박수 열두 번 쳐"):  # counted with no "times" word, or in one word
        assert Planner(ScriptedBackend("gesture high_five\n")).plan(task).reason == "too_many_steps", task
    covered = Planner(ScriptedBackend("walk forward 3\n")).plan("walk three meters forward in two seconds flat")
    assert (covered.state, covered.reason) == ("rejected", "speed_limit")  # 1.5 m/s


def test_refusal_outcome():
    outcome = Planner(ScriptedBackend("refuse\n")).plan("fly to the ceiling")
    assert (outcome.state, outcome.reason) == ("refused", "not_possible")
    assert outcome.plan_object() == {"steps": [], "reason": "not_possible"}


def test_limit_breach_is_rejected_with_reason():
    outcome = Planner(ScriptedBackend("walk forward 100\n")).plan("walk 100 m")
    assert (outcome.state, outcome.reason) == ("rejected", "distance_limit")
    assert outcome.plan_object() == {"steps": [], "reason": "distance_limit"}
    strict = PlannerSettings(max_distance_m=1.0)
    assert Planner(ScriptedBackend("walk forward 2\n"), strict).plan("walk 2 m").reason == "distance_limit"


def test_engine_failure_is_an_error_not_a_crash():
    outcome = Planner(ScriptedBackend(error=RuntimeError("llama_decode returned -1"))).plan("walk 1 m")
    assert (outcome.state, outcome.reason) == ("error", "engine_error")
    assert "llama_decode" in outcome.detail and outcome.plan_object() is None


def test_cancelling_stops_decoding_at_the_next_piece_and_streams_nothing_more():
    cancelled, prefixes = threading.Event(), []

    def on_prefix(prefix, _seconds):
        prefixes.append(len(prefix.steps))
        cancelled.set()  # as the node does on shutdown, while the model is still writing

    backend = ScriptedBackend("walk forward 1\nturn left 90\ngesture wave\n")
    outcome = Planner(backend).plan("walk, turn and wave", on_prefix, cancelled)
    assert (outcome.state, outcome.reason, outcome.plan) == ("dropped", "cancelled", None)
    assert prefixes == [1]
    assert Planner(backend).plan("wave", None, threading.Event()).state == "planned", "unset: no effect"


def test_unparsable_output_is_rejected():
    assert Planner(ScriptedBackend("wiggle wildly\n")).plan("wiggle").reason == "invalid_plan"


@pytest.mark.parametrize(("task", "reason"), [("", "empty_task"), ("  \n\t ", "empty_task"),
                                              ("\x00\x07\x1b", "empty_task"), ("x" * 3000, "task_too_long"),
                                              (None, "bad_task"), (42, "bad_task")])
def test_bad_input_is_rejected_before_the_model(task, reason):
    backend = ScriptedBackend("walk forward 1\n")
    outcome = Planner(backend).plan(task)
    assert (outcome.state, outcome.reason) == ("rejected", reason)
    assert backend.calls == []


def test_clean_task_strips_control_characters():
    assert clean_task("walk\x00 forward\n\n 1\tmeter\x1b", 100) == "walk forward 1 meter"
    with pytest.raises(TaskError):
        clean_task("abc", 2)


def streamed_prefixes(text: str) -> tuple[list[list[str]], str]:
    seen: list[list[str]] = []
    outcome = Planner(ScriptedBackend(text)).plan(
        "task", on_prefix=lambda plan, _t: seen.append([s.primitive for s in plan.steps]))
    return seen, outcome.state


def test_each_valid_prefix_is_streamed_as_its_line_completes():
    assert streamed_prefixes("walk forward 1\nturn left 90\ngesture wave\n") == (
        [["walk"], ["walk", "turn"], ["walk", "turn", "gesture"]], "planned")


def test_nothing_streams_for_a_refusal_or_a_bad_first_step():
    assert streamed_prefixes("refuse\n") == ([], "refused")
    assert streamed_prefixes("walk forward 50\nturn left 90\n") == ([], "rejected")


def test_streaming_stops_at_the_first_prefix_that_breaks_a_limit():
    # 4 + 4 m is inside the 10 m workspace, the third walk leaves it: the plan is rejected whole
    assert streamed_prefixes("walk forward 4\nwalk forward 4\nwalk forward 4\n") == (
        [["walk"], ["walk", "walk"]], "rejected")


def test_a_stated_count_ends_a_runaway_repetition():
    runaway = ScriptedBackend("gesture clap\n" * 12)
    outcome = Planner(runaway).plan("clap 5 times")
    assert outcome.state == "planned"
    assert outcome.plan_object() == {"steps": [{"primitive": "gesture", "name": "clap"}] * 5}
    # without a count nothing is cut: more lines than a plan may have are still rejected
    assert Planner(ScriptedBackend("gesture clap\n" * 12)).plan("clap for me").reason == "too_many_steps"
    # lines that alternate are no repetition ("walk a square, 4 times" is 8 lines)
    square = ScriptedBackend("walk forward 1\nturn left 90\n" * 4)
    assert len(Planner(square).plan("walk 1 m and turn left, 4 times").plan.steps) == 8


def test_a_shape_is_walked_round_once():
    """A model that goes round a square again is cut where the square ends: four sides and their corners."""
    runaway = ScriptedBackend("walk forward 1\nturn left 90\n" * 6)
    outcome = Planner(runaway).plan("walk a square with 1 m sides")
    assert outcome.state == "planned"
    assert outcome.plan_object()["steps"] == [{"primitive": "walk", "direction": "forward", "distance_m": 1.0},
                                              {"primitive": "turn", "direction": "left", "angle_deg": 90.0}] * 4


def test_back_where_a_shape_started_is_no_go_to_home():
    """A closed shape ends where it started: "and end up back where you started" reads as neither a walk
    backward nor a go_to home; without a shape it is a go_to home."""
    square = Planner(ScriptedBackend("walk forward 1\n")).plan("walk a 1 m square and end up back where you started")
    assert "home" not in square.read_as and "backward" not in square.read_as
    assert "home" in Planner(ScriptedBackend("go_to home\n")).plan("go back to where you started").read_as



def test_a_task_too_long_for_the_context_is_rejected_not_an_engine_error() -> None:
    outcome = Planner(ScriptedBackend(error=ContextFull("the prompt and the task are 4000 tokens"))).plan("walk")
    assert (outcome.state, outcome.reason) == ("rejected", "task_too_long"), outcome


@pytest.mark.parametrize(("raw", "steps"), [
    ("go_to desk\n" * 16, ["go_to"]), ("stop\n" * 16, ["stop"]),
    ("walk forward 1\ngo_to door\ngo_to door\ngesture wave\n", ["walk", "go_to"]),
])
def test_a_state_step_written_twice_in_a_row_ends_the_plan_at_the_first(raw, steps):
    outcome = Planner(ScriptedBackend(raw), places=SIM_WORLD).plan("go to the desk, walk 1 m, stop, go to the door")
    assert outcome.state == "planned", outcome
    assert [step.primitive for step in outcome.plan.steps] == steps


def test_a_gesture_written_twice_in_a_row_is_two_gestures():
    outcome = Planner(ScriptedBackend("gesture wave\ngesture wave\n")).plan("wave, and wave again")
    assert [step.primitive for step in outcome.plan.steps] == ["gesture", "gesture"]
