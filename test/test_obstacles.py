"""Obstacles said to be around the robot: their clauses are not read as orders, and no walk goes towards them."""

from __future__ import annotations

import pytest
from test_planner import ScriptedBackend

from llm_planner.plan.located_hazards import towards
from llm_planner.plan.obstacles import approached_obstacles, located_obstacles
from llm_planner.plan.places import SIM_WORLD
from llm_planner.plan.schema import GoTo, Plan, Walk
from llm_planner.planning.planner import Planner


@pytest.mark.parametrize(("task", "where", "read"), [
    ("Il y a une chaise à gauche. Avance de deux mètres.", 90.0, "Avance de deux mètres."),  # not the "y" of "and"
    ("Hay una silla a la izquierda. Camina dos metros hacia adelante.", 90.0, "Camina dos metros hacia adelante."),
    ("Links steht ein Stuhl. Geh zwei Meter vorwärts.", 90.0, "Geh zwei Meter vorwärts."),
    ("Слева стоит стул. Пройди два метра вперёд.", 90.0, "Пройди два метра вперёд."),
    ("Po lewej stoi krzesło. Idź dwa metry do przodu.", 90.0, "Idź dwa metry do przodu."),
    ("左边有一把椅子。向前走两米。", 90.0, "向前走两米。"),
    ("There's a box right in front of you, so walk backward 1 m", 0.0, "walk backward 1 m"),
    ("A dog is sleeping behind you. Turn right.", 180.0, "Turn right."),
])
def test_a_clause_that_only_places_an_obstacle_is_left_out_and_its_bearing_kept(task, where, read):
    assert located_obstacles(task) == ((where,), read)


@pytest.mark.parametrize("task", [
    "That's right, step right 1 m",  # no thing is placed
    "There is room on your left, step left 1 m",  # a free side
    "Walk to the chair on your left",  # an order: the screen decides
    "Step left one metre",
])
def test_a_task_that_places_no_obstacle_is_read_whole(task):
    assert located_obstacles(task) == ((), task)


def test_a_clause_that_also_asks_for_a_gesture_is_read_and_the_obstacle_still_kept():
    found = located_obstacles("There is a man on your left, wave at him. Then walk forward 1 m")
    assert found.bearings == (90.0,) and "wave" in found.text


def test_a_walk_towards_an_obstacle_is_refused_and_a_go_to_is_not():
    walk = Plan(steps=[Walk(direction="left", distance_m=1.0)])
    assert "obstacle" in towards(walk, [], (90.0,))
    assert towards(Plan(steps=[GoTo(place="door")]), [], (90.0,)) is None  # its path goes around furniture
    assert towards(Plan(steps=[Walk(direction="forward", distance_m=1.0)]), [], (90.0,)) is None


def test_the_planner_neither_reads_the_obstacle_clause_nor_walks_into_the_obstacle():
    backend = ScriptedBackend("walk forward 2\n")
    planned = Planner(backend).plan("Hay una silla a la izquierda. Camina dos metros hacia adelante.")
    assert planned.state == "planned", planned
    assert "izquierda" not in backend.calls[0][0][-1]["content"]
    wrong = Planner(ScriptedBackend("walk forward 2\n")).plan("There's a box in front of you. Walk forward 2 m.")
    assert (wrong.state, wrong.reason) == ("refused", "unsafe") and "obstacle" in wrong.detail, wrong


@pytest.mark.parametrize(("task", "thing"), [
    ("Иди прямо на собаку, пусть подвинется.", "собаку"), ("Karşındaki kişiye doğru üç metre yürü", "kişiye"),
    ("walk towards the man in front of you", "man"), ("Camina hacia el perro", "perro"),
    ("Marche droit sur la chaise", "chaise"), ("Geh auf den Hund zu", "Hund"), ("犬に向かって歩いて", "犬"),
    ("朝那个人走过去", "那个人"), ("사람 쪽으로 걸어가", "사람"), ("उस आदमी की ओर चलो", "आदमी"),
    ("امش نحو الكلب", "الكلب"),
])
def test_a_motion_sent_at_an_obstacle_is_found_in_every_language(task, thing):
    assert approached_obstacles(task, SIM_WORLD) == [thing]


@pytest.mark.parametrize("task", ["wave at the man", "go to the door where the man is", "Иди к столу",  # the desk
                                  "walk 2 m and then wave at the kids", "Walk at a slow pace toward the door"])
def test_no_motion_at_an_obstacle(task):
    assert approached_obstacles(task, SIM_WORLD) == []


def test_the_planner_refuses_a_walk_at_an_obstacle_before_the_model():
    backend = ScriptedBackend("walk forward 3\n")
    outcome = Planner(backend, places=SIM_WORLD).plan("Иди прямо на собаку, пусть подвинется.")
    assert (outcome.state, outcome.reason) == ("refused", "unsafe") and backend.calls == [], outcome


def test_a_thing_the_task_remembered_a_spot_as_is_a_place_to_go_to():
    task = "Запомни это место как «диван». Иди к столу и вернись к дивану."
    assert approached_obstacles(task, SIM_WORLD) == []
