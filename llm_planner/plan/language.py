"""The compact line form of a plan, which the model writes, and its decoding grammar.

One step per line: the primitive, then its fields in declaration order, e.g.
``walk forward 2`` or ``gesture wave``; a refusal is the single line ``refuse``.
It costs the model a fifth of the tokens of JSON. Rendering, parsing and the GBNF
grammar are all derived from the pydantic step models, so they cannot drift apart.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Literal, NamedTuple, Union, get_args, get_origin

import regex
from pydantic import TypeAdapter, ValidationError

from llm_planner.plan.schema import (
    IMPLIED_NUMBERS,
    PLACE_NAME_PATTERN,
    STEP_TYPES,
    UNKNOWN_PLACE,
    GestureName,
    GoTo,
    Plan,
    Remember,
    Step,
    Stop,
    Turn,
    Walk,
)

REFUSE = "refuse"
MAX_DECODED_STEPS = 16  # decoding bound; the configurable `max_steps` limit is checked by validation
_STEP_ADAPTER: TypeAdapter = TypeAdapter(Step)
_BY_PRIMITIVE = {t.model_fields["primitive"].default: t for t in STEP_TYPES}
_REMEMBER = Remember.model_fields["primitive"].default
_STOP = Stop.model_fields["primitive"].default
_MOVES = tuple(t.model_fields["primitive"].default for t in (Walk, Turn, GoTo))


def _remembered(text: str) -> tuple[str, ...]:
    """The places a go_to may name after the complete lines of `text`: those a remember line saved and a
    later line moved away from (a go_to straight after its remember goes nowhere: a made-up place)."""
    saved: list[str] = []
    pending: list[str] = []
    for line in text.split("\n")[:-1]:
        primitive, _, rest = line.partition(" ")
        if primitive == _REMEMBER:
            pending.append(rest)
        elif primitive in _MOVES and rest not in pending:  # going to the spot just saved moves nowhere
            saved += pending
            pending = []
    return tuple(dict.fromkeys(saved))


class PlanTextError(ValueError):
    """Text that is not a plan in the compact form, with the offending line."""


def _fields(step_type: type) -> list[tuple[str, object, bool]]:
    """(name, annotation, required) of a step's argument fields, in declaration order."""
    return [
        (name, field.annotation, field.is_required())
        for name, field in step_type.model_fields.items()
        if name != "primitive"
    ]


def _known_place(step_type: type, name: str) -> bool:
    """Whether the field names a place that must already be known (go_to's), not a new one (remember's)."""
    return (step_type.model_fields[name].json_schema_extra or {}).get("places") == "known"


def _base_type(annotation: object) -> object:
    """`float | None` -> float; Literal stays as is."""
    if get_origin(annotation) in (Union, types.UnionType):
        return next(arg for arg in get_args(annotation) if arg is not type(None))
    return annotation


def _format_number(value: float) -> str:
    """Plain decimal with at most 3 places, as the grammar writes numbers: 2.0 -> "2", 0.25 -> "0.25"."""
    return f"{value:.3f}".rstrip("0").rstrip(".")


def render(plan: Plan) -> str:
    """The compact text of a plan (few-shot examples and logs use it)."""
    if plan.is_refusal:
        return REFUSE + "\n"
    lines = []
    for step in plan.steps:
        words = [step.primitive]
        for name, _annotation, _required in _fields(type(step)):
            value = getattr(step, name)
            if value is not None:
                words.append(_format_number(value) if isinstance(value, float) else str(value))
        lines.append(" ".join(words))
    return "\n".join(lines) + "\n"


def parse_step(line: str) -> Step:
    """One line -> a validated step; raises PlanTextError or pydantic's ValidationError."""
    words = line.split()
    if not words or words[0] not in _BY_PRIMITIVE:
        raise PlanTextError(f"unknown primitive in line {line!r}")
    fields = _fields(_BY_PRIMITIVE[words[0]])
    if len(words) - 1 > len(fields):
        raise PlanTextError(f"too many arguments in line {line!r}")
    values: dict[str, object] = {"primitive": words[0]}
    for (name, _annotation, _required), word in zip(fields, words[1:]):
        values[name] = word
    return _STEP_ADAPTER.validate_python(values)


