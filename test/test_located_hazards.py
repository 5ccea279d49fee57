"""Hazards named as where things are: the task is planned, never towards them; an order to go there is refused."""

from __future__ import annotations

import pytest
from test_planner import ScriptedBackend

from llm_planner.plan.hazards import hazards, located_hazards
from llm_planner.plan.located_hazards import towards
from llm_planner.plan.schema import GoTo, Plan, Turn, Walk
from llm_planner.planning.normalize import normalize
from llm_planner.planning.planner import Planner


@pytest.mark.parametrize(("task", "kind", "where"), [
    ("careful, there is a drop-off behind you, so take one step forward", "edge", 180.0),
    ("the staircase is to your right and I want you to turn left", "stairs", -90.0),
    ("la escalera está a tu izquierda, así que gira a la derecha", "stairs", 90.0),
    ("die Kante ist direkt vor dir, also geh einen Meter zurück", "edge", 0.0),
    ("a escada fica do seu lado direito então anda para trás", "stairs", -90.0),
    ("崖は前にあるので、後ろに下がって", "edge", 0.0),
    ("오른쪽에 계단이 있으니까 왼쪽으로 돌아", "stairs", -90.0),
    ("楼梯在你后面，所以往前走一米", "stairs", 180.0),
    ("सीढ़ियाँ तुम्हारे पीछे हैं इसलिए आगे चलो", "stairs", 180.0),
])
def test_a_hazard_said_to_be_somewhere_is_located_not_refused(task: str, kind: str, where: float) -> None:
    read = normalize(task)
    assert hazards(read.text, read.languages) == [], hazards(read.text, read.languages)
    assert [(k, b) for _, k, b in located_hazards(read.text, read.languages)] == [(kind, where)]


@pytest.mark.parametrize("task", [
    "walk to the stairs on your left",
    "go near the edge that is on your left",
    "there are stairs behind you, climb them",
    "the edge is on your left, walk to the edge",
    "sube las escaleras que están a tu derecha",
    "walk off the edge",
])
def test_an_order_to_go_to_a_hazard_stays_a_hazard(task: str) -> None:
    read = normalize(task)
    assert hazards(read.text, read.languages), task


@pytest.mark.parametrize(("task", "kind"), [("don't go near the edge, just turn around", "edge"),
                                            ("geh nicht zu nah an die Kante und dreh dich um", "edge"),
                                            ("never walk close to the stairs", "stairs")])
def test_a_negated_approach_is_no_hazard(task: str, kind: str) -> None:
    assert kind not in [k for _, k, _ in hazards(task)]


def test_without_a_clause_break_a_negation_does_not_reach_past_other_words() -> None:
    assert "edge" in [k for _, k, _ in hazards("don't worry just walk to the edge")]


def test_the_plan_is_followed_through_its_turns() -> None:
    def plan(*steps) -> Plan:
        return Plan(steps=list(steps))
    left, right, walk = [90.0], "right", Walk
    assert towards(plan(Turn(direction=right, angle_deg=90), walk(direction="forward", distance_m=2)), left) is None
    assert towards(plan(walk(direction=right, distance_m=1), walk(direction="backward", distance_m=1)), left) is None
    assert towards(plan(walk(direction="left", distance_m=1)), left)
    assert towards(plan(Turn(direction="left", angle_deg=45), walk(direction="forward", distance_m=1)), left)
    assert towards(plan(Turn(direction=right, angle_deg=180), walk(direction=right, distance_m=1)), left)
    assert towards(plan(Turn(direction=right, angle_deg=180), walk(direction="backward", distance_m=1)), left) is None
    assert towards(plan(GoTo(place="door")), left)  # its path is not known: not trusted
    assert towards(plan(walk(direction="forward", distance_m=1)), [180.0]) is None
    assert towards(plan(walk(direction="left", distance_m=1)), []) is None


def test_the_planner_refuses_a_plan_that_walks_towards_a_located_hazard() -> None:
    task = "the stairs are on your left so turn right and walk two meters"
    planned = Planner(ScriptedBackend("turn right 90\nwalk forward 2\n")).plan(task)
    assert planned.state == "planned", planned
    wrong = Planner(ScriptedBackend("turn left 90\nwalk forward 2\n")).plan(task)
    assert (wrong.state, wrong.reason) == ("refused", "unsafe"), wrong
    assert "towards a hazard" in wrong.detail


def test_no_prefix_towards_a_located_hazard_is_streamed() -> None:
    seen: list[list[str]] = []
    outcome = Planner(ScriptedBackend("turn left 90\nwalk forward 2\n")).plan(
        "the stairs are on your left so turn right and walk two meters",
        on_prefix=lambda plan, _t: seen.append([s.primitive for s in plan.steps]))
    assert seen == [["turn"]]  # the turn alone moves nowhere; the walk towards the stairs is never handed on
    assert outcome.reason == "unsafe"
