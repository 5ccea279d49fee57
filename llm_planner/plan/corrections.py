"""Self-corrections: the words that take back what was just said ("left... no, right", "90, sorry, 45").

A small model plans both the word taken back and its replacement; these functions leave the first out before
the model reads the task. The words are data, per language; the patterns are built from them and the lexicon.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import regex as re

from llm_planner.plan.lexicon import (
    GESTURE_WORDS,
    OPPOSITE,
    UNSPACED,
    direction_spans,
    vocabulary_spans,
)

# "Wait" in many languages: it takes back what was said only after another correction ("no, wait"); alone
# it is a wait step ("turn 90, wait 2").
WAITS = ("wait", "hold on", "aspetta", "espera", "espere", "attends", "warte", "wacht", "czekaj", "poczekaj",
         "подожди", "bekle", "等等", "待って", "잠깐", "ruko", "peraí", "pera aí", "espera aí")
# Words that take back what was just said: "left... no, right", "links, nein, rechts".
CORRECTIONS = WAITS + ("no", "nope", "sorry", "i mean", "i meant", "actually", "rather", "wait", "hold on", "make that", "make it", "nein", "non", "нет", "не", "nie", "não",
               "nee", "nej", "hayır", "yok", "yok yok", "違う", "ちがう", "いや違う", "아니다", "아니야", "no no", "perdón", "pardon", "sorry i mean", "不", "不是", "不对", "아니",
               "아니요", "아니 아니", "لا", "لا بل", "नहीं", "いや", "じゃなくて", "không", "bukan", "לא",
               "let's say", "say", "quatsch", "znaczy", "znaczy się", "mejor", "más bien", "digo", "quiero decir", "plutôt", "disons", "enfin",
               "je veux dire", "besser", "lieber", "sagen wir", "ich meine", "meglio", "anzi", "cioè", "melhor",
               "quer dizer", "aliás", "beter", "liever", "ik bedoel", "raczej", "właściwie", "to znaczy", "лучше",
               "точнее", "вернее", "то есть", "やっぱり", "やっぱ", "やはり", "还是", "yani", "maksudnya", "maksud saya", "eh maksudnya", "nggak", "bukan")
# Sounds and courtesies that fill a pause: skipped around a correction ("links, äh, nein, rechts").
FILLERS = ("uh", "um", "uhm", "umm", "er", "erm", "eh", "äh", "ähm", "öh", "euh", "heu", "ehm", "emm", "em", "hmm",
           "please", "s'il te plaît", "s'il vous plaît", "por favor", "bitte", "per favore", "proszę", "пожалуйста",
           "lütfen", "tolong", "alsjeblieft", "ok", "okay", "so", "se faz favor", "faz favor", "dobra", "dobrze",
           "alright", "thanks", "thank you", "danke", "merci", "gracias", "grazie", "obrigado", "obrigada", "dziękuję",
           "спасибо", "d'accord", "vale", "va bene", "tamam", "bedankt", "dank je", "حسنا", "شكرا", "धन्यवाद", "ठीक है",
           "谢谢", "好吗", "ありがとう", "고마워", "감사합니다",
           "ja", "oder", "ne", "hein", "sí", "vero", "dai", "grazie-mille", "muchas gracias", "merci beaucoup",
           "vielen dank", "danke schön", "dzięki", "dzięki wielkie", "ладно", "хорошо", "спасибо большое", "tamam mı",
           "sağ ol", "sağol", "teşekkürler", "teşekkür ederim", "valeu", "cheers", "thx", "谢谢啊", "谢啦", "bas",
           "शुक्रिया", "بس", "شكراً", "thank you so much", "thanks so much", "thanks a lot", "thank you very much",
           "dankjewel", "dank je wel", "dank u wel", "dank u", "hoor", "danke sehr", "gracias de antemano",
           "merci bien", "grazie tante", "muito obrigado", "muito obrigada", "большое спасибо", "cảm ơn",
           "terima kasih", "tack", "tack så mycket", "salamat", "धन्यवाद जी", "شكرا جزيلا", "非常感谢", "고맙습니다",
           "ну", "эм", "э", "ээ", "bueno", "bon", "beh", "bem", "well", "nou", "cóż", "peki", "えっと", "あの", "あ", "あっ", "아", "哎", "啊", "음", "어", "嗯", "呃")


def _alternatives(phrases: tuple[str, ...]) -> str:
    """A regular-expression alternation of phrases, longest first, any spacing between their words."""
    return "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in sorted(phrases, key=len, reverse=True))


_GAP = r"[\s,،.…—–!?¿¡、，-]*"  # what may stand between a correction's words


def _taken_back(first: str) -> str:
    """The middle of a correction: pauses, a correction word (`first`), then more pauses or corrections
    ("... äh, nein, sorry, ...")."""
    said, pause = _alternatives(CORRECTIONS), _alternatives(FILLERS)
    end = rf"(?:(?<={UNSPACED.pattern})|(?![\w]))"  # a word's end; in an unspaced script the next word follows
    return (rf"(?:(?:{pause}){end}{_GAP})*(?:{first}){end}{_GAP}"
            rf"(?:(?:{said}|{pause}){end}{_GAP})*")


@cache
def _taking_back() -> str:
    """The corrections that may open a taking back: all but "wait", which alone is a wait step."""
    return _alternatives(tuple(c for c in CORRECTIONS if c not in WAITS))


@cache
def _between_correction() -> re.Pattern:
    # what stands between a direction taken back and the opposite one that replaces it: up to four words of
    # the sentence, kept ("बाएँ मुड़ो, नहीं, दाएँ": मुड़ो; "left forty-five, no, right": forty-five), a pause (none
    # needed in an unspaced script: "左边挪半米不对是右边"), the correction, and up to two words said again before
    # the new direction ("vira à esquerda... não, vira à direita")
    return re.compile(rf"(?P<kept>(?:\s*[^\s,،.…—–!、，]+){{0,4}}?)(?:[\s,،.…—–!、，-]+|(?<={UNSPACED.pattern}))"
                      rf"{_taken_back(_alternatives(CORRECTIONS))}(?P<again>(?:[^\W\d_]+\s*){{0,2}}?)", re.IGNORECASE)


def corrected(text: str) -> str:
    """`text` with a direction taken back left out, and the words said between kept once: "turn left... no,
    right, 45" -> "turn right, 45"; "vira à esquerda, não, vira à direita" -> "vira à direita"."""
    changed = True
    while changed:
        changed = False
        spans = direction_spans(text)
        for (start, end, taken_back), (new_start, new_end, new) in zip(spans, spans[1:]):
            match = _between_correction().fullmatch(text[end:new_start])
            if new != OPPOSITE[taken_back] or not match:
                continue
            before, kept, again = text[:start], match.group("kept").strip(), match.group("again")
            if again.strip() and before.rstrip().lower().endswith(again.strip().lower()):
                again = ""  # said again: once is enough
            if kept and text[new_end:].lstrip().lower().startswith(kept.lower()):
                kept = ""  # the whole step said again ("左转45度 不对 右转45度"): its words once
            text = before + (kept + " " if kept else "") + again + text[new_start:]
            changed = True
            break
    return text