def parse(text: str) -> Plan:
    """Compact text -> Plan. Raises PlanTextError (with the reason) on anything else."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if lines == [REFUSE]:
        return Plan(steps=[])
    if not lines:
        raise PlanTextError("empty output")
    try:
        return Plan(steps=[parse_step(line) for line in lines])
    except ValidationError as error:
        raise PlanTextError(f"invalid step: {error.errors()[0]['msg']}") from error


_NUMBER = ("[0-9]{1,4}", "[0-9]{1,3}")  # integer digits, decimal digits: bounded length
_NAME_GBNF = "[a-z] [a-z0-9_]{0,31}"  # PLACE_NAME_PATTERN in GBNF
# The numbers a plan may use: None (any), the same for every numeric field, or per field name
# (a speed may not become a distance). Fields not named take none but their implied ones.
Numbers = tuple[float, ...] | dict[str, tuple[float, ...]] | None
# The places a go_to may name (and `unknown`, the planner's word for any other place); None: any name.
Places = tuple[str, ...] | None
# The gestures a gesture step may name; None: any.
Gestures = tuple[str, ...] | None


class Ground(NamedTuple):
    """What a plan's fields may take from its task: numbers, go_to places, gesture names (None: anything), and
    the known places a remember may not save the spot as (`kept`); `remembers`: whether a remember may be written
    at all (a task with no word for remembering got a made-up one: "اذهب إلى غرفة النوم" became remember bedroom);
    `stops`: whether a stop may be written (a small model added one after "okay?")."""

    numbers: Numbers = None
    places: Places = None
    gestures: Gestures = None
    kept: tuple[str, ...] = ()
    remembers: bool = True
    stops: bool = True


ANYTHING = Ground()


def _allowed(name: str, numbers: Numbers) -> list[str] | None:
    """The numbers field `name` may take, as written: the task's and the field's implied ones (None: any)."""
    if numbers is None:
        return None
    own = numbers.get(name, ()) if isinstance(numbers, dict) else numbers
    values = (*own, *IMPLIED_NUMBERS.get(name, ()))
    return sorted({_format_number(v) for v in values if 0 < v < 10_000}, key=lambda t: (len(t), t))


def _choices(known: bool, ground: Ground) -> list[str] | None:
    """The names a place field may take: any name (None), or for a go_to the known ones and, beside them,
    `unknown` (a go_to of a task that names no known place cannot be written at all); a remember's none
    where the task may not remember."""
    if not known:
        return None if ground.remembers else []
    if ground.places is None:
        return None
    return sorted({*ground.places, UNKNOWN_PLACE}) if ground.places else []


def _literals(base: object, gestures: Gestures) -> list[str]:
    """The values a Literal field may take: a gesture's only those `gestures` allows."""
    values = [str(value) for value in get_args(base)]
    return [v for v in values if v in gestures] if gestures is not None and base is GestureName else values


def _terminal(annotation: object, name: str, ground: Ground, known: bool) -> str | None:
    """GBNF for one field's value; None when no value is allowed."""
    base = _base_type(annotation)
    if base is str:
        choices = _choices(known, ground)
        if choices is None:
            return _NAME_GBNF
        return "(" + " | ".join(f'"{c}"' for c in choices) + ")" if choices else None
    if get_origin(base) is Literal:
        values = _literals(base, ground.gestures)
        return "(" + " | ".join(f'"{value}"' for value in values) + ")" if values else None
    if base is float:
        allowed = _allowed(name, ground.numbers)
        if allowed is None:
            return "number"
        return "(" + " | ".join(f'"{value}"' for value in allowed) + ")" if allowed else None
    raise TypeError(f"no grammar for field type {base!r}")


def _pattern(annotation: object, name: str, ground: Ground, known: bool) -> str | None:
    """Regular expression for one field's value (the same language as `_terminal`); None when none is allowed."""
    base = _base_type(annotation)
    if base is str:
        choices = _choices(known, ground)
        if choices is None:
            return f"(?:{PLACE_NAME_PATTERN})"
        return "(?:" + "|".join(map(regex.escape, choices)) + ")" if choices else None
    if get_origin(base) is Literal:
        values = _literals(base, ground.gestures)
        return "(?:" + "|".join(map(regex.escape, values)) + ")" if values else None
    if base is float:
        allowed = _allowed(name, ground.numbers)
        if allowed is None:
            return f"{_NUMBER[0]}(?:\\.{_NUMBER[1]})?"
        return "(?:" + "|".join(regex.escape(value) for value in allowed) + ")" if allowed else None
    raise TypeError(f"no pattern for field type {base!r}")


def _lines(ground: Ground, value: Callable[[object, str, Ground, bool], str | None],
           literal: Callable[[str], str], optional: Callable[[str], str], space: str) -> dict[str, str]:
    """Per primitive, its line in one notation; a primitive whose required field can take no value is left out."""
    lines = {}
    for primitive, step_type in _BY_PRIMITIVE.items():
        if primitive == _STOP and not ground.stops:
            continue
        line, possible = literal(primitive), True
        for name, annotation, required in _fields(step_type):
            piece = value(annotation, name, ground, _known_place(step_type, name))
            if piece is None:
                possible = possible and not required
                continue
            line += f"{space}{piece}" if required else optional(f"{space}{piece}")
        if possible:
            lines[primitive] = line
    return lines


