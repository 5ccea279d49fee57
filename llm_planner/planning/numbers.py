"""Numbers written as words, in many languages, rewritten as digits before the model reads the task.

A 1.5B model reads "2" the same in every language, but not "ciento ochenta", "полтора" or
"दो". Maintained parsers do the languages they cover (text2num: en fr es pt de nl it da;
number-parser: ru uk hi; cn2an: Chinese and Japanese kanji numerals); small tables below
cover the rest (sv nb pl cs tr ko ar id vi tl, Hindi in Latin script, and the small words of
the others). Fractions ("and a half", "y medio", "полтора", "साढ़े") are data too.
Only the languages the task is written in are applied, so a word of one language is never
read as a number of another ("once" is 11 only in Spanish).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

NUMBER = r"\d+(?:\.\d+)?"

# Small cardinals the parsers leave alone (text2num converts an isolated number only above 3,
# because "second" and "segundo" are also ordinals), and whole tables for the languages no
# parser covers. Keys are lower-case words; a word maps to its value.
WORDS: dict[str, dict[str, float]] = {
    "en": {"one": 1, "two": 2, "three": 3, "a couple of": 2, "a pair of": 2, "half a": 0.5, "half an": 0.5,
           "a half": 0.5, "a quarter": 0.25, "quarter": 0.25, "three quarters of a": 0.75, "three quarters": 0.75,
           "three-quarter": 0.75, "three quarter": 0.75, "three-quarters": 0.75, "an eighth of a": 0.125,
           "one-eighth of a": 0.125, "one eighth of a": 0.125, "an eighth": 0.125, "one-eighth": 0.125,
           "one eighth": 0.125, "a third of a": 1 / 3, "a dozen": 12, "dozen": 12, "half a dozen": 6},
    "hi_latn": {"ek": 1, "do": 2, "teen": 3, "chaar": 4, "char": 4, "paanch": 5, "panch": 5, "chhe": 6, "saat": 7,
                "aath": 8, "nau": 9, "das": 10, "bees": 20, "tees": 30, "pachaas": 50, "sau": 100, "dedh": 1.5,
                "dhai": 2.5, "aadha": 0.5, "adha": 0.5},
    "es": {"un": 1, "uno": 1, "una": 1, "dos": 2, "tres": 3, "medio": 0.5, "media": 0.5, "otro": 1, "un cuarto": 0.25,
           "tres cuartos": 0.75},
    "fr": {"un": 1, "une": 1, "deux": 2, "trois": 3, "demi": 0.5, "demie": 0.5, "un demi": 0.5, "une demi": 0.5,
           "une demie": 0.5, "un quart": 0.25, "trois quarts": 0.75},
    "de": {"ein": 1, "eine": 1, "einen": 1, "einem": 1, "eins": 1, "zwei": 2, "drei": 3, "halben": 0.5,
           "einen halben": 0.5, "eine halbe": 0.5, "halbe": 0.5, "halb": 0.5, "anderthalb": 1.5,
           "eineinhalb": 1.5, "zweieinhalb": 2.5, "dreieinhalb": 3.5, "viereinhalb": 4.5,
           "dreiviertel": 0.75, "drei viertel": 0.75, "viertel": 0.25, "eine viertel": 0.25, "ein viertel": 0.25},
    "it": {"un": 1, "uno": 1, "una": 1, "due": 2, "tre": 3, "mezzo": 0.5, "un mezzo": 0.5, "un quarto": 0.25,
           "tre quarti": 0.75},
    "pt": {"um": 1, "uma": 1, "dois": 2, "duas": 2, "três": 3, "tres": 3, "meio": 0.5, "meia": 0.5, "um quarto": 0.25,
           "três quartos": 0.75},
    "nl": {"een": 1, "één": 1, "twee": 2, "drie": 3, "halve": 0.5, "een halve": 0.5, "anderhalf": 1.5,
           "anderhalve": 1.5, "tweeënhalf": 2.5, "tweeënhalve": 2.5, "drieënhalf": 3.5, "drieënhalve": 3.5,
           "een kwart": 0.25, "kwart": 0.25, "driekwart": 0.75},
    "da": {"halv": 0.5, "en halv": 0.5, "halvanden": 1.5},
    "sv": {"en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8, "nio": 9,
           "tio": 10, "tjugo": 20, "trettio": 30, "fyrtio": 40, "femtio": 50, "sextio": 60, "nittio": 90,
           "hundra": 100, "etthundraåttio": 180, "hundraåttio": 180, "halv": 0.5, "en halv": 0.5,
           "halvannan": 1.5, "femton": 15, "tolv": 12, "elva": 11},
    "nb": {"en": 1, "ett": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6, "sju": 7, "åtte": 8, "ni": 9,
           "ti": 10, "tjue": 20, "tretti": 30, "førti": 40, "femti": 50, "seksti": 60, "nitti": 90,
           "hundre": 100, "hundreåtti": 180, "halv": 0.5, "en halv": 0.5, "halvannen": 1.5, "femten": 15},
    "pl": {"jeden": 1, "jedna": 1, "jedno": 1, "jednego": 1, "dwa": 2, "dwie": 2, "trzy": 3, "cztery": 4,
           "pięć": 5, "sześć": 6, "siedem": 7, "osiem": 8, "dziewięć": 9, "dziesięć": 10, "piętnaście": 15,
           "dwadzieścia": 20, "trzydzieści": 30, "czterdzieści": 40, "pięćdziesiąt": 50, "sześćdziesiąt": 60,
           "dziewięćdziesiąt": 90, "sto": 100, "sto osiemdziesiąt": 180, "dwieście": 200, "trzysta": 300,
           "czterysta": 400, "pięćset": 500, "sześćset": 600, "siedemset": 700, "osiemset": 800,
           "trzysta sześćdziesiąt": 360,
           "pół": 0.5, "półtora": 1.5, "półtorej": 1.5, "dwa i pół": 2.5},
    "cs": {"jeden": 1, "jedna": 1, "jeden a půl": 1.5, "dva": 2, "dvě": 2, "tři": 3, "čtyři": 4, "pět": 5,
           "šest": 6, "sedm": 7, "osm": 8, "devět": 9, "deset": 10, "dvacet": 20, "třicet": 30, "devadesát": 90,
           "sto": 100, "sto osmdesát": 180, "půl": 0.5, "půldruhého": 1.5},
    "tr": {"bir": 1, "iki": 2, "üç": 3, "dört": 4, "beş": 5, "altı": 6, "yedi": 7, "sekiz": 8, "dokuz": 9,
           "on": 10, "on beş": 15, "yirmi": 20, "otuz": 30, "kırk": 40, "kırk beş": 45, "elli": 50,
           "altmış": 60, "yetmiş": 70, "seksen": 80, "doksan": 90, "yüz": 100, "yüz seksen": 180,
           "üç yüz altmış": 360, "yarım": 0.5, "buçuk": 0.5},
    "id": {"satu": 1, "se": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
           "delapan": 8, "sembilan": 9, "sepuluh": 10, "dua puluh": 20, "tiga puluh": 30, "empat puluh lima": 45,
           "sembilan puluh": 90, "seratus": 100, "seratus delapan puluh": 180, "setengah": 0.5, "satu setengah": 1.5},
    "tl": {"isa": 1, "isang": 1, "dalawa": 2, "dalawang": 2, "tatlo": 3, "tatlong": 3, "apat": 4, "lima": 5,
           "limang": 5, "anim": 6, "pito": 7, "walo": 8, "siyam": 9, "sampu": 10, "sampung": 10, "kalahati": 0.5},
    "vi": {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10,
           "hai mươi": 20, "ba mươi": 30, "chín mươi": 90, "một trăm": 100, "một trăm tám mươi": 180, "rưỡi": 0.5,
           "nửa": 0.5},
    "ko": {"하나": 1, "한": 1, "둘": 2, "두": 2, "셋": 3, "세": 3, "넷": 4, "네": 4, "다섯": 5, "여섯": 6,
           "일곱": 7, "여덟": 8, "아홉": 9, "열": 10, "스무": 20, "스물": 20, "서른": 30, "마흔": 40, "쉰": 50,
           "일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "칠": 7, "팔": 8, "구": 9, "십": 10,
           "이십": 20, "삼십": 30, "사십오": 45, "육십": 60, "구십": 90, "백": 100, "백팔십": 180,
           "삼백육십": 360, "반": 0.5},
    "he": {"אחד": 1, "אחת": 1, "שניים": 2, "שתיים": 2, "שני": 2, "שתי": 2, "שלוש": 3, "שלושה": 3, "ארבע": 4,
           "ארבעה": 4, "חמש": 5, "חמישה": 5, "שש": 6, "שישה": 6, "שבע": 7, "שבעה": 7, "שמונה": 8, "תשע": 9,
           "תשעה": 9, "עשר": 10, "עשרה": 10, "עשרים": 20, "שלושים": 30, "ארבעים": 40, "ארבעים וחמש": 45,
           "חמישים": 50, "שישים": 60, "תשעים": 90, "מאה": 100, "מאה ושמונים": 180, "חצי": 0.5, "וחצי": 0.5},
    "ar": {"خمسًا": 5, "خمسا": 5, "أربعين": 40, "اربعين": 40, "خمسين": 50, "سبعين": 70, "ثمانين": 80,
           "واحد": 1, "واحدة": 1, "اثنين": 2, "اثنان": 2, "إثنين": 2, "ثلاثة": 3, "ثلاث": 3, "أربعة": 4,
           "اربعة": 4, "أربع": 4, "خمسة": 5, "خمس": 5, "ستة": 6, "ست": 6, "سبعة": 7, "ثمانية": 8, "تسعة": 9,
           "عشرة": 10, "عشر": 10, "عشرين": 20, "عشرون": 20, "ثلاثين": 30, "خمسة وأربعين": 45, "ستين": 60,
           "تسعين": 90, "تسعون": 90, "مئة": 100, "مائة": 100, "مئة وثمانين": 180, "مائة وثمانين": 180,
           "ثلاثمائة وستين": 360, "نصف": 0.5, "ربع": 0.25, "ثلاثة أرباع": 0.75, "ثلاث أرباع": 0.75},
    "ja": {"ひとつ": 1, "ふたつ": 2, "みっつ": 3},
    "ru": {"полтора": 1.5, "полторы": 1.5, "пол": 0.5, "половину": 0.5, "половина": 0.5, "половиной": 0.5},
    "uk": {"півтора": 1.5, "пів": 0.5, "половиною": 0.5},
    "hi": {"डेढ़": 1.5, "ढाई": 2.5, "आधा": 0.5, "आधे": 0.5, "एक": 1, "दो": 2, "तीन": 3, "चार": 4, "पाँच": 5,
           "पांच": 5, "दस": 10, "बीस": 20, "तीस": 30, "नब्बे": 90},
}
# Korean writes 11 to 19 as one word: 열두 (12), 십이 (12); the tables above have their parts.
_KO_UNITS = ("하나", "한", "둘", "두", "셋", "세", "넷", "네", "다섯", "여섯", "일곱", "여덟", "아홉")
WORDS["ko"] |= {"열" + unit: 10 + WORDS["ko"][unit] for unit in _KO_UNITS}
WORDS["ko"] |= {"십" + unit: 10 + WORDS["ko"][unit] for unit in ("일", "이", "삼", "사", "오", "육", "칠", "팔", "구")}


def _sino_korean(n: int) -> str:
    """A number below 1000 in Sino-Korean words: 270 is 이백칠십 (two hundred seven ten), 100 is 백."""
    digits = "_일이삼사오육칠팔구"
    return "".join((digits[d] if d > 1 else "") + unit for d, unit in ((n // 100, "백"), (n // 10 % 10, "십")) if d) \
        + (digits[n % 10] if n % 10 else "")


WORDS["ko"] |= {_sino_korean(n): n for n in range(11, 1000)}  # "이백칠십 도": the composed numbers, as one word
WORDS["ko"] |= {"사분의 삼": 0.75, "사분의 일": 0.25, "이분의 일": 0.5, "삼분의 일": 1 / 3}  # three quarters
# Hebrew, Arabic, Polish and Russian say "a metre" with the bare unit word: it is the number 1.
BARE_ONE = {"he": "מטר|שנייה|מעלה", "ar": "مترًا|مترا|متر|ثانية|درجة|دقيقة", "pl": "metr|minutę", "ru": "метр|минуту"}
# One word that is a number and its unit: Arabic duals ("مترين" two metres), Russian, Ukrainian and English
# halves ("полметра", "half-meter"), Japanese and Chinese half turns ("半回転", "半圈").
UNIT_WORDS: dict[str, str] = {"مترين": "2 متر", "متران": "2 متر", "ثانيتين": "2 ثانية", "ثانيتان": "2 ثانية",
                              "درجتين": "2 درجة", "خطوتين": "2 خطوة", "مرتين": "2 مرات",
                              "полметра": "0.5 метра", "пол-метра": "0.5 метра", "полминуты": "0.5 минуты",
                              "півметра": "0.5 метра", "пів метра": "0.5 метра",
                              "half-meter": "0.5 meter", "half-metre": "0.5 metre",
                              "半回転": "0.5回転", "半圈": "0.5圈", "半周": "0.5周"}
# The word that joins a half onto a number: "2 and a half", "dos metros y medio" (the half itself
# is a word of WORDS, so these read "2 and 0.5", "2 metros y 0.5" by then).
AND: dict[str, str] = {"en": "and", "es": "y", "fr": "et", "de": "und", "it": "e", "pt": "e", "nl": "en",
                       "sv": "och", "nb": "og", "da": "og", "pl": "i", "cs": "a", "tl": "at", "ar": "و", "ru": "с",
                       "uk": "з", "he": "ו"}
# Languages whose numbers come from the tables word by word: "20 5" (dwadzieścia pięć, dua puluh lima,
# mười hai, خمسة و أربعين) is one number, tens then units.
COMPOSED = ("sv", "nb", "pl", "cs", "tr", "id", "tl", "vi", "ko", "ar", "he", "hi_latn")
# Hindi puts the fraction before the number: साढ़े तीन = 3.5, सवा दो = 2.25, पौने दो = 1.75.
HINDI_BEFORE = {"साढ़े": 0.5, "सवा": 0.25, "पौने": -0.25, "saadhe": 0.5, "sadhe": 0.5}
PARSED = {"text2num": ("en", "fr", "es", "pt", "de", "nl", "it", "da"), "number_parser": ("ru", "uk", "hi")}


def _format(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


_KEEP = "\u2060"  # a word joiner inside a word hides it from the number parsers; `digits` takes it out

# Names that contain a number word but mean a gesture (or a thanks): kept as one word, never read as a number.
_NAMES = re.compile(r"\b(?:high|hi)[\s-]+(?:five|5)s?\b|\b(?:gimme|give\s+me)[\s-]+(?:five|5)(?=\s*(?:[^\w\s]|$))|"
                    r"(?<!\w)дай\s+пять\b|\bdame\s+cinco\b|\bbatti\s+il\s+cinque\b|\bgrazie\s+mille\b|"
                    r"\bchoca\s+(?:esos\s+|los\s+)?cinco\b|\bdammi\s+il\s+cinque\b|\btoca\s+os\s+cinco\b|"
                    r"\bbeş\s+çak|\bgib\s+mir\s+f[üu]nf\b|\bgeef\s+me\s+(?:een\s+)?vijf\b|"
                    r"\bdemi-tour\b|\bmeia-volta\b", re.IGNORECASE)  # half turns the lexicon glosses


def protect(text: str) -> str:
    """`text` with number-bearing names ("high five", "gimme five!", "дай пять") written as one word
    ("high-five"), their number word hidden from the parsers until `digits` is done."""
    def joined(match: re.Match) -> str:
        words = re.sub(r"[\s-]+", "-", match.group(0)).replace("5", "five").split("-")
        return "-".join(word[0] + _KEEP + word[1:] for word in words)
    return _NAMES.sub(joined, text)


def unicode_digits(text: str) -> str:
    """Digits of any script (Arabic-Indic, Devanagari, full-width) as ASCII; the decimal comma as a point."""
    out = "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in text)
    out = out.replace("٫", ".").replace("、", ", ")
    return re.sub(r"(?<=\d),(?=\d{1,2}(?!\d))", ".", out)  # 2,5 m -> 2.5 m (never 1,000)


# Korean writes a number straight onto its counter or unit: 세번 (three times), 두바퀴 (two turns).
_KOREAN_COUNTERS = "미터|센티|도|초|번|바퀴|걸음|분"


def _key(word: str) -> str:
    """A word as the tables are looked up: case-folded, without combining marks (Turkish "İki" is "iki")."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(ch))


