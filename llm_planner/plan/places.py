"""Named places as data: what the places file lists, what the `places` topic carries, what plans may go to.

A place is a name, a frame, x, y and a heading, with optional words for it in other languages.
`home` always exists: the pose where the robot's odometry started. The planner only needs the
names (and the poses, for the workspace check); the bridge owns the file, remembers places and
decides which may be driven to now (`Destinations`). Imports only the plan models, no ROS.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from anyascii import anyascii
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from llm_planner.plan.lexicon import table_words, word_pattern, words_pattern
from llm_planner.plan.schema import HOME, PLACE_NAME_PATTERN, UNKNOWN_PLACE, PlaceName

MAX_PLACES = 64
MAX_ALIASES = 64
Pose = tuple[float, float, float]  # x, y (m) and yaw (rad) in the odom frame


class Place(BaseModel):
    """One named pose. `epoch` is set on a remembered place: the odometry session it was measured in."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: PlaceName
    frame: Literal["odom", "map"] = Field("odom", description="odom: relative to where odometry started")
    x: float = Field(allow_inf_nan=False, ge=-1000, le=1000)
    y: float = Field(allow_inf_nan=False, ge=-1000, le=1000)
    yaw_deg: float = Field(0.0, allow_inf_nan=False, ge=-360, le=360)
    aliases: tuple[str, ...] = Field((), max_length=MAX_ALIASES, description="words for it, in any language")
    epoch: str | None = Field(None, max_length=64, description="odometry session of a remembered place")

    @field_validator("name")
    @classmethod
    def _not_reserved(cls, name: str) -> str:
        if name == UNKNOWN_PLACE:
            raise ValueError(f"{UNKNOWN_PLACE!r} is reserved: the planner's word for a place it does not know")
        return name

    @field_validator("aliases")
    @classmethod
    def _bounded_aliases(cls, aliases: tuple[str, ...]) -> tuple[str, ...]:
        cleaned = tuple(" ".join(a.split()).lower() for a in aliases)
        if any(not a or len(a) > 40 for a in cleaned):
            raise ValueError("an alias is 1 to 40 characters")
        return cleaned

    @property
    def pose(self) -> Pose:
        return self.x, self.y, math.radians(self.yaw_deg)


HOME_PLACE = Place(name=HOME, x=0.0, y=0.0, yaw_deg=0.0, aliases=(
    "the start", "your start", "starting point", "where you started", "where you began", "the beginning", "origin",
    "inicio", "punto de partida", "donde empezaste", "départ", "point de départ", "startpunkt", "ausgangspunkt",
    "punto di partenza", "ponto de partida", "начало", "исходн*", "старт*", "起点", "原点", "出发点", "出発点",
    "スタート地点", "最初の場所", "처음 위치", "출발점", "시작 위치", "نقطة البداية", "शुरुआत",
    "waar je begon", "waar je bent begonnen", "beginpunt", "startpunt", "wo du angefangen hast", "wo du gestartet bist",
    "donde comenzaste", "dove hai iniziato", "dove sei partito", "onde você começou", "onde começaste",
    "где ты начал", "где начал", "gdzie zacząłeś", "punkt startowy", "başladığın yer*", "där du började",
    "जहाँ से शुरू", "जहां से शुरू",
    "casa", "nach hause", "à la maison", "naar huis", "do domu", "домой", "eve dön*",
    "回家", "家に帰", "집으로", "घर", "المنزل", "البيت"))


class PlaceBook(BaseModel):
    """The places of one file, names unique, `home` always among them (added at the origin if missing)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    places: tuple[Place, ...] = Field((), max_length=MAX_PLACES)

    @model_validator(mode="after")
    def _unique_with_home(self) -> PlaceBook:
        names = [p.name for p in self.places]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"place names must be unique: {', '.join(twice)}")
        if HOME not in names:
            object.__setattr__(self, "places", (HOME_PLACE, *self.places))
        return self

    @classmethod
    def from_yaml(cls, text: str) -> PlaceBook:
        """A places file's text; ValueError (pydantic's, or YAML's) for one that is not a list of places."""
        data = yaml.safe_load(text) or {}
        if not isinstance(data, dict):
            raise ValueError("a places file is a mapping with a `places` list")
        return cls.model_validate({"places": data.get("places") or []})

    def to_yaml(self) -> str:
        places = [p.model_dump(exclude_none=True, exclude_defaults=False) for p in self.places]
        for place in places:
            place["aliases"] = list(place["aliases"])
            if not place["aliases"]:
                del place["aliases"]
        return yaml.safe_dump({"places": places}, allow_unicode=True, sort_keys=False)

    def get(self, name: str) -> Place | None:
        return next((p for p in self.places if p.name == name), None)

    def with_place(self, place: Place) -> PlaceBook:
        """This book with `place` added, or replacing the place of that name."""
        kept = [p for p in self.places if p.name != place.name]
        return PlaceBook(places=(*kept, place))


