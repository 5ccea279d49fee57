"""The compact plan form: round trips, parse errors, and a grammar llama.cpp accepts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from llm_planner.plan import language as plan_text
from llm_planner.plan.schema import (
    GESTURE_MEANINGS,
    PRIMITIVES,
    Gesture,
    Plan,
    SitDown,
    StandUp,
    Stop,
    Turn,
    Wait,
    Walk,
)

numbers = st.decimals(min_value="0.001", max_value="9999", places=3).map(float)
steps = st.one_of(
    st.builds(StandUp), st.builds(SitDown), st.builds(Stop),
    st.builds(Walk, direction=st.sampled_from(["forward", "backward", "left", "right"]), distance_m=numbers,
              speed_mps=st.none() | numbers),
    st.builds(Turn, direction=st.sampled_from(["left", "right"]), angle_deg=numbers, speed_deg_s=st.none() | numbers),
    st.builds(Gesture, name=st.sampled_from(sorted(GESTURE_MEANINGS))),
    st.builds(Wait, seconds=numbers),
)


@given(st.lists(steps, max_size=10))
def test_render_parse_round_trip(step_list):
    plan = Plan(steps=step_list)
    assert plan_text.parse(plan_text.render(plan)) == plan


def test_parse_examples():
    plan = plan_text.parse("walk left 0.3\nturn right 45\ngesture high_five\n")
    assert plan.to_jsonable() == {"steps": [
        {"primitive": "walk", "direction": "left", "distance_m": 0.3},
        {"primitive": "turn", "direction": "right", "angle_deg": 45.0},
        {"primitive": "gesture", "name": "high_five"},
    ]}
    assert plan_text.parse("refuse\n").is_refusal


@pytest.mark.parametrize("text", ["", "fly 3", "walk forward", "walk forward 0", "walk up 2", "turn left 9 9 9",
                                  "gesture dance", "wait -1", "walk forward 2\nrefuse"])
def test_parse_rejects_non_plans(text):
    with pytest.raises(plan_text.PlanTextError):
        plan_text.parse(text)


def test_grammar_names_every_primitive_and_gesture():
    grammar = plan_text.grammar()
    for primitive in PRIMITIVES:
        assert f'"{primitive}"' in grammar
    for gesture in GESTURE_MEANINGS:
        assert f'"{gesture}"' in grammar


def test_grammar_compiles_in_llama_cpp():
    llama_cpp = pytest.importorskip("llama_cpp")
    assert llama_cpp.LlamaGrammar.from_string(plan_text.grammar(), verbose=False) is not None


@given(st.lists(steps, min_size=1, max_size=16))
def test_language_accepts_every_rendered_plan_and_each_prefix(step_list):
    language = plan_text.Language()
    text = plan_text.render(Plan(steps=step_list))
    assert language.status(text) == "complete"
    assert all(language.status(text[:n]) == "prefix" for n in range(1, len(text)) if not text[:n].endswith("\n"))


@pytest.mark.parametrize("text", ["fly", "walk  forward", "walk forward -1", "walk forward 12345", "refuse\nstop\n",
                                  "stop\n" * 17, "gesture wave now", "WALK forward 1"])
def test_language_rejects_what_the_grammar_rejects(text):
    assert plan_text.Language().status(text) == "invalid"


def test_the_plan_language_is_printable_ascii():
    """The decoder looks for a forced token among string.printable only (backend._ALPHABET)."""
    from llm_planner.planning.backend import _ALPHABET

    assert set(plan_text.grammar()) <= set(_ALPHABET)
    language = plan_text.Language(places=("home", "desk"))
    for text in ("", "walk forward ", "go_to d", "remember a", "gesture "):
        assert all(language.status(text + char) == "invalid" for char in "éдあ\x00\x7f\u00a0")
