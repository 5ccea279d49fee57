"""Units rewritten into the plan's own (metres, degrees, seconds) before the model reads the task.

A small model multiplies badly: "16 ft" became a 16 m walk (rejected), "3 radians" 3 degrees,
"0.5 m/s for 6 s" a rejected speed. So conversions happen here, exactly, from data: each
unit's words in many languages and its factor. A speed held for a time becomes the distance
it covers, with the speed kept beside it ("0.5 m/s for 6 s" -> "3 m at 0.5 m/s").
Metres, degrees and seconds themselves are left as written.
"""

from __future__ import annotations

import math
import re

from llm_planner.planning.numbers import NUMBER

# unit: (factor to the plan's unit, the plan's unit as written into the text, words). Longest words first
# is not needed: a word must end at a word boundary, so "min" never matches inside "minutes".
UNITS: dict[str, tuple[float, str, tuple[str, ...]]] = {
    "cm": (0.01, "m", ("cm", "centimeters", "centimeter", "centimetres", "centimetre", "centímetros", "centímetro",
                       "centimètres", "centimètre", "centimetri", "centimetro", "zentimeter", "centimeters",
                       "centymetrów", "centymetry", "centymetr", "centimetrů", "centimetry", "santimetre", "santim",
                       "sentimeter", "сантиметров", "сантиметра", "сантиметр", "сантиметрів", "सेंटीमीटर",
                       "厘米", "公分", "センチメートル", "センチ", "센티미터", "센티", "سنتيمتر", "سم")),
    "mm": (0.001, "m", ("mm", "millimeters", "millimetres", "milímetros", "millimètres", "millimeter")),
    "ms": (0.001, "s", ("ms", "milliseconds", "millisecond", "milisegundos", "millisecondes", "millisekunden",
                        "миллисекунд", "毫秒", "ミリ秒", "밀리초")),
    "km": (1000.0, "m", ("km", "kilometers", "kilometer", "kilometres", "kilometre", "kilómetros", "kilómetro",
                         "kilomètres", "kilomètre", "kilometri", "quilômetros", "километров", "километра",
                         "километр", "किलोमीटर", "公里", "キロメートル", "킬로미터", "كيلومتر", "kilometre")),
    "ft": (0.3048, "m", ("ft", "feet", "foot", "pies", "pie", "pieds", "pied", "fuß", "fuss", "voet", "piedi",
                         "piede", "pés", "pé", "stóp", "stopy", "stopa", "fot", "fötter", "fod", "футов", "фута",
                         "фут", "फ़ुट", "फुट", "फीट", "英尺", "フィート", "피트", "أقدام", "قدم", "ayak", "kaki")),
    "in": (0.0254, "m", ("inches", "inch", "pulgadas", "pulgada", "pouces", "pouce", "zoll", "duim", "pollici",
                         "pollice", "polegadas", "polegada", "cali", "cale", "cal", "tum", "дюймов", "дюйма",
                         "дюйм", "इंच", "英寸", "インチ", "인치", "بوصات", "بوصة", "inç")),
    "yd": (0.9144, "m", ("yards", "yard", "yd", "yardas", "yardă", "ярдов", "ярда", "码")),
    "rad": (180.0 / math.pi, "degrees", ("radians", "radian", "rad", "radianes", "radián", "radianti", "radianos",
                                   "radiants", "radiant", "radianten", "radiana", "radianów", "radiany", "Bogenmaß",
                                   "радиан", "радиана", "радианов", "弧度", "ラジアン", "라디안", "راديان", "radyan",
                                   "रेडियन")),
    "min": (60.0, "s", ("minutes", "minute", "min", "mins", "minutos", "minuto", "minuten", "minuti", "minuty",
                        "minut", "minuter", "minuut", "minuutje", "minutę", "minuta", "dakika", "минут", "минуты",
                        "минуту", "хвилин", "मिनट", "分钟",
                        "分間", "分", "분", "دقائق", "دقيقة", "دقيقتين", "menit", "phút")),
    "h": (3600.0, "s", ("hours", "hour", "hrs", "horas", "hora", "heures", "heure", "stunden", "stunde", "ore",
                        "uur", "часа", "час", "घंटे", "小时", "時間", "시간", "ساعة", "saat", "jam")),
    "turn": (360.0, "degrees", ("turns", "turn", "full turn", "full turns", "complete turn", "rotation",
                                "rotations", "revolution", "vuelta", "vueltas", "vuelta completa", "giro",
                                "giri", "giro completo", "volta", "voltas", "volta completa", "umdrehung",
                                "umdrehungen", "drehung", "omwenteling", "draai", "varv", "obrót", "obroty",
                                "obrotu", "obrotów", "otočku", "tur", "tour", "tours", "putaran", "vòng", "оборот",
                                "оборота", "поворот", "圈", "周", "回転", "바퀴", "دورة", "لفة", "chakkar", "चक्कर",
                                "slag", "slagen")),
}
SECONDS = r"(?:s|sec|secs|seconds?|segundos?|secondes?|secondo|sekunden?|secondi|seconden|sekund[eyę]?|saniye|" \
          r"секунд[уы]?|सेकंड|秒間|秒钟|秒|초|ثوان[ٍي]?|ثانية|detik|giây)"