@cache
def _word_pattern(words: tuple[str, ...], lang: str) -> re.Pattern:
    ordered = sorted(words, key=len, reverse=True)
    body = "|".join(re.escape(w) for w in ordered)
    after = rf"(?![\w])|(?=\s?(?:{_KOREAN_COUNTERS}))" if lang == "ko" else r"(?![\w])"
    return re.compile(rf"(?<![\w])({body})(?:{after})", re.IGNORECASE)


def _cjk(text: str) -> str:
    """Chinese and Japanese kanji numerals as digits (cn2an), leaving every other character alone."""
    import cn2an

    def convert(match: re.Match) -> str:
        try:
            return _format(float(cn2an.cn2an(match.group(0), "smart")))
        except (ValueError, KeyError):
            return match.group(0)
    # "一点点", "一点儿", "一些", "一会儿": "a little", "a while" hold no 1
    text = re.sub(r"(?:[零〇二三四五六七八九十百千两]|一(?!点点|点儿|些|会|下子))+", convert, text)
    text = re.sub(r"(\d+)点(\d+)(?=\s*(?:米|公尺|メートル|度|秒|分))", r"\1.\2", text)  # 一点五米: 1.5 m
    text = re.sub(r"(\d)\s*(米|メートル|미터|度|秒|分|步|歩)半", lambda m: f"{m.group(1)}.5{m.group(2)}", text)
    # 半米, 半メートル, 半分钟: a half before a unit is 0.5 of it (半圈, 半周, a half turn, is left to the rules)
    text = re.sub(r"(?<![\d.])半(?=\s*(?:米|公尺|メートル|秒|分钟|分鐘|步|歩))", "0.5", text)
    return re.sub(r"(\d+)米(\d)(?![\d.米厘])", lambda m: f"{m.group(1)}.{m.group(2)}米", text)  # 一米五: 1.5 m


