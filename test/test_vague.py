"""A motion the task leaves unmeasured ("a few steps to the left") is refused before the model, not guessed."""

from __future__ import annotations

import pytest
from test_planner import ScriptedBackend

from llm_planner.plan.vague import unmeasured
from llm_planner.planning.normalize import normalize
from llm_planner.planning.planner import Planner


@pytest.mark.parametrize(("task", "words"), [
    ("Walk a few steps to the left, would you?", "a few steps"), ("往前挪一点点。", "一点点"),
    ("Geh ein bisschen nach vorne", "ein bisschen"), ("Ga een beetje naar voren", "een beetje"),
    ("Biraz ileri git", "Biraz"), ("少し前に進んで", "少し"), ("조금 앞으로 가", "조금"), ("थोड़ा आगे चलो", "थोड़ा"),
    ("امش قليلا إلى الأمام", "قليلا"), ("Avance un peu", "un peu"), ("Иди немного вперёд", "немного"),
    ("Walk forward 2 m. Then step a bit to the left.", "a bit"),  # its own sentence says no number
])
def test_a_vague_motion_with_no_number_is_unmeasured(task, words):
    assert unmeasured(normalize(task).text) == [words]


@pytest.mark.parametrize("task", [
    "take a few steps back, about 80 centimetres should do, and then wave",  # measured in its sentence
    "ちょっと right に 30 degrees ターンして", "wait a bit, then walk 2 m", "give me a little wave",
    "I am a bit tired, so sit down", "walk forward a bit more than 2 meters",
])
def test_a_measured_or_motionless_vague_word_is_no_refusal(task):
    assert unmeasured(normalize(task).text) == []


def test_the_planner_refuses_an_unmeasured_motion_before_the_model():
    backend = ScriptedBackend("turn left 90\n")
    outcome = Planner(backend).plan("Walk a few steps to the left, would you?")
    assert (outcome.state, outcome.reason, backend.calls) == ("refused", "not_possible", []), outcome
    assert "how far" in outcome.detail
