"""How single words are read before the model: a decimal said without its zero, and a verb that is both
"get up" and "raise" (the model reads the glosses, so a wrong one costs the task)."""

from __future__ import annotations

import pytest

from llm_planner.planning.normalize import normalize


@pytest.mark.parametrize(("task", "number"), [("walk three meters at point four meters per second", 0.4),
                                              ("wait point five seconds", 0.5),
                                              ("walk point seven five m", 0.75)])
def test_a_decimal_said_without_its_zero_is_a_number(task: str, number: float) -> None:
    assert number in normalize(task).numbers, normalize(task)


@pytest.mark.parametrize("task", ["go to point four", "remember this as point four and walk 1 m"])
def test_point_and_a_number_with_no_unit_is_a_name(task: str) -> None:
    assert "point 4" in normalize(task).text


@pytest.mark.parametrize(("task", "meaning"), [("levanta la mano y saluda", None), ("levanta os braços", "hands_up"),
                                               ("levanta y camina dos metros", "stand_up")])
def test_levanta_before_a_hand_raises_it(task: str, meaning: str | None) -> None:
    meanings = [m for _, m in normalize(task).glosses]
    assert "stand_up" not in meanings or meaning == "stand_up", meanings
    if meaning:
        assert meaning in meanings