METRE_WORDS = r"(?:m|meters?|metern|metres?|metros?|mètres?|metri|metr[ayuó]w?|метр(?:а|ов)?|मीटर|mét|米|メートル|" \
              r"미터|متر|أمتار|امتار|مترا|מטר|מטרים)"
DEGREE_WORDS = r"(?:deg|degrees?|grados?|degrés?|grad|graden|gradi|graus?|stopni|derece|градус(?:ов|а)?|डिग्री|度|도)"


def dimension(word: str) -> str | None:
    """What a unit word measures, as its base unit ("centímetros", "metro": "m"), or None for no unit word."""
    word = word.strip().rstrip(".").lower()
    for base, pattern in (("m", METRE_WORDS), ("s", SECONDS), ("degrees", DEGREE_WORDS)):
        if re.fullmatch(pattern, word):
            return base
    return next((base for _, base, words in UNITS.values() if word in words), None)


# A speed is metres per second, in any language's words for the three: "Metern pro Sekunde", "meter per
# seconde", "metri al secondo", "metry na sekundę", "मीटर प्रति सेकंड", or m/s as a symbol.
_PER = r"(?:/|per|a|an|each|every|por|par|à\s+la|pro|al|in|na|om|в|प्रति|mỗi)"
SPEED = rf"(?:mps|m/sec|{METRE_WORDS}\s*{_PER}\s*{SECONDS}|米每秒|米/秒|metre hızla|metre/saniye|" \
        r"(?:أمتار|متر|مترا|مترًا) في الثانية)"
# Speeds in other units, rewritten as the plan's (m/s and deg/s): (pattern after the number, factor, unit).
SPEEDS = (
    (r"km/h|kmh|kph|km/std|km/ч|(?:km|kilomet(?:er|re)s?) (?:per|an|a|each) hour|kilómetros? por hora|"
     r"km por hora|kilomètres? (?:par|à l')heure|km à l'heure|kilometer pro stunde|chilometri (?:all'ora|orari)|"
     r"quilômetros? por hora|километр(?:а|ов)? в час|公里每小时|公里/小时|キロメートル毎時", 1 / 3.6, "m/s"),
    (SPEED, 1.0, "m/s"),
    (r"rad/s|radians? per second|radianes por segundo", 180.0 / math.pi, "deg/s"),
    (rf"°/s|°\s*{_PER}\s*{SECONDS}|{DEGREE_WORDS}\s*{_PER}\s*{SECONDS}|度每秒|度/秒", 1.0, "deg/s"),
)
_FT_IN = re.compile(rf"({NUMBER})\s*(?:'|′|ft|feet|foot)\s*({NUMBER})\s*(?:\"|″|in|inches|inch)(?!\w)", re.I)
# English "a metre", "another foot", "one more second": the article is the number 1.
_ARTICLE = re.compile(r"(?<!meters\s)(?<!metres\s)(?<!meter\s)(?<!metre\s)"  # "2 meters a second" is a speed
                      r"\b(?:a|an|another|one more)\s+(?=(?:meters?|metres?|foot|feet|inch|yard|minute|second|"
                      r"degree|radian|centimeters?|centimetres?)\b)", re.I)


