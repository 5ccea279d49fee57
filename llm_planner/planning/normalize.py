"""What the model reads: the task with its numbers as digits and its units in metres, degrees and seconds.

Deterministic and meaning-preserving: only number words, fractions and units are rewritten, and
what the task takes back and the courtesies that end it are left out; everything else is left as
the person wrote it. The languages applied are guessed from the
script and from a few common words of each language (a short robot command gives a
language-identification library too little to go on); English is always applied, since
people mix it into every language. The numbers in the result are the only ones a plan
may use, besides the vocabulary's implied ones (`grounded_numbers`). Glosses come from the
task as written, before any rewriting ("batti il cinque" is a high five, not "batti il 5").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import get_args

from llm_planner.plan.corrections import (
    corrected,
    corrected_gestures,
    corrected_numbers,
    only_hesitation,
    restated_numbers,
    without_courtesy,
)
from llm_planner.plan.hazards import without_donts
from llm_planner.plan.lexicon import (
    LIMB_SIGNS,
    LIMB_WORDS,
    TURN_AROUND,
    direction_spans,
    glosses,
    shapes,
    vocabulary_spans,
    word_languages,
)
from llm_planner.plan.schema import GestureName
from llm_planner.planning import numbers, units
from llm_planner.planning.units import DEGREE_WORDS, METRE_WORDS
from llm_planner.planning.units import SECONDS as SECONDS_WORDS

# Common words that say which Latin-script language a short command is in (function words and
# motion words; never numbers, which are what we are trying to read).
MARKERS: dict[str, frozenset[str]] = {lang: frozenset(words.split()) for lang, words in {
    "es": "camina caminar anda gira girar gire por favor hacia adelante atrás izquierda derecha metros metro y "
          "luego después espera saluda aplaude date vuelta la el los las de del un una dos tres grados segundos",
    "fr": "avance avancer marche recule tourne tourner vers gauche droite mètres mètre puis et ensuite attends "
          "salue applaudis s'il te plaît vous de des le la les un une deux trois degrés secondes fais",
    "de": "geh gehe laufe lauf dreh drehe dich nach vorne vorwärts rückwärts links rechts meter und dann warte "
          "winke klatsche bitte einen eine zwei drei grad sekunden zurück",
    "it": "cammina vai gira girati avanti indietro sinistra destra metri metro e poi aspetta saluta applaudi "
          "per favore un una due tre gradi secondi di mani volte volta fai dammi alla sulla della",
    "pt": "vira recua faz bate ponteiros relógio ande anda caminhe vá gire vire para frente trás esquerda direita "
          "metros metro e depois espere acene bata palmas por favor um uma dois três graus segundos",
    "nl": "loop ga draai naar voren achteren links rechts meter en dan wacht zwaai klap alsjeblieft een twee "
          "drie graden seconden stap",
    "sv": "gå gå vänd dig framåt bakåt vänster höger meter och sedan vänta vinka klappa snälla en ett två tre "
          "grader sekunder",
    "nb": "gå snu deg fremover bakover venstre høyre meter og så vent vink klapp vær så snill en tre grader",
    "da": "gå drej dig fremad baglæns venstre højre meter og så vent vink klap",
    "pl": "idź iść obróć się do przodu tyłu w lewo prawo metry metrów metra i potem czekaj poczekaj pomachaj "
          "klaśnij proszę stopni sekund jeden dwa trzy",
    "cs": "jdi běž otoč se dopředu dozadu doleva doprava metry metrů a pak počkej zamávej zatleskej prosím",
    "tr": "yürü git dön ileri geri sola sağa metre ve sonra bekle el salla alkışla lütfen derece saniye bir iki",
    "id": "jalan maju mundur belok kiri kanan meter dan lalu tunggu lambaikan tepuk tolong derajat detik",
    "tl": "lumakad maglakad humarap kaliwa kanan metro tapos maghintay kumaway pumalakpak pakiusap ka ng sa",
    "hi_latn": "aage peeche chalo chal mudo mud baaye baayen daaye daayen karo kar aur phir ruko meter "
               "haath hilao taali bajao seedha piche baar",
    "vi": "đi tiến lùi quay rẽ trái phải mét và sau đó chờ đợi vẫy tay vỗ làm ơn độ giây",
    "en": "walk go turn move step forward back backward left right and then wait wave clap please the a",
}.items()}
SCRIPTS = (("HANGUL", "ko"), ("HIRAGANA", "ja"), ("KATAKANA", "ja"), ("CJK", "zh"), ("ARABIC", "ar"),
           ("DEVANAGARI", "hi"), ("CYRILLIC", "ru"), ("HEBREW", "he"))
UKRAINIAN = set("іїєґ")


# "<N> times" in many languages: a count of repetitions, each one a step of its own.
TIMES_WORDS = (r"x\b|×|times\b|veces\b|fois\b|mal\b|maal\b|volte\b|vezes\b|keer\b|gånger\b|ganger\b|gange\b|razy\b|"
               r"raz\b|krát\b|kez\b|kere\b|defa\b|kali\b|lần\b|beses\b|baar\b|раз\w*|бар|बार|次|回|下(?![来去面边午])|번|مرات|مرة")
TIMES = re.compile(rf"(?<![\d.])(\d+)\s*(?:{TIMES_WORDS})", re.IGNORECASE)


def repetitions(text: str) -> list[int]:
    """The repetition counts a normalized task asks for ("clap 9 times" -> [9])."""
    return [int(n) for n in TIMES.findall(text)]


_GESTURES = frozenset(get_args(GestureName))
_CLAUSE_END = re.compile(r"[,.;:!?、。，；！？]|\d")


def _near(text: str, start: int, end: int, words: int) -> bool:
    """Whether `text[start:end]` (what stands between a count and its gesture) is at most `words` words
    of one clause."""
    between = text[start:end]
    return start <= end and not _CLAUSE_END.search(between) and len(between.split()) <= words


# A number followed by a unit is a measure, never a count of the gesture after it ("wait 5 seconds, clap").
_MEASURE = re.compile(rf"\s*(?:{SECONDS_WORDS}|{METRE_WORDS}|{DEGREE_WORDS})(?![^\W\d_])|"
                      r"\s*(?:秒|米|度|초|미터|メートル)")

# two hands or two arms are no count ("lève les 2 bras", "2 손으로 하트" made 2 hearts)
_LIMBS = re.compile(rf"\s*(?:{LIMB_WORDS})(?![^\W\d_])|\s*(?:{LIMB_SIGNS})")


def counted_gestures(text: str, most: int = 8) -> list[tuple[str, str, int]]:
    """(words, gesture, count) for each gesture a normalized task asks for 2 to `most` times: "Klaśnij 2
    razy", "3 palmadas", "2回拍手". A small model writes such a gesture once; the gloss spells the steps out."""
    counts = [match for match in re.finditer(rf"(?<![\d.])(\d+)(?:\s*(?:{TIMES_WORDS}))?", text)
              if 2 <= int(match.group(1)) <= most and not _MEASURE.match(text, match.end())
              and not (match.group(0) == match.group(1) and _LIMBS.match(text, match.end()))]
    if not counts:  # most tasks: no scan of the vocabulary
        return []
    gestures = [span for span in vocabulary_spans(text) if span[2] in _GESTURES]
    found: list[tuple[str, str, int]] = []
    for match in counts:
        count, times = int(match.group(1)), match.group(0) != match.group(1)
        after = [g for g in gestures if _near(text, match.end(), g[0], 0 if times else 1)]  # "3 palmadas", "2回拍手"
        before = [g for g in gestures if times and _near(text, g[1], match.start(), 3)]  # "clap your hands 3 times"
        for start, end, gesture in (before[-1:] or after[:1]):
            words = text[min(start, match.start()):max(end, match.end())]
            found.append((words, gesture, count))
    return found


