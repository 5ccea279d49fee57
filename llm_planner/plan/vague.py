"""Motions the task leaves unmeasured ("walk a few steps to the left", "往前挪一点点"): refused, not guessed.

A plan's numbers come from its task (the decoder is grounded on them), so a small model given "a bit" and no
number wrote another step instead: a turn of 90 degrees where the person wanted a small move. How far "a bit"
is, only the person knows. A clause counts as unmeasured when it has a vague amount, a word of motion or a
direction, in a sentence with no number at all ("a few steps back, about 80 centimetres" is measured).
"""

from __future__ import annotations

import re
from functools import cache

from llm_planner.plan.lexicon import DIRECTION_WORDS, clauses, table_words, words_pattern
from llm_planner.plan.located_hazards import MOTION_WORDS

# Vague amounts, per language (space-separated; a phrase joins its words with "_").
VAGUE_WORDS: dict[str, str] = {
    "en": "a_few_steps a_couple_of_steps some_steps a_bit a_little a_little_bit a_tad slightly somewhat a_smidge",
    "es": "unos_pasos un_poco un_poquito unos_pocos_pasos ligeramente",
    "fr": "quelques_pas un_peu un_petit_peu légèrement",
    "de": "ein_paar_schritte ein_bisschen ein_wenig ein_stück etwas_nach leicht",
    "it": "qualche_passo alcuni_passi un_po' un_pochino un_pò leggermente",
    "pt": "uns_passos alguns_passos um_pouco um_pouquinho ligeiramente",
    "nl": "een_paar_stappen een_beetje een_stukje iets_naar",
    "pl": "kilka_kroków trochę troszkę odrobinę",
    "ru": "несколько_шагов немного немножко чуть-чуть чуть слегка",
    "tr": "birkaç_adım biraz azıcık",
    "ja": "少し ちょっと 何歩か 数歩",
    "zh": "一点点 一点儿 稍微 几步 一些",
    "ko": "조금 약간 몇_걸음 살짝",
    "hi": "थोड़ा थोड़ी कुछ_कदम",
    "ar": "قليلا قليلاً بضع_خطوات",
}


@cache
def _patterns() -> tuple[re.Pattern, re.Pattern]:
    moving = table_words(MOTION_WORDS) + [w for table in DIRECTION_WORDS.values() for w in table_words(table)]
    return words_pattern(table_words(VAGUE_WORDS)), words_pattern(moving)


def unmeasured(text: str) -> list[str]:
    """The vague amounts of the task's motions that say no number (the words as written)."""
    vague, moving = _patterns()
    if not vague.search(text):
        return []
    found = []
    for sentence in re.finditer(r"[^.!?。！？;]+", text):  # the number may follow in the sentence: ", about 80 cm"
        if re.search(r"\d", sentence.group(0)):
            continue
        for start, end in clauses(sentence.group(0)):
            said = vague.search(sentence.group(0), start, end)
            if said and moving.search(sentence.group(0), start, end):
                found.append(said.group(0))
    return found