# The simulated world's places; the evaluation uses exactly these names and poses.
SIM_WORLD = PlaceBook(places=(
    HOME_PLACE,
    Place(name="door", x=4.0, y=0.0, yaw_deg=0.0, aliases=(
        "doorway", "puerta", "porte", "tür", "haustür", "eingangstür", "wohnungstür",
        "porta", "deur", "drzwi", "kapı*", "дверь", "двери", "двер*",
        "门口", "门边", "门前", "大门", "ドア", "扉", "문으로", "문 앞", "문까지", "문 쪽", "출입문", "باب",
        "दरवाज़ा", "दरवाजा", "दरवाज़े", "दरवाजे", "pintu", "cửa", "dörr*")),
    Place(name="desk", x=2.0, y=1.5, yaw_deg=90.0, aliases=(
        "escritorio", "escrivaninha", "bureau", "schreibtisch", "scrivania", "secretária", "biurko",
        "стол", "столу", "书桌", "办公桌", "机の前", "机まで", "机のところ",
        "デスク", "책상", "مكتب", "डेस्क", "मेज़", "मेज", "meja",
        "biurk*", "skrivbord*", "masa*", "bàn làm việc")),
    Place(name="window", x=0.0, y=3.0, yaw_deg=90.0, aliases=(
        "windowsill", "ventana", "fenêtre", "fenster", "finestra", "janela", "raam", "okno", "pencere*", "окно",
        "окну", "окна", "окне", "窗户", "窗边", "窗口", "窓", "창문", "창가", "نافذة", "شباك", "शीशे", "खिड़की",
        "jendela", "cửa sổ", "okn*", "fönst*")),
    Place(name="charger", x=-1.5, y=-1.0, yaw_deg=180.0, aliases=(
        "charging station", "charging dock", "go charge", "go and charge", "go recharge",
        "charge yourself", "recharge yourself", "plug yourself in",
        "base di ricarica", "base de recharge", "charging point", "charging spot", "docking station", "dock",
        "cargador", "estación de carga", "base de carga", "chargeur", "station de recharge", "borne de recharge",
        "ladestation", "ladegerät", "caricatore", "stazione di ricarica", "carregador",
        "estação de carregamento", "base de carregamento", "ir carregar", "te recharger", "recharge-toi",
        "oplader", "laadstation", "ładowark*", "stacj* ładowania", "şarj*",
        "зарядк*", "зарядн*", "充电器", "充电站", "去充电", "充电桩", "充电座", "充電器", "充電ステーション", "充電",
        "충전기", "충전소", "충전하러", "충전 스테이션", "شاحن", "الشاحن", "للشاحن",
        "محطة الشحن", "चार्जर", "pengisi daya", "laddare*",
        "laddstation*", "trạm sạc")),
))


@dataclass(frozen=True)
class Destinations:
    """What a plan may go to now: the poses of places that may be driven to, and why the others may not."""

    poses: Mapping[str, Pose] = field(default_factory=dict)
    refused: Mapping[str, str] = field(default_factory=dict)  # known place -> why it may not be driven to now

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(sorted({*self.poses, *self.refused}))

    @classmethod
    def of(cls, places: Iterable[Place], refused: Mapping[str, str] | None = None) -> Destinations:
        refused = dict(refused or {})
        return cls({p.name: p.pose for p in places if p.name not in refused}, refused)


def mentions(text: str, book: PlaceBook) -> list[tuple[int, int, str]]:
    """(start, end, place name) of each place the task names by its name or an alias, in text order; one
    overlapping an earlier or longer one is not a mention ("문으로", to the door, in "창문으로", to the window)."""
    found = sorted((m.start(), -m.end(), place.name) for place in book.places for word in (place.name, *place.aliases)
                   for m in re.finditer(word_pattern(word.replace(" ", "_")), text, re.IGNORECASE))
    kept: list[tuple[int, int, str]] = []
    for start, end, name in ((s, -e, n) for s, e, n in found):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end, name))
    return kept


