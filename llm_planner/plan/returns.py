"""A return that names no place ("go to the desk, wave, then come back") is a go_to home.

A small model sent back with no place named went back to the last place it had gone to, or nowhere. A return
word counts as home only where it goes to no place, known or not ("come back to the door", "reviens à la
cuisine", "キッチンに戻ってきて"), nor backwards ("vuelve atrás"), in a task that remembers no spot of its own
(its return may be to that spot).
"""

from __future__ import annotations

import re
from functools import cache

from llm_planner.plan.lexicon import DIRECTION_WORDS, clauses, table_words, words_pattern
from llm_planner.plan.places import PlaceBook, mentions, remembers
from llm_planner.plan.schema import HOME

# Words for coming back, per language (space-separated; a phrase joins its words with "_").
RETURN_WORDS: dict[str, str] = {
    "en": "come_back get_back_here return_here", "fr": "reviens revenez", "es": "vuelve regresa ven_aquí",
    "pt": "volta volte", "it": "torna_qui torna_indietro ritorna_qui", "de": "komm_zurück komm_wieder_zurück",
    "nl": "kom_terug", "pl": "wróć", "ru": "вернись возвращайся", "tr": "geri_gel", "ja": "戻ってきて 戻って来て",
    "zh": "回来", "ko": "돌아와", "hi": "वापस_आओ वापस_आ_जाओ", "ar": "ارجع عد_إلى_هنا"}


_TO = re.compile(r"(?:に|へ|로|으로)\s*$")  # a destination's ending, right before the return: "キッチンに戻って"
_TO_AFTER = re.compile(r"\s*(?:to|into|at|à|au|aux|a|al|zu|zum|zur|in|ins|naar|do|na|к|в|на|pra|para|ao|"
                       r"nel|nella|alla)\b", re.IGNORECASE)  # a destination after it: "come back to the kitchen"


@cache
def _backward() -> re.Pattern:  # "ارجع إلى الخلف", "vuelve atrás": going back is a walk backward, not home
    return words_pattern(table_words(DIRECTION_WORDS["backward"]))


@cache
def _returns() -> re.Pattern:
    return words_pattern(table_words(RETURN_WORDS))


def home_returns(text: str, book: PlaceBook) -> list[tuple[str, str]]:
    """(words as written, home) for each return of the task that names no place."""
    if not _returns().search(text) or remembers(text):
        return []
    named = [start for start, _, _ in mentions(text, book)]
    found = []
    for start, end in clauses(text):
        said = _returns().search(text, start, end)
        if said and re.search(r"\d\s*$", text[:said.start()]):
            continue  # "saluta 2 volte": a count (Italian "times"), not Portuguese "come back"
        if said and not any(start <= at < end for at in named) and not _TO.search(text, start, said.start()) \
                and not _TO_AFTER.match(text, said.end()) and not _backward().search(text, said.end(), end):
            found.append((said[0], HOME))
    return list(dict.fromkeys(found))
