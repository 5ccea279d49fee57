"""The planner's core: task text in, validated plan (or a reasoned refusal) out. No ROS here.

The model only proposes; this module decides. Input is cleaned and bounded before
the model sees it, output is parsed by the plan models and checked against the
limits, and every way it can go wrong ends in an Outcome with a machine-readable reason.
"""

from __future__ import annotations

import dataclasses
import threading
import time
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from pydantic import BaseModel

from llm_planner.plan import language as plan_text
from llm_planner.plan.avoided_places import avoidance
from llm_planner.plan.hazards import named_hazards
from llm_planner.plan.language import render
from llm_planner.plan.lexicon import asks_to_stop, named_gestures
from llm_planner.plan.limits import Violation, check_plan
from llm_planner.plan.located_hazards import towards
from llm_planner.plan.obstacles import approached_obstacles, located_obstacles
from llm_planner.plan.places import (
    Destinations,
    PlaceBook,
    name_glosses,
    named_places,
    place_glosses,
    remembered_before,
    remembers,
    renamed_places,
)
from llm_planner.plan.returns import home_returns
from llm_planner.plan.schema import HOME, UNKNOWN_PLACE, GoTo, Plan, Remember, SitDown, StandUp, Stop
from llm_planner.plan.vague import unmeasured
from llm_planner.planning import prompt
from llm_planner.planning.backend import Backend
from llm_planner.planning.normalize import (
    TIMES,
    Normalized,
    counted_gestures,
    grounded_numbers,
    normalize,
    repetitions,
    stated_speeds,
)
from llm_planner.planning.settings import PlannerSettings


def open_planner_backend(settings: PlannerSettings) -> Backend:
    """The engine the settings ask for: the local model (loaded and verified now) or a server client."""
    if settings.backend == "openai":
        from llm_planner.planning.remote_backend import OpenAIBackend

        return OpenAIBackend(settings.openai_url, settings.openai_model, settings.openai_api_key_env,
                             settings.openai_timeout_s, settings.openai_max_retries)
    from llm_planner.planning.backend import open_backend

    return open_backend(settings)


@dataclass(frozen=True)
class Outcome:
    """What became of one task: state is planned, refused, rejected, error or dropped (cancelled)."""

    state: str
    plan: Plan | None
    reason: str | None = None
    detail: str = ""
    latency_s: float = 0.0
    raw: str = ""
    read_as: str = ""  # the task as the model read it (numbers as digits, units converted)

    def plan_object(self) -> dict | None:
        """The `plan` of the command-line contract: steps, or an empty refusal with its reason."""
        if self.state == "planned" and self.plan is not None:
            return self.plan.to_jsonable()
        if self.state in ("refused", "rejected"):
            return {"steps": [], "reason": self.reason}
        return None


