"""A return that names no place is a go_to home; one to a place, or in a task that remembers a spot, is not."""

from __future__ import annotations

import pytest
from test_planner import ScriptedBackend

from llm_planner.plan.places import SIM_WORLD, named_places
from llm_planner.plan.returns import home_returns
from llm_planner.planning.planner import Planner


@pytest.mark.parametrize(("task", "words"), [
    ("Va jusqu'à la fenêtre, attends quinze secondes, puis reviens.", "reviens"),
    ("Podejdź do biurka, pomachaj, a potem wróć tutaj.", "wróć"),
    ("go to the desk, put your hands up, and then come back", "come back"),
    ("ドアまで行って、戻ってきて", "戻ってきて"),
])
def test_a_return_to_no_place_is_home(task, words):
    assert home_returns(task, SIM_WORLD) == [(words, "home")]


@pytest.mark.parametrize("task", [
    "go to the desk, then come back to the door",  # a known place
    "come back to the kitchen",  # an unknown one: still refused as such
    "reviens à la cuisine",
    "キッチンに戻ってきて",
    "remember this spot as A, walk 2 m and come back",  # maybe to A
    "ارجع إلى الخلف متراً ونصف",  # back is a direction
    "vuelve atrás dos metros",
])
def test_a_return_to_a_place_is_no_home(task):
    assert home_returns(task, SIM_WORLD) == []


def test_the_planner_may_go_home_where_the_task_comes_back():
    backend = ScriptedBackend("go_to window\ngo_to home\n")
    outcome = Planner(backend, places=SIM_WORLD).plan("go to the window, then come back")
    assert backend.calls[0][1].status("go_to window\ngo_to home\n") == "complete"
    assert "come back = home" in outcome.read_as


@pytest.mark.parametrize("task", ["vuelve a casa", "volta pra casa", "wracaj do domu", "geh nach Hause", "回家吧",
                                  "घर वापस जाओ", "ارجع إلى البيت"])
def test_home_in_words_is_the_home_place(task):
    assert named_places(task, SIM_WORLD) == ("home",)


def test_a_count_in_italian_is_no_portuguese_return():
    assert home_returns("E saluta con la mano 2 volte", SIM_WORLD) == []