@cache
def _after_correction() -> re.Pattern:
    return re.compile(rf"(?:{_taking_back()})(?![\w]){_GAP}$", re.IGNORECASE)


def only_hesitation(text: str, words: str) -> bool:
    """Whether a word of waiting is, everywhere in `text`, a pause in a correction ("no, wait", "non, attends",
    "nie, czekaj"), or was taken back with it: no wait step (a small model planned "wait 1" or "wait 3")."""
    spots = [m.start() for m in re.finditer(re.escape(words), text, re.IGNORECASE)]
    return all(_after_correction().search(text, 0, at) for at in spots)


@cache
def _gesture_taken_back() -> re.Pattern:
    # what stands between a gesture taken back and the one that replaces it: up to two words of its request
    # ("하이파이브 해 줘, 아 아니다, 악수로"), then pauses and corrections only
    first = _taking_back()
    return re.compile(rf"(?:\s*[^\s,،.…—–!、，\d]+){{0,2}}?[\s,،.…—–!、，-]*{_taken_back(first)}", re.IGNORECASE)


def corrected_gestures(text: str) -> str:
    """`text` with a gesture taken back left out: "Dammi il cinque... no aspetta, abbracciami" -> "abbracciami"
    (planned, it was a high five, a wait and a hug)."""
    spans = [span for span in vocabulary_spans(text) if span[2] in GESTURE_WORDS]
    for (start, end, taken_back), (new_start, _, new) in zip(spans, spans[1:]):
        if new != taken_back and _gesture_taken_back().fullmatch(text[end:new_start]):
            return corrected_gestures(text[:start] + text[new_start:])
    return text


