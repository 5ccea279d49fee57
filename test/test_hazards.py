"""How far a negation reaches: it spares a hazard it negates, never one in the next clause.

A hazard screen that took "don't worry, just jump" for a negated jump would plan the jump.
"""

from __future__ import annotations

import pytest

from llm_planner.plan.hazards import hazards


@pytest.mark.parametrize(("task", "kind"), [
    ("don't worry, just jump", "jump"), ("no, I want you to jump off the table", "jump"),
    ("never mind the plan. run to the door", "speed"), ("no te preocupes, salta", "jump"),
    ("não, quero que você dance", "dance"),
])
def test_a_negation_ends_with_its_clause(task: str, kind: str) -> None:
    assert kind in [k for _, k, _ in hazards(task)], hazards(task)


@pytest.mark.parametrize("task", [
    "I'm not asking you to open the door, just turn right", "no te pido que bailes, solo saluda",
    "I don't want you to run, walk two meters", "je ne te demande pas de sauter, tourne à gauche",
    "ich will nicht, dass du springst",
])
def test_a_negation_reaches_through_request_words(task: str) -> None:
    assert hazards(task) == [], hazards(task)
