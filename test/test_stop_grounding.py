"""A stop only where the task has a word that may ask for one: a small model added a stop after "okay?"."""

from __future__ import annotations

import pytest
from test_planner import ScriptedBackend

from llm_planner.plan import language as plan_text
from llm_planner.plan.lexicon import PRIMITIVE_WORDS, STOP_HINTS, asks_to_stop
from llm_planner.planning.planner import Planner
from llm_planner.planning.settings import PlannerSettings


def test_a_language_without_stops_has_no_stop_line() -> None:
    closed = plan_text.Language(stops=False)
    assert closed.status("stop\n") == "invalid" and closed.status("walk forward 1\nstop\n") == "invalid"
    assert closed.status("walk forward 1\n") == "complete" and '"stop"' not in closed.grammar()
    assert plan_text.Language().status("stop\n") == "complete"
    assert plan_text.Language(places=("home",), stops=False)._remembering(("sofa",)).ground.stops is False


def test_every_stop_word_asks_to_stop() -> None:
    words = [w for ws in PRIMITIVE_WORDS["stop"].values() for w in ws.split()]
    words += [w for ws in STOP_HINTS.values() for w in ws.split()]
    for word in words:
        assert asks_to_stop(f"ok {word.strip('*').replace('_', ' ')} now"), word


@pytest.mark.parametrize("task", [
    "stop right there", "freeze!", "stand still for a moment", "don't move", "¡detente!", "arrête-toi",
    "bleib stehen und halt an", "fermati subito", "pare agora", "sta stil", "stój", "замри", "dur", "止まって",
    "别动", "멈춰", "रुक जाओ", "قف مكانك"])
def test_stop_words_in_many_languages(task: str) -> None:
    assert asks_to_stop(task)


@pytest.mark.parametrize("task", [
    "go to the charger, okay?", "Remember this spot as the porch, ¿sí? Luego go home", "walk forward two meters",
    "Geh zum Fenster und dann setz dich", "向前走两米", "문 쪽으로 가 줘", "दो मीटर आगे चलो"])
def test_tasks_without_such_words_get_no_stop(task: str) -> None:
    assert not asks_to_stop(task)


def test_the_planner_gives_the_model_no_stop_for_a_task_without_one() -> None:
    plan = "walk forward 1\nstop\n"  # the scripted backend writes it whatever the language: look at the language
    for settings, task, stops in ((PlannerSettings(), "walk forward one meter, okay?", False),
                                  (PlannerSettings(), "walk forward one meter and then stop", True),
                                  (PlannerSettings(ground_stops=False), "walk forward one meter, okay?", True)):
        backend = ScriptedBackend(plan)
        Planner(backend, settings).plan(task)
        assert (backend.calls[0][1].status(plan) == "complete") is stops, task