@cache
def _number_correction() -> re.Pattern:
    # "wait" and "hold on" take a number back only after another correction: "turn 90, wait 2" is a wait
    first = _taking_back()
    # the unit of the number taken back is no correction word ("90 no sorry 45"); one short word may be said
    # again before the new number ("de 90, non pardon, de 45")
    return re.compile(rf"(?<![\d.])(\d+(?:\.\d+)?)(\s*(?!(?:{first})(?![\w]))[^\W\d_]+\.?|\s*°)?[\s,.…—–!?¿¡-]+"
                      rf"{_taken_back(first)}(?:[^\W\d_]{{1,3}}\s+)?(\d+(?:\.\d+)?)(?![\d.]\d)(\s*[^\W\d_]+)?",
                      re.IGNORECASE)


def corrected_numbers(text: str, measure: Callable[[str], str | None] = lambda _: None) -> str:
    """`text` (numbers as digits, units as written) with a number taken back left out; a replacement with
    no unit takes the unit of the one it replaces: "70 centímetros, no, mejor 80" -> "80 centímetros".
    `measure` tells what a unit word measures, so "80 centímetros, no, 1 metro" is a replacement too."""
    def same(unit: str, new_unit: str) -> bool:
        return _one_kind(unit, new_unit, measure)

    def replace(match: re.Match) -> str:
        unit, new, new_unit = (match.group(2) or "").rstrip("."), match.group(3), match.group(4) or ""
        if new_unit.strip() and unit.strip() and new_unit.strip().lower() != unit.strip().lower():
            return new + new_unit if same(unit, new_unit) else match.group(0)
        return new + (new_unit if new_unit.strip() else unit)

    def replace_apart(match: re.Match) -> str:  # "0.5 m पीछे हटो, नहीं नहीं, 1 मीटर," -> "1 मीटर पीछे हटो,"
        unit, new, new_unit = match.group("unit"), match.group("new"), match.group("new_unit") or ""
        if new_unit.strip() and not same(unit, new_unit):
            return match.group(0)
        return new + (new_unit if new_unit.strip() else unit) + match.group("between") + match.group("end")
    return _number_correction_apart().sub(replace_apart, _number_correction().sub(replace, text))


# Words that confirm what was just said ("45 degrees, yes, 45"), and those that only narrow it ("2 m, just 2 m"):
# a number said again after them is the same number, not a second step.
AFFIRMATIONS = ("yes", "yeah", "yep", "yup", "right", "exactly", "sí", "si", "claro", "exacto", "oui", "ouais",
                "exactement", "voilà", "ja", "genau", "jawohl", "sì", "esatto", "certo", "sim", "isso", "exato",
                "precies", "tak", "dokładnie", "да", "ага", "угу", "точно", "evet", "he", "はい", "うん", "ええ",
                "そう", "そうそう", "응", "네", "예", "그래", "是", "对", "对的", "好", "हाँ", "हां", "जी", "हाँ जी",
                "نعم", "ايوه", "أيوه", "اي", "ايه", "aha", "c'est ça", "that's it", "isso mesmo")
ONLY = ("just", "only", "solo", "sólo", "solamente", "nur", "juste", "seulement", "só", "apenas", "alleen",
        "maar", "tylko", "только", "лишь", "sadece", "yalnızca", "bas", "बस", "सिर्फ़", "सिर्फ", "فقط", "だけ",
        "만", "只", "就", "dai", "vai")


@cache
def _restatement() -> re.Pattern:
    # a number (and its unit), then only pauses, confirmations, courtesies or "just", and the same number again;
    # or after a trailing-off ("1 m... 1.5 m?") a new number with nothing before it
    said = _alternatives(AFFIRMATIONS + ONLY + FILLERS)
    end = rf"(?:(?<={UNSPACED.pattern})|(?![\w]))"
    gap = r"[\s,،.…—–!?¿¡、，。-]*"
    return re.compile(rf"(?<![\d.])(?P<old>\d+(?:\.\d+)?)(?!\.?\d)(?P<unit>\s*[^\W\d_]+\.?)?"
                      rf"(?:(?P<again>(?=\s*(?:[^\w\s]|(?:{said}){end})){gap}(?:(?:{said}){end}{gap})*)(?P=old)|\s*(?:…|\.\.\.)\s*"
                      rf"(?P<new>\d+(?:\.\d+)?))(?![\d.]\d)(?P<new_unit>\s*[^\W\d_]+)?", re.IGNORECASE)


