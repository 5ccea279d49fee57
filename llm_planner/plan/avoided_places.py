"""Places the task says to keep away from ("the floor by the door is wet, so stay away from it"): no go_to there.

A small model read such a place as a destination: it went to the door, then waved "no", then went where it was
sent. A place named in a clause that says to avoid it, or in the clause just before one that points back to it
("..., so don't go there"), and in no clause that moves there, is no destination of the task: the planner
neither glosses it nor lets the decoder write a go_to to it, and the model does not read the clauses that only
say so. Going nowhere near a place is always safe, so a wrong guess here costs a plan, never safety.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import NamedTuple

from llm_planner.plan.hazards import named_hazards
from llm_planner.plan.lexicon import clause_ends, clauses, table_words, without_clauses, words_pattern
from llm_planner.plan.located_hazards import motion_pattern
from llm_planner.plan.places import PlaceBook, mentions

# Words that say to keep away from a place, per language (space-separated; a phrase joins its words with "_").
AVOID_WORDS: dict[str, str] = {
    "en": "stay_away keep_away avoid* don't_go dont_go do_not_go not_go_to not_go_near stay_clear keep_clear "
          "don't_go_near don't_get_close don't_approach steer_clear",
    "es": "no_vayas no_vaya ni_te_acerques ni_se_acerque evita* evite* aléjate aléjese mantente_lejos "
          "no_te_acerques no_se_acerque",
    "fr": "évite* ne_va_pas n'y_va_pas n'y_va_surtout_pas n'y_va_jamais n'y_allez_pas "
          "reste_loin restez_loin éloigne-toi ne_t'approche_pas n'approche_pas",
    "de": "geh_nicht geh_bloß_nicht geh_da_nicht meide* halte_dich_fern halt_dich_fern bleib_weg bleib_da_weg "
          "bleib_da_bitte_weg bleib_bitte_weg bleib_dort_weg nicht_dorthin "
          "nicht_dahin komm_nicht_zu_nah",
    "it": "non_andare non_andarci non_ci_andare evita* stai_lontano stai_alla_larga allontanati non_avvicinarti",
    "pt": "não_vá não_vai não_va evite* evita* fica_longe fique_longe não_chegue não_se_aproxime nem_chega_perto "
          "nem_chegue_perto não_chega_perto",
    "nl": "ga_niet vermijd* blijf_weg blijf_uit_de_buurt uit_de_buurt niet_naartoe niet_heen "
          "kom_niet_in_de_buurt niet_komen",
    "pl": "nie_idź nie_chodź unikaj* omijaj* trzymaj_się_z_dala nie_podchodź",
    "ru": "не_ходи не_иди избегай* держись_подальше не_подходи обходи",
    "tr": "gitme gitmeyin yaklaşma yaklaşmayın uzak_dur kaçın*",
    "ja": "近づかないで 近寄らないで 行かないで 避けて",
    "zh": "别去 不要去 远离 避开 别靠近 不要靠近 别过去 不要过去",
    "ko": "가지_마 가지_말고 피해 가까이_가지",
    "hi": "मत_जाओ मत_जाना से_दूर_रहो दूर_रहना पास_मत mat_jaana mat_jana mat_jao",
    "ar": "لا_تذهب ابتعد تجنب لا_تقترب",
}
# Words that point back to a place just named ("..., so don't go there", "évite-la", "oraya gitme").
BACK_WORDS: dict[str, str] = {
    "en": "there it that_spot", "es": "allí allá ahí", "fr": "y *-la *-le là", "de": "dort dorthin da dahin",
    "it": "lì là ci", "pt": "lá ali", "nl": "daar", "pl": "tam", "ru": "туда там", "tr": "oraya orada",
    "ja": "そこ", "zh": "那里 那儿 那边", "ko": "거기", "hi": "वहाँ वहां उधर wahan wahaan", "ar": "هناك",
}


_REACH = 3  # clauses after a place's own within which a "don't go there" still points back to it


@cache
def _avoid() -> re.Pattern:
    return words_pattern(table_words(AVOID_WORDS))


@cache
def _back() -> re.Pattern:
    return words_pattern(table_words(BACK_WORDS))


class Avoidance(NamedTuple):
    """What the task says to keep away from: the places, and the task without the clauses that only say so."""

    places: tuple[str, ...]
    text: str


def avoidance(text: str, book: PlaceBook) -> Avoidance:
    """The known places the task names only to say to keep away from them, and the task without the clauses
    that say so ("There's a vase by the door, so avoid it; go to the desk" -> "go to the desk"): the model read
    them as orders. A clause that names a hazard, or one before the avoiding that also moves, is kept."""
    if not _avoid().search(text):  # most tasks: no clause to look at
        return Avoidance((), _trimmed(text) or text)
    spans = clauses(text)
    named = mentions(text, book)

    def clause_of(at: int) -> int:
        return next((i for i, (start, end) in enumerate(spans) if start <= at < end), -1)

    def moves(i: int) -> bool:
        return motion_pattern().search(text, *spans[i]) is not None

    avoid = [_avoid().search(text, start, end) is not None for start, end in spans]
    has_place = {clause_of(start) for start, _, _ in named}
    avoided: dict[str, set[int]] = {}
    wanted = set()
    for start, _, name in named:
        i = clause_of(start)
        if i < 0:
            continue
        back = i + 1 < len(spans) and avoid[i + 1] and i + 1 not in has_place and \
            _back().search(text, *spans[i + 1]) is not None
        if avoid[i]:
            avoided.setdefault(name, set()).add(i)
        elif back:
            avoided.setdefault(name, set()).update({i + 1} if moves(i) else {i, i + 1})
        elif later := _avoided_later(i, avoid, has_place, moves):
            avoided.setdefault(name, set()).update(later)
        elif moves(i):  # sent there too ("go to the door, not the window")
            wanted.add(name)
    places = tuple(sorted(set(avoided) - wanted))
    for start, _, name in named:  # where an avoided place is only said to be ("the floor by the window is wet")
        if name in places and not moves(clause_of(start)):
            avoided[name].add(clause_of(start))
    dropped = {i for name in places for i in avoided[name] if not named_hazards(text[slice(*spans[i])])}
    return Avoidance(places, _trimmed(without_clauses(text, spans, dropped)) or text)


def _avoided_later(i: int, avoid: list[bool], has_place: set[int], moves: Callable[[int], bool]) -> set[int]:
    """Clause `i`, which names a place and sends nowhere, and the clauses up to one a few clauses on that says
    to keep away and names no place of its own: what it keeps away from is that place ("У двери разлили масло,
    пол там скользкий, так что туда не ходи"; "门口那边有碎玻璃,……。你千万别过去"). None where a clause between
    names a place or moves, or none says to keep away."""
    if moves(i):
        return set()
    for j in range(i + 1, min(i + 1 + _REACH, len(avoid))):
        if j in has_place or (moves(j) and not avoid[j]):
            return set()
        if avoid[j]:
            return set(range(i, j + 1))
    return set()


def _trimmed(text: str) -> str:
    """`text` without what ends its last clause (punctuation, "and", "so"), as the kept clauses end."""
    return re.sub(rf"(?:\s|{clause_ends().pattern})+$", "", text, flags=re.IGNORECASE).strip()