# Number words that are also common words, kept as words where no unit follows: Italian "sei" (six; you
# are), an article before a while or a little ("un attimo", "un rato", "un pochino": wait no 1 second),
# "once there" ("una vez allí", "une fois là-bas": no count), and Italian "una volta" (once).
_NOT_NUMBERS = {"it": r"\bsei\b(?!\s+(?:metr|centimetr|grad|second|volt|pass|minut|mezz|e\s))|"
                      r"\bun(?=\s+(?:attimo|momento|po|pochino|pochettino|saluto|bel\s+saluto)\b)|"
                      r"\buna(?=\s+volta\b)",  # Italian "una volta" is once, never a turn (Portuguese "uma volta")
                "de": r"\bein(?=\s+(?:bisschen|wenig|paar|stück|stückchen|weilchen)\b)|\beine(?=\s+weile\b)",
                "nl": r"\been(?=\s+(?:beetje|paar|stukje|tijdje)\b)",
                "es": r"\bun(?=\s+(?:momento|momentito|poco|poquito|rato|ratito)\b)|"
                      r"\buna(?=\s+vez\s+(?:allí|alli|ahí|ahi|allá|que|en)\b)",
                "fr": r"\bun(?=\s+(?:instant|moment|peu|petit)\b)|\bune(?=\s+fois\s+(?:là|la|arrivé|arrivée|que)\b)",
                "pt": r"\bum(?=\s+(?:momento|minutinho|pouco|pouquinho|tempinho)\b)|"
                      r"\buma(?=\s+vez\s+(?:lá|la|aí|ai|que)\b)"}