class TaskError(ValueError):
    """A task that is not fit to give to the model; `reason` is machine-readable."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


def clean_task(task: object, max_chars: int) -> str:
    """Printable, single-spaced task text; raises TaskError for empty or oversized input."""
    if not isinstance(task, str):
        raise TaskError("bad_task", "task must be a string")
    if len(task) > max_chars:
        raise TaskError("task_too_long", f"task has {len(task)} characters, the limit is {max_chars}")
    printable = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in task)
    text = " ".join(printable.split())
    if not text:
        raise TaskError("empty_task", "task is empty")
    return text


def _repeats_past(raw: str, most: int, period: int = 1) -> bool:
    """Whether the complete lines of `raw` end with one block of `period` lines written more than `most`
    times in a row (period 1: one line; 2: a shape's side and corner)."""
    lines = raw.split("\n")[:-1]
    tail = lines[-period * (most + 1):]
    return len(tail) == period * (most + 1) and tail == tail[:period] * (most + 1)


def _in_task_order(glosses: tuple[tuple[str, str], ...], places: list[tuple[str, str]], task: str,
                   read: str) -> tuple[tuple[str, str], ...]:
    """The glosses with each place's put where the task names it: appended last, a small model went there
    last ("창문으로 가서 손 흔들어", to the window, then wave, became wave, go_to window)."""
    def at(words: str) -> int:
        found = task.lower().find(words.lower())
        return found if found >= 0 else read.lower().find(words.lower())
    merged = list(glosses)
    for place in places:
        where = at(place[0])
        later = next((i for i, (words, _) in enumerate(merged) if at(words) > where), len(merged))
        merged.insert(later if where >= 0 else len(merged), place)
    return tuple(merged)


def _with_places(read: Normalized, found: list[tuple[str, str]], named: tuple[str, ...],
                 task: str = "") -> tuple[Normalized, tuple[str, ...]]:
    """The task read with its place glosses, in the task's order. A closed shape ends where it started: its
    "and end up back where you started" is neither a go_to home nor a walk backward."""
    if read.corner_angles and any(name == HOME for _, name in found):
        found = [(words, name) for words, name in found if name != HOME]
        named = tuple(name for name in named if name != HOME)
        kept = tuple((words, meaning) for words, meaning in read.glosses
                     if not (meaning == "backward" and words.lower() == "back"))
        read = dataclasses.replace(read, glosses=kept)
    return dataclasses.replace(read, glosses=_in_task_order(read.glosses, found, task, read.text)), named


_UNKNOWN_LINE = render(Plan(steps=[GoTo(place=UNKNOWN_PLACE)]))  # "go_to unknown\n"
# Steps that set a state (posture, stopped, at a place, a saved name): the same one twice in a row changes
# nothing, and a small model that wrote one twice went on ("go_to desk" 16 times): its plan ends at the first.
_STATES = tuple(step.model_fields["primitive"].default for step in (StandUp, SitDown, Stop, GoTo, Remember))
MAX_COUNTED = 99  # the most repetitions of a gesture the screen reads ("a dozen claps")


class Planner:
    """Turns a task into an Outcome using any Backend; thread-compatible, not thread-safe."""

    def __init__(self, backend: Backend, settings: BaseModel | None = None, places: PlaceBook | None = None) -> None:
        self.backend = backend
        self.settings = settings or PlannerSettings()
        self.set_places(places or PlaceBook())

    def set_places(self, book: PlaceBook, refused: Mapping[str, str] | None = None) -> None:
        """The places a go_to may name from now on (`refused`: known ones not to be driven to now, and why).
        The prompt lists them, so the next task (or `warm_up`) evaluates a new prefix once."""
        self.places = book
        self.destinations = Destinations.of(book.places, refused)
        self.language = plan_text.Language(places=self.destinations.names)

    def _violations(self, plan: Plan, bearings: list[float], obstacles: tuple[float, ...] = ()) -> list[Violation]:
        """The limits the plan breaks, and a walk towards a hazard or obstacle the task placed around the robot."""
        found = check_plan(plan, self.settings, places=self.destinations)
        toward = towards(plan, bearings, obstacles)
        return [Violation("unsafe", toward), *found] if toward else found

    def _decode(self, text: Normalized | str, language: plan_text.Language,
                on_prefix: Callable[[Plan, float], None] | None, started: float,
                cancelled: threading.Event | None, bearings: list[float], obstacles: tuple[float, ...]) -> str | None:
        """Run the model; hand on each valid prefix of the plan as soon as its last line is complete.

        A prefix is handed on only if it parses and passes the limits as a plan of its own. The
        grammar allows `refuse` only as the whole output, so once a step line is complete the plan
        can no longer become a refusal; a later line can still break a plan-level limit (more
        steps than allowed, leaving the workspace), and then the whole plan is rejected.
        None: `cancelled` was set, checked before each piece.
        A task that says how often ("clap 6 times") bounds how often one line may repeat in a row: a small
        model that loses count goes on repeating, and its plan ends where the count does; a state step (_STATES)
        written twice in a row ends it too.
        """
        raw, steps, streaming = "", [], on_prefix is not None
        names = self.destinations.names
        counts = repetitions(text.text) if isinstance(text, Normalized) else []
        # a small model that walks a shape can go round it again: a shape's side and corner come its corners' times
        sides = max((round(360 / a) for a in text.corner_angles), default=0) if isinstance(text, Normalized) else 0
        for piece in self.backend.stream(prompt.messages(text, names), language, self.settings.max_tokens):
            if cancelled is not None and cancelled.is_set():
                return None
            raw += piece
            if _UNKNOWN_LINE in raw:  # a place the robot does not know: the plan is refused, whatever follows
                return raw[:raw.index(_UNKNOWN_LINE) + len(_UNKNOWN_LINE)]
            # the block written one time too many (a counted line; a shape's side and corner) is left out
            for most, period in ((max(counts, default=0), 1), (sides, 2)):
                if most and _repeats_past(raw, most, period):
                    return "".join(line + "\n" for line in raw.split("\n")[:-1][:-period])
            if _repeats_past(raw, 1) and raw.split("\n")[-2].split(" ")[0] in _STATES:
                return "".join(line + "\n" for line in raw.split("\n")[:-2])
            while streaming and raw.count("\n") > len(steps):
                line = raw.split("\n")[len(steps)]
                try:
                    steps.append(plan_text.parse_step(line))
                except (plan_text.PlanTextError, ValueError):
                    streaming = False
                    break
                prefix = Plan(steps=steps)
                if self._violations(prefix, bearings, obstacles):
                    streaming = False
                    break
                on_prefix(prefix, time.monotonic() - started)
        return raw

    def _screen(self, text: str,
                named: list[tuple[str, str, str, float | None]]) -> tuple[str, Plan | None, str, str] | None:
        """A refusal decided before the model: moving at an obstacle, a motion left unmeasured, a hazard the task
        asks for (of `named`, those with no bearing), going to a place the robot does not know, a speed over the
        limits, or more repetitions than a plan may have steps."""
        sent_at = approached_obstacles(text, self.places)  # "walk straight at the dog"
        if sent_at:
            return "refused", Plan(steps=[]), "unsafe", f"unsafe: moving into something or someone ({sent_at[0]!r})"
        vague = unmeasured(text)  # "walk a few steps to the left": how far, only the person knows
        if vague:
            return "refused", Plan(steps=[]), "not_possible", f"not possible: the task says not how far ({vague[0]!r})"
        for words, kind, why in ((w, k, y) for w, k, y, where in named if where is None):
            if kind == "place":
                if named_places(text, self.places) or remembered_before(text, words):
                    continue  # the model plans the go_to; a place it does not know becomes go_to unknown
                known = ", ".join(self.destinations.names)
                return "refused", Plan(steps=[]), "unknown_place", f"{words!r} is no known place; known: {known}"
            reason = "unsafe" if why.startswith("unsafe") else "not_possible"
            return "refused", Plan(steps=[]), reason, f"{why} ({kind}: {words!r})"
        speeds = stated_speeds(text)
        for field, limit, unit in (("speed_mps", self.settings.max_speed_mps, "m/s"),
                                   ("speed_deg_s", self.settings.max_turn_speed_deg_s, "deg/s")):
            fast = [v for v in speeds.get(field, ()) if v > limit]
            if fast:  # the model could drop the speed and plan the motion slower than asked: refused here
                return ("rejected", None, "speed_limit",
                        f"the task asks for {fast[0]:g} {unit}; the robot's limit is {limit:g} {unit}")
        counts = [n for n in repetitions(text) if n > self.settings.max_steps] + [  # "12 high fives" too, not
            n for words, _, n in counted_gestures(text, most=MAX_COUNTED)  # "wait 10 s, clap"
            if n > self.settings.max_steps and (TIMES.search(words) or len(words.split()) <= 2)]
        if counts:
            return ("rejected", None, "too_many_steps",
                    f"the task asks for {counts[0]} repetitions; a plan has at most {self.settings.max_steps} steps")
        return None

    def warm_up(self) -> None:
        warm = getattr(self.backend, "warm_up", None)
        if warm is not None:
            warm(prompt.messages("stand up", self.destinations.names), self.language)

    def plan(self, task: object, on_prefix: Callable[[Plan, float], None] | None = None,
             cancelled: threading.Event | None = None) -> Outcome:
        """Plan one task. `on_prefix(steps_so_far, seconds)` is called as each step line completes,
        only while the steps so far pass every check a whole plan gets (see `_decode`). Setting
        `cancelled` ends decoding at the next token with a `dropped` / `cancelled` outcome."""
        started = time.monotonic()

        read_as = ""

        def done(state: str, plan: Plan | None, reason: str | None = None, detail: str = "", raw: str = "") -> Outcome:
            return Outcome(state, plan, reason, detail, time.monotonic() - started, raw, read_as)

        try:
            text = clean_task(task, self.settings.max_task_chars)
        except TaskError as error:
            return done("rejected", None, error.reason, str(error))
        # A go_to may only name a place the task names (or be `unknown`): the decoder cannot make one up.
        # "the floor by the door is wet, stay away from it": no go_to there, and the model reads the rest only
        avoided, text = avoidance(text, self.places)
        obstacles, text = located_obstacles(text)  # "there's a chair on your left": no walk there, nor read as one
        named = tuple(name for name in named_places(text, self.places) if name not in avoided)
        returns = home_returns(text, self.places)  # "go to the window, then come back": home
        named = (*named, HOME) if returns and HOME not in named else named
        gestures = named_gestures(text) if self.settings.ground_gestures else None  # none made up
        # a remember may save the spot as a known place only where the remembering sentence names it
        kept = tuple(sorted(set(self.destinations.names) - set(renamed_places(text, self.places))))
        saves = remembers(text)  # and none at all where the task has no word for remembering
        stops = not self.settings.ground_stops or asks_to_stop(text)  # no stop after "okay?" either
        language, read = plan_text.Language(places=named, gestures=gestures, kept=kept, remembers=saves,
                                            stops=stops), text
        if self.settings.normalize_task:
            try:
                read = normalize(text)
                found = [gloss for gloss in place_glosses(text, self.places) if gloss[1] not in avoided]
                read, named = _with_places(read, found + returns + name_glosses(text), named, text)
                language = plan_text.Language(grounded_numbers(read) if self.settings.ground_numbers else None,
                                              named, gestures, kept, saves, stops)
            except Exception:  # noqa: BLE001 - a rewriting bug must cost understanding, never the task
                read = text
            read_as = prompt.user_text(read) if isinstance(read, Normalized) else text
        bearings: list[float] = []  # hazards the task says are around the robot ("the stairs are on your left")
        if self.settings.screen_hazards:
            words, languages = (read, None) if isinstance(read, str) else (read.text, read.languages)
            hazards_named = named_hazards(words, languages)  # one scan: the orders refuse, the rest are located
            refusal = self._screen(words, hazards_named)
            if refusal is not None:
                return done(*refusal)
            bearings = [where for *_, where in hazards_named if where is not None]
        try:
            raw = self._decode(read, language, on_prefix, started, cancelled, bearings, obstacles)
        except Exception as error:  # noqa: BLE001 - an engine failure must become a status, not a crash
            reason = getattr(error, "reason", "engine_error")  # RemoteError says what the server did
            state = "rejected" if reason == "task_too_long" else "error"  # ContextFull: the task, not the engine
            return done(state, None, reason, f"{type(error).__name__}: {error}")
        if raw is None:
            return done("dropped", None, "cancelled", "planning was cancelled before the plan was complete")
        try:
            plan = plan_text.parse(raw)
        except plan_text.PlanTextError as error:
            return done("rejected", None, "invalid_plan", str(error), raw)
        if plan.is_refusal:
            detail = "the task cannot be done safely with the robot's primitives"
            return done("refused", plan, "not_possible", detail, raw)
        violations = self._violations(plan, bearings, obstacles)
        if violations:
            detail = "; ".join(v.detail for v in violations)
            # the model said: not known; or the plan went towards a hazard: refused, as the screen would
            state = "refused" if violations[0].reason in ("unknown_place", "unsafe") else "rejected"
            return done(state, Plan(steps=[]) if state == "refused" else plan, violations[0].reason, detail, raw)
        return done("planned", plan, raw=raw)