def restated_numbers(text: str, measure: Callable[[str], str | None] = lambda _: None) -> str:
    """`text` with a number said again only once: "45 stopni, tak, 45" -> "45 stopni", "2 metre... 2.5 metre"
    -> "2.5 metre" (a small model planned each: a second turn, or a wait 45). The two must be of one kind."""
    def replace(match: re.Match) -> str:
        unit, new_unit = (match.group("unit") or "").rstrip("."), match.group("new_unit") or ""
        if new_unit.strip() and unit.strip() and not _one_kind(unit, new_unit, measure):
            return match.group(0)
        if match.group("new") is not None and not (unit.strip() and new_unit.strip()):
            return match.group(0)  # a countdown ("3... 2... 1") replaces nothing
        return (match.group("new") or match.group("old")) + (new_unit if new_unit.strip() else unit)

    def said_before(match: re.Match) -> str:
        unit, sep = match.group("unit") or "", match.group("sep")
        if not (match.group("said").strip(" ,") or set(sep) & set(".!?。…")):
            return match.group(0)  # "walk 2 m, turn left, 2 m": a clause of its own, unconfirmed
        for earlier in _NUMBER_AND_UNIT.finditer(text[:match.start()]):
            if float(earlier.group("num")) == float(match.group("num")) and (
                    not unit.strip() or _one_kind(earlier.group("unit") or "", unit, measure)):
                return ""
        return match.group(0)

    for _ in range(8):  # one restatement may uncover another ("1 m... 1.5 m? yes, 1.5 m")
        text, before = _restatement().sub(replace, text), text
        if text == before:
            break
    return _restated_clause().sub(said_before, text)


_NUMBER_AND_UNIT = re.compile(r"(?<![\d.])(?P<num>\d+(?:\.\d+)?)(?!\.?\d)(?P<unit>\s*[^\W\d_]+)?")


@cache
def _restated_clause() -> re.Pattern:
    # a clause of only confirmations and a number said before: "2 मीटर आगे चलो, हाँ, बस 2 मीटर," and
    # "2.5 metre ileri yürür müsün. 2.5 metre."
    said = _alternatives(AFFIRMATIONS + ONLY + FILLERS)
    end = rf"(?:(?<={UNSPACED.pattern})|(?![\w]))"
    punct = "[,،.…—–!?;、，。]"
    return re.compile(rf"(?P<sep>{punct}+)(?P<said>\s*(?:(?:{said}){end}{punct}*\s*)*)(?<!\d\.)(?P<num>\d+(?:\.\d+)?)(?!\.?\d)"
                      rf"(?P<unit>\s*[^\W\d_]+)?(?=\s*(?:{punct}|$))", re.IGNORECASE)


@cache
def _number_correction_apart() -> re.Pattern:
    # a number and its unit, up to three words of its step, the correction, and a new number (and unit) that
    # end their clause: the words of the step stay where they were ("0.5 m पीछे हटो, नहीं नहीं, 1 मीटर,")
    first = _taking_back()
    word = r"[^\s\d,.;:!?।…—–-]+"  # not \w: Devanagari's vowel signs are no word characters to Python
    return re.compile(rf"(?<![\d.])\d+(?:\.\d+)?(?P<unit>\s*{word})(?P<between>(?:\s+{word}){{1,3}}?)"
                      rf"[\s,.…—–!?¿¡-]+{_taken_back(first)}(?P<new>\d+(?:\.\d+)?)(?P<new_unit>\s*{word})?"
                      rf"(?P<end>\s*(?:[,.;:!?।]|$))", re.IGNORECASE)


@cache
def _courtesy_at_end() -> re.Pattern:
    return re.compile(rf"(?:[\s,.;:!?¿¡]+(?:{_alternatives(FILLERS)})(?![\w]))+[\s,.;:!?]*$", re.IGNORECASE)


# "Heads up," opens a warning; a small model read it as hands_up.
_WARNING_OPENER = re.compile(r"\bheads[\s-]+up\s*[,!:;.—–-]+\s*", re.IGNORECASE)


def without_courtesy(text: str) -> str:
    """`text` without the courtesies that end it ("..., se faz favor", ", dobra?"): a small model answers them
    with a wave; nor "heads up," before a warning."""
    return _WARNING_OPENER.sub("", _courtesy_at_end().sub("", text))


def _one_kind(unit: str, new_unit: str, measure: Callable[[str], str | None]) -> bool:
    """Whether two unit words measure one thing: alike ("meters"/"metres") or by `measure` ("cm"/"metro")."""
    return _same_kind(unit, new_unit) or measure(unit) is not None and measure(unit) == measure(new_unit)


def _same_kind(a: str, b: str) -> bool:
    """Whether two words after numbers are both units of one kind ("meters"/"metres"); unknown: no."""
    a, b = a.strip().lower(), b.strip().lower()
    return a[:3] == b[:3] or a.startswith(b) or b.startswith(a)  # unspaced: "米" and "米就行" (the words after it)
