"""Hazards a task names as where things are, not as where to go ("the stairs are on your left, so turn
right"). Such a task is planned, not refused, but the plan may never move towards the hazard: people tell a
robot what is around it, and refusing every task that mentions the stairs would make it useless beside them.

A mention counts as a located hazard only when its clause says the thing is somewhere (a word for "is" or
"there is") and where (a direction), and holds no word of motion ("walk to the stairs that are on your
left" is an order). The check on the plan needs no trust in that reading: it follows the robot's heading
through the plan's turns and rejects any walk whose direction is less than 90 degrees from the hazard's
bearing, and any go_to (its path is not known here).
"""

from __future__ import annotations

import math
import re
from functools import cache

from llm_planner.plan.lexicon import DIRECTION_WORDS, clause_ends, table_words, words_pattern
from llm_planner.plan.schema import GoTo, Plan, Turn, Walk

# The hazard kinds that are places; an action (run, jump) named is always an order or a refusal.
LOCATED_KINDS = frozenset({"edge", "stairs", "danger"})

# Bearings in degrees, left positive, from where the robot faces when the task is given.
BEARINGS = {"forward": 0.0, "left": 90.0, "backward": 180.0, "right": -90.0}

# Words that say where a thing is, besides the walk directions of the lexicon (which all count too).
WHERE_WORDS: dict[str, dict[str, str]] = {
    "forward": {"en": "in_front* front right_in_front* right_ahead straight_ahead",
                "es": "enfrente", "fr": "devant", "de": "vor_dir vor_ihnen vorn",
                "it": "davanti", "nl": "voor_je voor_u", "pl": "przed_tobą", "ru": "впереди перед_тобой",
                "tr": "önünde ileride", "ja": "前", "zh": "前", "ko": "앞", "hi": "सामने", "ar": "أمامك امامك"},
    "backward": {"en": "behind right_behind", "es": "detrás", "fr": "derrière", "de": "hinter_dir hinter_ihnen",
                 "it": "dietro",
                 "nl": "achter_je achter_u", "pl": "za_tobą", "ru": "сзади позади за_тобой", "tr": "arkanda arkada",
                 "ja": "後ろ", "zh": "后", "ko": "뒤", "ar": "خلفك"},
    "left": {"en": "left", "es": "izquierdo", "pt": "esquerdo", "it": "sinistro", "ko": "왼", "ru": "слева",
             "pl": "lewej", "tr": "solunda solda solumda", "ar": "يسارك"},
    "right": {"en": "right", "es": "derecho", "pt": "direito", "it": "destro", "ko": "오른", "ru": "справа",
              "pl": "prawej", "tr": "sağında sağda sağımda", "ar": "يمينك"},
}
# Words for "is there" / "is (somewhere)".
PRESENCE_WORDS = {
    "en": "is are there there's that's it's", "es": "está están hay queda quedan",
    "pt": "está estão tá tão fica ficam tem há", "fr": "est sont y_a trouve trouvent",
    "de": "ist sind liegt liegen gibt steht", "it": "è sono c'è trova trovano", "nl": "is zijn ligt liggen staat",
    "pl": "jest są stoi stoją leży leżą", "ru": "находится есть стоит стоят лежит лежат сидит",
    "tr": "var", "ja": "ある あり いる います", "ko": "있", "zh": "在 有", "hi": "है हैं",
    "ar": "يوجد توجد هناك"}
# Words of motion: a clause that has one orders a move, even where it also says where the hazard is.
MOTION_WORDS = {
    "en": "go walk head move step get come approach toward* towards into climb up down use take",
    "es": "ve vete camina anda acércate ir hacia hasta sube subir baja bajar usa",
    "pt": "vá vai anda caminha ir chegue até suba sobe desça desce",
    "fr": "va vas marche avance approche vers jusqu* monte descends",
    "de": "geh* lauf* komm* zur zum steig* hinauf hinunter", "it": "vai cammina avvicinati verso fino sali scendi",
    "nl": "ga loop naar", "pl": "idź podejdź", "ru": "иди подойди к", "tr": "git yürü", "ja": "行 歩 進んで 向か",
    "ko": "으로_가 로_가 걸어", "zh": "去 走 到 往", "hi": "जाओ चलो की_ओर", "ar": "اذهب امش"}
@cache
def motion_pattern() -> re.Pattern:
    """Any word of motion (MOTION_WORDS): the one pattern every reader of clauses shares."""
    return words_pattern(table_words(MOTION_WORDS))


@cache
def _patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern, list[tuple[re.Pattern, str]]]:
    presence, motion = words_pattern(table_words(PRESENCE_WORDS)), motion_pattern()
    ends = clause_ends()
    where = []
    for direction in BEARINGS:
        words = table_words(DIRECTION_WORDS[direction]) + table_words(WHERE_WORDS[direction])
        where.append((words_pattern(words), direction))
    return presence, motion, ends, where


def bearing(text: str, start: int, end: int) -> float | None:
    """The bearing of the hazard named at text[start:end] when its clause says where it is, else None."""
    presence, motion, ends, where = _patterns()
    before = [m.end() for m in ends.finditer(text, 0, start)]
    after = ends.search(text, end)
    clause_start, clause_end = (before[-1] if before else 0), (after.start() if after else len(text))
    clause = text[clause_start:clause_end]
    rest = clause[:start - clause_start] + " " + clause[end - clause_start:]  # the clause without the hazard
    if not presence.search(rest) or motion.search(rest):
        return None
    found = [(min(abs(m.start() - (end - clause_start)), abs(m.end() - (start - clause_start))), direction)
             for pattern, direction in where for m in pattern.finditer(rest)]
    return BEARINGS[min(found)[1]] if found else None


def towards(plan: Plan, bearings: list[float], obstacles: tuple[float, ...] = ()) -> str | None:
    """Why the plan moves towards a hazard at one of `bearings` or an obstacle at one of `obstacles`, or None:
    the heading follows the turns, and a walk less than 90 degrees from a bearing, or any go_to where there is a
    hazard, goes towards it (a go_to's path is planned around furniture, not around a drop)."""
    if not bearings and not obstacles:
        return None
    heading = 0.0
    for number, step in enumerate(plan.steps, 1):
        if isinstance(step, Turn):
            heading += step.angle_deg if step.direction == "left" else -step.angle_deg
        elif isinstance(step, GoTo) and bearings:
            return f"step {number}: go_to {step.place} with a hazard the task placed around the robot"
        elif isinstance(step, Walk):
            way = heading + BEARINGS[step.direction]
            for hazard in (*bearings, *obstacles):
                if math.cos(math.radians(way - hazard)) > 1e-6:
                    what = "a hazard" if hazard in bearings else "an obstacle"
                    return f"step {number}: walk {step.direction} goes towards {what} the task placed there"
    return None