def _format(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _unit_pattern(words: tuple[str, ...]) -> re.Pattern:
    body = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    # CJK and Hangul units follow the number with no space and may run straight into the next word; a
    # hyphen may join them ("une demi-minute" is 0.5-minute by then).
    # "0.25 de vuelta", "0.75 di metro": a fraction joined to its unit by "of"
    # "a turn of 180 degrees", "un turn de 180 degrees": the unit word is a turn, its angle said after it
    return re.compile(rf"(?<![\d.])({NUMBER})\s*-?\s*(?:(?:de|di|of|da|do)\s+)?({body})"
                      rf"(?:(?<=[^\W\d_a-zA-Z])|(?![^\W\d_]))(?!\s+(?:of|de|di|by|von|um|van|na)\s+{NUMBER})", re.I)


_PATTERNS = {name: (factor, unit, _unit_pattern(words)) for name, (factor, unit, words) in UNITS.items()}
_SPEED_PATTERNS = [(re.compile(rf"(?<![\d.])({NUMBER})\s*(?:{words})(?![^\W\d_])", re.I), factor, unit)
                   for words, factor, unit in SPEEDS]
# Turkish and others put the speed first: "saniyede bir metre hızla" (at one metre a second).
# "1초에 2미터": 2 metres in 1 second
_PER_SECOND_FIRST = re.compile(rf"(?:saniyede\s+({NUMBER})\s+metre(?:\s+hızla)?|"
                               rf"(?:秒速|每秒|초속|1\s*초에|1\s*秒(?:に|で)?)\s*({NUMBER})\s*"
                               r"(?:メートル|米|미터|m))", re.I)
# "1 m 50 cm", "1미터 50센티", "un metro e vinte" (1.20 m): metres and a two-digit remainder.
_METRE_AND = re.compile(rf"(?<![\d.])(\d+)\s*{METRE_WORDS}\s*(?:and|y|e|et|und|en|i|и|و)?\s*(\d{{1,2}})(?!\d|\.\d)"
                        rf"(?:\s*(?:cm|centimet\w*|センチ\w*|센티\w*|厘米|公分))?(?!\s*(?:(?:second|segund|sekund|"
                        rf"grad|degr|deg|times|veces|fois|mal|volte)\w*|s\b|°))", re.I)
# REP-103: a negative yaw is clockwise (right), a positive one counter-clockwise (left).
_SIGNED_YAW = re.compile(rf"\b(yaw|rotate|turn|spin)(\s+(?:by|of))?\s*([-+−])\s*({NUMBER})"
                         rf"(?:\s*(?:deg|degrees?|°)(?![\w]))?", re.I)
_PI = re.compile(rf"(?<![\w.])(\d+(?:\.\d+)?)?\s*(?:pi|π|пи)(?:\s*(?:/|over|divided by|sur|entre|sobre|durch|"
                 rf"diviso|fratto|przez|на|bölü)\s*(\d+))?(?=\s*(?:{'|'.join(UNITS['rad'][2])})(?![^\W\d_]))", re.I)
# A speed held for a time, once every speed reads m/s or deg/s: "0.5 m/s for 6 s" is 3 m, "30 deg/s for 3 s" 90°.
# (Not after a stated distance: "2 m at 0.3 m/s for 4 s" says two things, and the model reads both.)
_SPEED_FOR = re.compile(rf"(?<!\bm\s)(?<!\bm\sat\s)(?:\bat\s+)?(?<![\d.])({NUMBER})\s*(m/s|deg/s)"
                        rf"(\W{{1,3}}[^\d]{{0,20}}?)({NUMBER})\s*{SECONDS}(?:(?<=[^\W\d_a-zA-Z])|(?![^\W\d_]))", re.I)
_HELD = {"m/s": "m", "deg/s": "degrees"}
# A distance or an angle covered in a time is a speed too: "3 m in 2 seconds flat" is 1.5 m/s (over the limit),
# "180 градусов за 1 секунду" 180 deg/s.
_IN_TIME = r"(?:in|within|en|dans|em|entro|binnen|innerhalb\s+von|за|w\s+ciągu)"
_COVERED_IN = [(re.compile(rf"(?<![\d.])({NUMBER})\s*({words})(?![^\W\d_])([^\d]{{0,25}}?)\b{_IN_TIME}\s+({NUMBER})\s*"
                           rf"{SECONDS}(?:(?<=[^\W\d_a-zA-Z])|(?![^\W\d_]))", re.I), unit)
               for words, unit in ((METRE_WORDS, "m/s"), (DEGREE_WORDS, "deg/s"))]


def _covered_in(match: re.Match, unit: str) -> str:
    amount, seconds = float(match.group(1)), float(match.group(4))
    if seconds <= 0:
        return match.group(0)
    speed = f"{amount / seconds:.3f}".rstrip("0").rstrip(".")
    return f"{match.group(1)} {match.group(2)}{match.group(3).rstrip()} at {speed} {unit}"


def _signed_yaw(match: re.Match) -> str:
    side = "right" if match.group(3) in "-−" else "left"
    return f"{match.group(1)}{match.group(2) or ''} {match.group(4)} degrees {side}"


def _pi(match: re.Match) -> str:
    return f"{float(match.group(1) or 1) * math.pi / float(match.group(2) or 1):.6f} "


# English "walk 2 m" names no direction, and a walk with none goes forward: say so, or a small model
# carries over the direction of the step before ("turn left and walk 2 m" is not a side-step).
_UNDIRECTED_WALK = re.compile(
    rf"\b(walk|go|move|step|head)\s+(?=(?:another\s+)?{NUMBER}\s*(?:m|meters?|metres?)\b"
    r"(?!\s*(?:forward|ahead|back\w*|left|right|sideways|side|to\s+(?:the|your|my)|in\s+reverse)))", re.I)


def convert(text: str) -> str:
    """`text` with lengths in metres, angles in degrees and times in seconds, written as digits."""
    text = _ARTICLE.sub("1 ", text)
    text = _PI.sub(_pi, text)
    text = _SIGNED_YAW.sub(_signed_yaw, text)
    text = _FT_IN.sub(lambda m: f"{_format(float(m.group(1)) * 0.3048 + float(m.group(2)) * 0.0254)} m", text)
    text = _METRE_AND.sub(lambda m: f"{_format(float(m.group(1)) + float(m.group(2)) / 100)} m", text)
    text = _PER_SECOND_FIRST.sub(lambda m: f"at {m.group(1) or m.group(2)} m/s ", text)
    for pattern, factor, unit in _SPEED_PATTERNS:  # m/s to 3 places: 2 km/h is 0.556 m/s, so 6 s of it 3.33 m
        places = 3 if unit == "m/s" else 2
        text = pattern.sub(lambda m, f=factor, u=unit, n=places: f"{float(m.group(1)) * f:.{n}f}".rstrip("0")
                           .rstrip(".") + f" {u}", text)
    text = _SPEED_FOR.sub(lambda m: f"{_format(float(m.group(1)) * float(m.group(4)))} {_HELD[m.group(2).lower()]} "
                                    f"at {m.group(1)} {m.group(2)}", text)
    for factor, unit, pattern in _PATTERNS.values():
        text = pattern.sub(lambda m, f=factor, u=unit: f"{_format(float(m.group(1)) * f)} {u}", text)
    for pattern, unit in _COVERED_IN:
        text = pattern.sub(lambda m, u=unit: _covered_in(m, u), text)
    return _UNDIRECTED_WALK.sub(r"\1 forward ", text)