_ARABIC_MARKS = re.compile("[\u064b-\u0652]")  # vowel marks, written or not: "خمساً" is "خمسا"


def _parsers(text: str, lang: str) -> str:
    if lang in PARSED["text2num"]:
        from text_to_num import alpha2digit

        return alpha2digit(text, lang)
    if lang in PARSED["number_parser"]:
        from number_parser import parse

        return parse(text, language=lang)
    return text


def digits(text: str, languages: list[str]) -> str:
    """`text` with the number words of `languages` (and every script's digits) written as digits."""
    text = counts(_ARABIC_MARKS.sub("", unicode_digits(text)).replace("،", ","))
    for lang in languages:
        if lang in _NOT_NUMBERS:
            text = re.sub(_NOT_NUMBERS[lang], lambda m: m.group(0)[0] + _KEEP + m.group(0)[1:], text, flags=re.I)
    if any(lang in ("zh", "ja") for lang in languages):
        text = _cjk(text)
    if "ko" in languages:  # "네, ..." is yes (네 is also four): said as 예, which is no number
        text = re.sub(r"(?<![\w])네(?=\s*[,.!?])", "예", text)
    for word, replacement in UNIT_WORDS.items():
        text = text.replace(word, replacement)
    for lang in languages:
        table = {_key(word): value for word, value in WORDS.get(lang, {}).items()}

        def from_table(match: re.Match, t: dict[str, float] = table) -> str:
            return _format(t[_key(match.group(1))]) if _key(match.group(1)) in t else match.group(0)
        phrases = [w for w in WORDS.get(lang, {}) if " " in w or "-" in w]
        if phrases:  # before the parser, which would read "three" out of "three quarters of a"
            text = _word_pattern(tuple(phrases), lang).sub(from_table, text)
        if lang == "ar":  # "وأربعين": the joining "and" is written onto the number
            text = re.sub(r"(?<![\w])و(?=(?:عشر|ثلاث|أربع|اربع|خمس|ست|سبع|ثمان|تسع|نصف))", "و ", text)
        text = _parsers(text, lang)
        if table:
            text = _word_pattern(tuple(WORDS[lang]), lang).sub(from_table, text)
        if lang in COMPOSED:  # tens then units: "20 5" -> 25; with a joining word too ("5 و 40" -> 45)
            joined = rf"(?:\s*{re.escape(AND[lang])}\s*|\s+)" if lang in AND else r"\s+"
            def add(match: re.Match) -> str:
                return str(int(match.group(1)) + int(match.group(2)))
            text = re.sub(r"(?<![\d.])([1-9]0)\s+([1-9])(?!\d|\.\d)", add, text)
            text = re.sub(rf"(?<![\d.])([1-9]){joined}([2-9]0)(?!\d|\.\d)", add, text)
        if lang in BARE_ONE:
            text = re.sub(rf"(?<!\d )(?<!\d)(?<![\w])({BARE_ONE[lang]})(?![\w])", r"1 \1", text)
        if lang == "en":  # "a meter and a half": the article is the one the half is added to
            text = re.sub(r"\ban?\s+(?=[^\W\d]{1,12}\s+and\s+0\.5(?![\d.]))", "1 ", text, flags=re.IGNORECASE)
        word = re.escape(AND.get(lang, "\u2063"))  # no joining word: an unmatchable one
        # "metro y medio", "minute et demie": a unit with no number before its half is one and a half of it
        text = re.sub(rf"(?<![\d.]\s)(?<![\w.])(?=(?:{_BARE_UNITS})\s+{word}\s*0\.5(?![\d.]))", "1 ", text,
                      flags=re.IGNORECASE)
        half = rf"(?<![\d.])({NUMBER})(\s*(?!{word}\s)[^\W\d]{{1,12}}\.?)?\s+(?:{word}\s*)?0\.5(?!\d|\.\d)"
        text = re.sub(half, lambda m: _format(float(m.group(1)) + 0.5) + (m.group(2) or ""), text,
                      flags=re.IGNORECASE)
    text = re.sub(r"(?<=\d),(?=\d{1,2}(?!\d))", ".", text)  # a parser's decimal comma: "cero coma cuatro" -> 0,4
    if "en" in languages:  # "point four meters" is 0.4 m; "point 4" with no unit after is a name
        text = _POINT.sub(lambda m: "0." + m.group(1).replace(" ", ""), text)  # "point seven five": 0.75
    for word, offset in HINDI_BEFORE.items():
        text = re.sub(rf"{word}\s*({NUMBER})", lambda m, o=offset: _format(float(m.group(1)) + o), text)
        # before a bare unit it counts from one: सवा मीटर = 1.25 m
        text = re.sub(rf"{word}\s*(?=मीटर|सेकंड|डिग्री|घंटे|मिनट)", lambda m, o=offset: _format(1 + o) + " ", text)
    return text.replace(_KEEP, "")