def place_glosses(text: str, book: PlaceBook) -> list[tuple[str, str]]:
    """(words as written, place name) for each known place the task names by one of its aliases
    ("la puerta" -> door), the way gestures are glossed; a place named by its own name is not glossed."""
    glossed: dict[tuple[str, str], None] = {}
    for start, end, name in mentions(text, book):
        if text[start:end].lower() != name.replace("_", " "):
            glossed.setdefault((text[start:end], name))
    return list(glossed)


def named_places(text: str, book: PlaceBook) -> tuple[str, ...]:
    """The known places the task names, by name (words joined by spaces or _) or by an alias, in book order."""
    said = {name for _, _, name in mentions(text, book)}
    return tuple(p.name for p in book.places if p.name in said)


class KnownPlaces(BaseModel):
    """What the `places` topic carries: every place the bridge knows, and those it will not drive to now."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    places: tuple[Place, ...] = Field((), max_length=MAX_PLACES)
    refused: dict[PlaceName, str] = Field(default_factory=dict, description="place -> why not now")
    navigation: str = ""

    @property
    def book(self) -> PlaceBook:
        return PlaceBook(places=self.places)

    @property
    def destinations(self) -> Destinations:
        return Destinations.of(self.places, self.refused)


# Words that save the spot the robot stands on under a name ("remember this spot as the photo corner"): a
# task with one names a place of its own, which a later go_to of the same task may go back to.
REMEMBER_WORDS: dict[str, str] = {
    "en": "remember rmbr memorize memorise save_this* save_the_spot save_your* mark_this* call_this* name_this* "
          "store_this*",
    "es": "recuerda* memoriza* guarda_este* guárdate_este* guarda_esta* graba_este* apunta_este*",
    "fr": "mémorise* retiens* souviens-toi enregistre*", "de": "merk_dir* merke_dir* merk_dir_diese* speicher*",
    "it": "ricorda* memorizza* salva_questo* segna_questo*",
    "pt": "lembr* memoriz* grave_este* grava_esse* grava_este* salve_este* salva_esse* salva_este*",
    "nl": "onthoud* sla_deze* bewaar_deze*", "pl": "zapamiętaj* zapisz_to*", "ru": "запомни* сохрани_это*",
    "tr": "hatırla* kaydet*",
    "ja": "覚えて 覚えと 記憶して 保存して", "zh": "记住 记下", "ko": "기억해 저장해", "hi": "याद_रख* याद_कर*",
    "ar": "تذكر تذكّر احفظ*", "hi_latn": "yaad_rakho yaad_karo remember_karo"}


_REMEMBERS = words_pattern(table_words(REMEMBER_WORDS))


def remembers(text: str) -> bool:
    """Whether the task saves a spot under a name of its own (so a go_to of the task may name it)."""
    return _REMEMBERS.search(text) is not None


def remembered_before(text: str, words: str) -> bool:
    """Whether the place `words` go to ("go back to the photo") was remembered earlier in the task ("remember
    this spot as the photo corner"): its last word stands after a remember word, before `words`."""
    at = text.lower().find(words.lower())
    before, last = text[:max(at, 0)], words.split()[-1]
    found = _REMEMBERS.search(before)
    return found is not None and re.search(rf"(?<!\w){re.escape(last)}(?!\w)", before[found.end():], re.I) is not None


def remembered_at(text: str, start: int, word: str) -> bool:
    """Whether `word`, said at `start` ("вернись к дивану"), names a spot the task remembered before it
    («диван»): its stem (inflections aside) stands after a remember word, before `start`."""
    found = _REMEMBERS.search(text, 0, start)
    stem = word[:max(3, len(word) - 2)]
    return found is not None and re.search(rf"(?<!\w){re.escape(stem)}", text[found.end():start], re.I) is not None


def renamed_places(text: str, book: PlaceBook) -> tuple[str, ...]:
    """The known places a remember of this task may save the spot as: those named in the sentence that
    remembers ("remember this spot as the door"). A small model that cannot spell the new name ("как
    «диван»") wrote a known one instead, and overwrote it."""
    return tuple(dict.fromkeys(name for sentence in _SENTENCE_END.split(text) if remembers(sentence)
                               for name in named_places(sentence, book)))


_SENTENCE_END = re.compile(r"[.;:!?。！？；।؟]")
# Scripts whose new names the small model cannot write as a place name: it wrote a known place or an example's
# name for "как «диван»", "रसोई के नाम से", "باسم المطبخ" (it spells Hangul, kana and hanzi ones itself).
_UNSPELLED = re.compile(r"[\u0400-\u04ff\u0590-\u06ff\u0900-\u097f]")  # Cyrillic, Hebrew and Arabic, Devanagari
_QUOTED = re.compile(r"[«“„\"'‹]([^»”“\"'›]{1,40})[»”“\"'›]")


def spelled_names(text: str) -> list[tuple[str, str]]:
    """(words, name) for each new name a remember of the task gives in a script the model cannot spell, the name
    in ASCII letters ("«диван»" -> divan). The name is the quoted one of the remembering sentence, or else the
    word of it nearest the remember word that a later sentence says again ("вернись к дивану")."""
    found = []
    sentences = _SENTENCE_END.split(text)
    for i, sentence in enumerate(sentences):
        said = _REMEMBERS.search(sentence)
        if said is None or not _UNSPELLED.search(sentence):
            continue
        later = " ".join(sentences[i + 1:]).lower()
        words = [(m.start(), m[1].strip()) for m in _QUOTED.finditer(sentence)] or [
            (m.start(), m[0]) for m in re.finditer(r"[^\s\d,،.…—–!?、，()]{3,}", sentence)
            if not said.start() <= m.start() < said.end() and m[0].lower()[:max(3, len(m[0]) - 1)] in later]
        if words:
            word = min(words, key=lambda w: abs(w[0] - said.start()))[1]
            name = re.sub(r"[^a-z0-9]+", "_", anyascii(word).lower()).strip("_")[:32].rstrip("_")
            if _UNSPELLED.search(word) and re.fullmatch(PLACE_NAME_PATTERN, name) and name not in (HOME, UNKNOWN_PLACE):
                found.append((word, name))
    return found


# Common names of rooms and furniture in many languages, as data: a spot the task remembers is saved under an
# English name, and a small model left names untranslated ("rede", "pianta", "тумбочка") or half-translated
# ("coin_reading"); the remembering sentence's name is glossed in English.
_PLACE_NAMES = Path(__file__).with_name("place_names.json")
_NAME_QUOTED = re.compile(r"[«“„\"'‹「『]([^»”“\"'›」』]{1,40})[»”“\"'›」』]")


@cache
def place_names() -> dict[str, dict[str, list[str]]]:
    """English name -> language -> the words for it (case forms and diminutives among them)."""
    return json.loads(_PLACE_NAMES.read_text(encoding="utf-8"))


@cache
def _names() -> list[tuple[re.Pattern, str]]:
    """One pattern per English name, its words of every language longest first."""
    found = []
    for name, languages in place_names().items():
        words = sorted({w.lower() for ws in languages.values() for w in ws if w.strip()}, key=len, reverse=True)
        found.append((re.compile("|".join(word_pattern(w.replace(" ", "_")) for w in words), re.IGNORECASE), name))
    return found


def translated_names(text: str) -> list[tuple[str, str]]:
    """(words as written, English name) for the name each remembering sentence gives, where the lexicon knows
    it: the quoted name, or else the known name nearest the word of remembering ("jako kanapa": sofa)."""
    found = []
    for sentence in _SENTENCE_END.split(text):
        said = _REMEMBERS.search(sentence)
        if said is None:
            continue
        spans = [m.span(1) for m in _NAME_QUOTED.finditer(sentence)] or [(0, len(sentence))]
        hits = [(abs(start + m.start() - said.start()), m.group(0), name) for start, end in spans
                for pattern, name in _names() for m in pattern.finditer(sentence[start:end])
                if m.group(0).lower().replace(" ", "_") != name]  # "sofa" is its own name: nothing to gloss
        if hits:
            _, words, name = min(hits, key=lambda hit: (hit[0], -len(hit[1])))
            found.append((words, name))
    return found


def name_glosses(text: str) -> list[tuple[str, str]]:
    """The English names of the spots the task remembers (`translated_names`), and for the others in a script
    the model cannot spell, the name in ASCII letters (`spelled_names`)."""
    translated = translated_names(text)
    return translated + [(words, name) for words, name in spelled_names(text)
                         if not any(words in other or other in words for other, _ in translated)]
