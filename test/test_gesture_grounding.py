"""A gesture only where the task has a word for one: the decoder cannot make one up.

A small model unsure of a task ("do the thing", a request it cannot do, a language it reads badly)
tends to answer with a wave; these pin down the words that open the gestures and the grammar that
closes them.
"""

from __future__ import annotations

import pytest
from test_planner import ScriptedBackend

from llm_planner.plan import language as plan_text
from llm_planner.plan.lexicon import GESTURE_WORDS, asks_for_gesture, named_gestures
from llm_planner.planning.planner import Planner
from llm_planner.planning.settings import PlannerSettings


def test_a_language_without_gestures_has_no_gesture_line() -> None:
    closed = plan_text.Language(gestures=())
    assert closed.status("gesture wave\n") == "invalid" and closed.status("walk forward 1\n") == "complete"
    assert "gesture ::=" not in closed.grammar() and '"gesture"' not in closed.grammar()
    clap = plan_text.Language(gestures=("clap",))
    assert clap.status("gesture clap\n") == "complete" and clap.status("gesture wave\n") == "invalid"
    assert '"clap"' in clap.grammar() and '"wave"' not in clap.grammar()
    assert plan_text.Language().status("gesture hug\n") == "complete"  # None: any gesture


def test_every_gesture_word_asks_for_a_gesture() -> None:
    for langs in GESTURE_WORDS.values():
        for words in langs.values():
            for word in words.split():
                spelled = word.strip("*").replace("_", " ")
                assert asks_for_gesture(f"please {spelled} now"), word


@pytest.mark.parametrize("task", [
    "say hello to our guests", "greet them", "make a 'no' gesture", "I could really use a big squeeze",
    "let's shake on it", "put your hands where I can see them", "salúdalos", "Dá um tchauzinho", "比个心",
    "Sag hallo", "dis bonjour", "скажи привет", "인사해", "手势", "नमस्ते करो", "مرحبا"])
def test_greetings_hands_and_gesture_words_open_the_gestures(task: str) -> None:
    assert asks_for_gesture(task)


@pytest.mark.parametrize("task", [
    "uhh you know... the thing. do the thing", "tell my husband dinner's ready", "walk forward two meters",
    "asdf qwer zxcv", "Sit down please", "gira a sinistra di novanta gradi", "向前走两米", "تقدم مترين"])
def test_tasks_without_such_words_get_no_gesture(task: str) -> None:
    assert not asks_for_gesture(task)


def test_the_planner_gives_the_model_no_gesture_for_a_task_without_one() -> None:
    backend = ScriptedBackend("refuse\n")
    Planner(backend).plan("do the thing, you know")
    grammar = backend.calls[0][1]
    assert grammar.status("gesture wave\n") == "invalid" and grammar.status("refuse\n") == "complete"
    open_backend = ScriptedBackend("gesture wave\n")
    assert Planner(open_backend).plan("say hi to everyone").state == "planned"
    off = ScriptedBackend("gesture wave\n")
    assert Planner(off, PlannerSettings(ground_gestures=False)).plan("do the thing").state == "planned"


@pytest.mark.parametrize(("task", "named"), [
    ("turn around and give grandma a big hug", ("hug",)),  # no wave after the hug
    ("stand up and make a heart with your hands, I'm taking a picture", ("heart",)),
    ("dreh dich um und klatsch zweimal", ("clap",)),
    ("un high five, poi un abbraccio", ("high_five", "hug")),
    ("greet our guests", None),  # a word that may ask for any gesture
    ("walk forward two meters", ()),
])
def test_a_plan_holds_only_the_gestures_the_task_names(task: str, named: tuple[str, ...] | None) -> None:
    assert named_gestures(task) == named
    backend = ScriptedBackend("gesture hug\n")
    Planner(backend).plan(task)
    grammar = backend.calls[0][1]
    for gesture in ("hug", "wave", "clap"):
        allowed = named is None or gesture in named
        assert (grammar.status(f"gesture {gesture}\n") == "complete") == allowed, (task, gesture)