@dataclass(frozen=True)
class Normalized:
    text: str  # what the model reads
    languages: tuple[str, ...]  # applied, most likely first
    numbers: tuple[float, ...]  # the numbers of `text`, in order
    glosses: tuple[tuple[str, str], ...] = ()  # (words as written, vocabulary meaning), see plan.lexicon
    corner_angles: tuple[float, ...] = ()  # the turns at the corners of the shapes it names (lexicon.SHAPE_WORDS)


def languages(text: str) -> tuple[str, ...]:
    """The languages `text` is probably written in, most likely first; English always among them."""
    found: dict[str, int] = {}
    for ch in text:
        if ch.isalpha() and not ch.isascii():
            name = unicodedata.name(ch, "")
            for script, lang in SCRIPTS:
                if name.startswith(script):
                    found[lang] = found.get(lang, 0) + 1
                    break
    if "ru" in found and UKRAINIAN & set(text.lower()):
        found["uk"] = found.pop("ru")
    if "zh" in found and "ja" in found:
        found["ja"] += found.pop("zh")  # kanji among kana is Japanese
    words = re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", text.lower())
    lexicon = word_languages(text)
    for lang, markers in MARKERS.items():
        hits = sum(word in markers for word in words) + (lexicon.get(lang, 0) if lang != "en" else 0)
        if hits:
            found[lang] = found.get(lang, 0) + hits
    ranked = sorted(found, key=lambda lang: -found[lang])
    # Of the Latin-script languages only the best-supported one or two are applied, and beside English
    # only on two or more words of theirs: their number words collide ("once" is 11 in Spanish, "um" 1
    # in Portuguese and a filler in English), and a command is in one language (plus English).
    needed = 2 if found.get("en") else 1
    latin = [lang for lang in ranked if lang in MARKERS and lang != "en" and found[lang] >= needed]
    latin = latin[:1] + [lang for lang in latin[1:2] if found[lang] >= max(2, found[latin[0]] / 2)]
    keep = [lang for lang in ranked if lang not in MARKERS] + latin[:2] + ["en"]
    return tuple(dict.fromkeys(keep))