_BARE_UNITS = r"metro|metre|mètre|meter|metr|minuto|minute|minuta|minut|segundo|seconde|secondo|sekunde|hora|ora|heure"
_POINT = re.compile(r"(?<![\d.])(?<!\d\s)\bpoint\s+(\d+(?:\s\d)*)\b"
                    r"(?=\s*(?:m\b|m/s|met|sec|s\b|deg|°|ft|feet|foot|inch|cm|km|rad|min))", re.IGNORECASE)
_ONE_WORD_COUNTS = re.compile(r"\b(ein|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|twee|drie|vier|vijf|"
                              r"zes|zeven|negen|tien)(mal|maal)\b", re.IGNORECASE)
_COUNT_VALUES = {"ein": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9,
                 "zehn": 10, "elf": 11, "zwölf": 12, "twee": 2, "drie": 3, "vijf": 5, "zes": 6, "zeven": 7,
                 "negen": 9, "tien": 10}


_TWICE = re.compile(r"\b(twice|thrice)\b", re.IGNORECASE)


_WORD_MAL = re.compile(r"\b([^\W\d_]{4,}?)(mal|maal)\b", re.IGNORECASE)


def _parsed_count(match: re.Match) -> str:
    """"fünfzehnmal", "twintigmaal": the number word read by the parser; "manchmal", "normal" stay words."""
    from text_to_num import alpha2digit

    number = alpha2digit(match.group(1), "de" if match.group(2).lower() == "mal" else "nl")
    return f"{number} {match.group(2)}" if number.isdigit() else match.group(0)


def counts(text: str) -> str:
    """Counts written as one word ("neunmal", "driemaal", "twice") as a number and its times-word."""
    text = _TWICE.sub(lambda m: "2 times" if m.group(1).lower() == "twice" else "3 times", text)
    text = _ONE_WORD_COUNTS.sub(lambda m: f"{_COUNT_VALUES[m.group(1).lower()]} {m.group(2)}", text)
    return _WORD_MAL.sub(_parsed_count, text)


def numbers_in(text: str) -> list[float]:
    """Every number written in digits in `text`, in order."""
    return [float(n) for n in re.findall(NUMBER, text)]