def grammar(ground: Ground = ANYTHING) -> str:
    """GBNF for llama.cpp: a refusal, or 1..MAX_DECODED_STEPS well-formed step lines using only what `ground`
    allows."""
    lines = _lines(ground, _terminal, lambda p: f'"{p}"', lambda piece: f" ({piece})?", ' " " ')
    rules = [
        f'root ::= "{REFUSE}\\n" | step{{1,{MAX_DECODED_STEPS}}}',
        "step ::= (" + " | ".join(name.replace("_", "-") for name in lines) + ') "\\n"',
    ]
    rules += [f"{primitive.replace('_', '-')} ::= {body}" for primitive, body in lines.items()]
    rules.append(f'number ::= {_NUMBER[0]} ("." {_NUMBER[1]})?')
    return "\n".join(rules) + "\n"


def pattern(ground: Ground = ANYTHING) -> regex.Pattern:
    """The same language as `grammar(ground)` as a regular expression, for prefix checks while decoding."""
    lines = _lines(ground, _pattern, regex.escape, lambda piece: f"(?:{piece})?", " ")
    steps = "(?:(?:" + "|".join(lines.values()) + f")\\n){{1,{MAX_DECODED_STEPS}}}"
    return regex.compile(f"(?:{regex.escape(REFUSE)}\\n|{steps})")


class Language:
    """The compact plan language as a prefix checker for decoding (the same language as `grammar()`).

    `numbers` grounds a plan in its task: its numeric fields may then only take those numbers
    (and the field's implied ones, IMPLIED_NUMBERS), so the decoder cannot make a number up.
    `places` are the names a go_to may take, so it cannot make a place up either; `gestures` the gestures
    a step may name (none: a task with no word for one gets no gesture made up for it); `kept` the known
    places a remember may not overwrite; `remembers` whether a remember may be written at all; `stops` whether
    a stop may.
    """

    def __init__(self, numbers: Numbers = None, places: Places = None, gestures: Gestures = None,
                 kept: tuple[str, ...] = (), remembers: bool = True, stops: bool = True) -> None:
        self.ground = Ground(tuple(numbers) if isinstance(numbers, list) else numbers,
                             tuple(places) if places is not None else None,
                             tuple(gestures) if gestures is not None else None, tuple(kept), remembers, stops)
        self._pattern = pattern(self.ground)
        self._with: dict[tuple[str, ...], Language] = {}

    def grammar(self) -> str:
        return grammar(self.ground)

    def _remembering(self, names: tuple[str, ...]) -> Language:
        """This language with `names` among the go_to places, built once per set of names."""
        if names not in self._with:
            numbers, places, gestures, kept, remembers, stops = self.ground
            self._with[names] = Language(numbers, (*places, *names), gestures, kept, remembers, stops)
        return self._with[names]

    def _keeps(self, line: str) -> bool:
        """Whether a remember line, written so far, begins with a known place the task does not rename: a small
        model unable to spell the new name wrote a known one, and once that was barred, ran it on ("deskdoor")."""
        primitive, _, name = line.partition(" ")
        return primitive == _REMEMBER and name.startswith(self.ground.kept)

    def status(self, text: str) -> str:
        """'complete' (a whole plan), 'prefix' (can still become one) or 'invalid'. Once a remember line is
        complete and a move follows, a go_to may name the place it saved (a grammar for a server cannot: there it
        stays `unknown`)."""
        if self.ground.kept and _REMEMBER in text and any(self._keeps(line) for line in text.split("\n")):
            return "invalid"  # a remember that would save the spot as a known place the task does not rename
        remembered = _remembered(text)
        places = self.ground.places
        if remembered and places is not None and not set(remembered) <= set(places):
            return self._remembering(remembered).status(text)
        match = self._pattern.fullmatch(text, partial=True)
        if match is None:
            return "invalid"
        return "prefix" if match.partial else "complete"


def describe_vocabulary() -> str:
    """One line per primitive for the prompt: its line form and what it does."""
    lines = []
    for primitive, step_type in _BY_PRIMITIVE.items():
        args = []
        for name, annotation, required in _fields(step_type):
            base = _base_type(annotation)
            shown = "|".join(get_args(base)) if get_origin(base) is Literal else name.upper()
            args.append(shown if required else f"[{shown}]")
        doc = (step_type.__doc__ or "").strip().splitlines()[0]
        lines.append(f"{' '.join([primitive, *args])}  -- {doc}")
    return "\n".join(lines)