def normalize(task: str) -> Normalized:
    """The task as the model should read it (see the module docstring)."""
    task = without_donts(corrected_gestures(corrected(unicodedata.normalize("NFKC", task))))
    langs = languages(task)
    digits = numbers.digits(numbers.protect(task), list(langs))
    text = units.convert(corrected_numbers(digits, units.dimension))
    text = without_courtesy(restated_numbers(text, units.dimension))  # after units: "1 m 50" is 1.5 m
    # "dreh dich um 90 Grad" turns by 90, "girati a sinistra" turns left: a turn-around phrase followed by its
    # angle ("gira su te stesso di 360 gradi"), or a one-word one by a direction, is no half turn
    angle_after = r"\s*(?:(?:di|de|by|of|um|von|par|o)\s+)?\d"
    found = [(words, meaning) for words, meaning in glosses(task)
             if not (meaning == TURN_AROUND and (re.search(rf"{re.escape(words)}{angle_after}", text)
                                                  or " " not in words and _directed(text, words)))]
    found = [(words, meaning) for words, meaning in found if meaning != "wait" or not only_hesitation(text, words)]
    _add_counts(found, text)
    corners = shapes(task)  # "a triangle": each corner a turn of 120, a number the task implies
    found += [(words, _sides(n)) for words, n in corners]
    return Normalized(text, langs, tuple(numbers.numbers_in(text)), tuple(dict.fromkeys(found)),
                      tuple(dict.fromkeys(round(360 / n, 3) for _, n in corners)))


def _add_counts(found: list[tuple[str, str]], text: str) -> None:
    """Add the glosses of the gestures `text` counts, and those of the gestures after the last count, even
    ones named as in the vocabulary ("clap 2 times then wave": clap, clap; wave)."""
    counted = counted_gestures(text)
    for words, gesture, count in counted:
        _place_count(found, text, words, gesture, count)
    if counted:
        rest = text[text.find(counted[-1][0]) + len(counted[-1][0]):]
        waved = any(gesture in ("face_wave", "high_wave") for _, gesture, _ in counted)  # its wave is that one
        found += [(rest[start:end], meaning) for start, end, meaning in vocabulary_spans(rest)
                  if meaning in _GESTURES and not any(rest[start:end] in said for said, _ in found)
                  and not (waved and meaning == "wave")]


def _place_count(found: list[tuple[str, str]], text: str, words: str, gesture: str, count: int) -> None:
    """Put a counted gesture's gloss ("Klaśnij 2 razy = clap, clap") where the gesture's own stands, so the
    glosses keep the task's order: last in the list, the model took it for the plan's end."""
    gloss = (words, ", ".join([gesture] * count))
    at = text.find(words)
    for i, (said, meaning) in enumerate(found):
        if meaning == gesture and re.sub(r"[\s-]+", " ", said) in re.sub(r"[\s-]+", " ", words):
            found[i] = gloss
            return
        if text.find(said) > at:
            found.insert(i, gloss)
            return
    found.append(gloss)


