"""A number said twice is one number: confirmed ("90, yes, 90"), narrowed ("3 m, just 3 m"), said again as a
clause of its own, or replaced after trailing off ("1 m... 2 m?"). A small model planned each saying: a second
walk or turn, or a wait of the repeated number. And a word of waiting inside a correction is no wait step."""

from __future__ import annotations

import pytest

from llm_planner.plan.corrections import restated_numbers
from llm_planner.planning import units
from llm_planner.planning.normalize import grounded_numbers, normalize


@pytest.mark.parametrize(("task", "numbers"), [
    ("turn left sixty degrees, yes, sixty, then clap", (60.0,)),  # en
    ("gira a la derecha treinta grados, sí, treinta", (30.0,)),  # es
    ("recule de trois mètres, oui, juste trois mètres, puis assieds-toi", (3.0,)),  # fr
    ("obróć się w lewo o sześćdziesiąt stopni, tak, sześćdziesiąt", (60.0,)),  # pl
    ("geri 3 metre git. 3 metre. Sonra otur", (3.0,)),  # tr, said again as a sentence of its own
    ("वहाँ 4 मीटर पीछे जाओ, हाँ, बस 4 मीटर, और फिर बैठो", (4.0,)),  # hi (Devanagari's vowel signs in the unit)
    ("20秒…うん、20秒待って", (20.0,)),  # ja
    ("뒤로 2미터... 2.5미터? 응, 2.5미터 가", (2.5,)),  # ko: trailing off, then a new number
    ("امش إلى الخلف 4 أمتار، لا لا، 3 أمتار فقط، 3 أمتار", (3.0,)),  # ar: a correction, then its confirmation
    ("avanza de... 2 metri? Sì, dai, 2 metri", (2.0,)),  # it
])
def test_a_number_said_again_is_read_once(task: str, numbers: tuple[float, ...]) -> None:
    read = normalize(task)
    assert read.numbers == numbers, read


@pytest.mark.parametrize(("task", "numbers"), [
    ("walk 2 m, turn left, 2 m", (2.0, 2.0)),  # a clause of its own with no confirmation: a second walk
    ("count down 3... 2... 1 and wave", (3.0, 2.0, 1.0)),  # a countdown replaces nothing
    ("walk 1.15 m forward", (1.15,)),  # a decimal point is no pause
    ("turn 90 degrees, yes, and walk 90 cm", (90.0, 0.9)),
    ("clap 2 times. 2 m forward", (2.0, 2.0)),  # of another kind
])
def test_numbers_that_are_not_said_again_stay(task: str, numbers: tuple[float, ...]) -> None:
    assert normalize(task).numbers == numbers, normalize(task)


def test_the_unit_of_a_confirmed_number_stays_with_it() -> None:
    """"45 degrees, yes, 45": the 45 stays an angle, so a wait cannot take it."""
    read = normalize("turn right forty-five degrees, yes, forty-five, then clap twice")
    assert 45.0 not in grounded_numbers(read)["seconds"], read
    assert restated_numbers("30 centimetres, right, 30", units.dimension) == "30 centimetres"


@pytest.mark.parametrize(("task", "kept"), [
    ("walk forward two meters? no, wait, three", 3.0),  # a question mark before the correction
    ("camina dos metros, por favor? No, espera, tres metros", 3.0),
    ("idź do przodu cztery metry? Nie, czekaj... pięć metrów", 5.0),
])
def test_a_correction_after_a_question_mark(task: str, kept: float) -> None:
    assert normalize(task).numbers == (kept,), normalize(task)


@pytest.mark.parametrize("task", ["mmh, fai un passo... no aspetta, girati a destra", "recule, non, attends, avance",
                                  "idź w lewo, nie, czekaj, w prawo"])
def test_a_wait_inside_a_correction_is_no_wait_step(task: str) -> None:
    assert "wait" not in [meaning for _, meaning in normalize(task).glosses], normalize(task)


@pytest.mark.parametrize("task", ["aspetta 5 secondi e poi girati", "attends 3 secondes", "czekaj 2 sekundy"])
def test_a_wait_alone_is_still_a_wait(task: str) -> None:
    assert "wait" in [meaning for _, meaning in normalize(task).glosses], normalize(task)