def _sides(corners: int) -> str:
    """A shape's gloss with its sides spelled out (told "4 sides", a small model walks three): a walk per
    side, a turn between two; the last corner's turn would only face the start's way again."""
    return f", turn {360 / corners:g} degrees, ".join(["walk"] * corners)


def _directed(text: str, word: str) -> bool:
    """Whether a side follows `word` in `text` within two words ("girati a sinistra"); "demi-tour puis avance"
    (then forward) is still a half turn."""
    at = text.find(word)
    return at >= 0 and any(at < start and len(text[at + len(word):start].split()) <= 2
                           for start, _, side in direction_spans(text) if side in ("left", "right"))


# What a number is, from the word after it (after `units.convert`, speeds read "m/s" and "deg/s"):
# a plan field may only take the numbers of its kind, and those of no stated kind ("turn left 45").
KINDS: dict[str, str] = {
    "speed_mps": r"m/s",
    "speed_deg_s": r"deg/s",
    "count": TIMES_WORDS,
    "distance_m": r"m\b|meters?|metres?|metros?|mètres?|metri|metr\w*|meter\w*|метр\w*|मीटर|米|メートル|미터|"
                  r"مت?ر\w*|أمتار|מטר\w*|mét",
    "angle_deg": r"°|deg\b|degrees?|grad\w*|grados?|degrés?|gradi|graus|graden|grader|stopni\w*|derece|"
                 r"градус\w*|डिग्री|度|도|درج\w*|מעלות|độ",
    "seconds": SECONDS_WORDS,
}
_KIND = re.compile(rf"(?<![\d.])({numbers.NUMBER})\s*(?:({'|'.join(f'(?P<{k}>{v})' for k, v in KINDS.items())}))?",
                   re.IGNORECASE)


def _numbers_by_kind(text: str) -> Iterator[tuple[str, float, int]]:
    """(kind, value, where it starts) for each number of a normalized text; kind "any" when no unit follows."""
    for match in _KIND.finditer(text):
        yield next((k for k in KINDS if match.group(k)), "any"), float(match.group(1)), match.start()


def typed_numbers(text: str) -> dict[str, tuple[float, ...]]:
    """The numbers of a normalized text by kind (KINDS), or "any" when no unit follows."""
    found: dict[str, list[float]] = {}
    for kind, value, _ in _numbers_by_kind(text):
        found.setdefault(kind, []).append(value)
    return {kind: tuple(dict.fromkeys(values)) for kind, values in found.items()}


# Words before a speed that make it a bound, not a request: "never faster than 1 m/s", "at most 2 km/h"
_BOUND = re.compile(r"(?:\b(?:than|under|below|most|max|maximum|up\s+to|not|never|don't|no|exceed)\W+"
                    r"(?:\w+\W+){0,2})$", re.IGNORECASE)


def stated_speeds(text: str) -> dict[str, tuple[float, ...]]:
    """The speeds a normalized task asks for (m/s, deg/s), leaving out those stated as a bound."""
    found: dict[str, list[float]] = {}
    for kind, value, start in _numbers_by_kind(text):
        if kind in ("speed_mps", "speed_deg_s") and not _BOUND.search(text[:start]):
            found.setdefault(kind, []).append(value)
    return {kind: tuple(values) for kind, values in found.items()}


def grounded_numbers(normalized: Normalized) -> dict[str, tuple[float, ...]]:
    """The numbers each plan field may take: the task's own of that field's kind, and those of no stated
    kind (a count or a speed never becomes a distance). The plan language adds each field's implied ones
    (`IMPLIED_NUMBERS`: 90, 180 and 360 degrees)."""
    kinds = typed_numbers(normalized.text)
    bare = kinds.get("any", ())
    fields = ("distance_m", "angle_deg", "seconds")
    grounded = {field: tuple(dict.fromkeys((*kinds.get(field, ()), *bare))) for field in fields}
    grounded["angle_deg"] = tuple(dict.fromkeys((*grounded["angle_deg"], *normalized.corner_angles)))
    grounded |= {field: kinds.get(field, ()) for field in ("speed_mps", "speed_deg_s")}
    return grounded
