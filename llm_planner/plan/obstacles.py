"""Things the task says are around the robot ("there's a chair on your left; walk forward two metres").

A small model read the side of such a thing as the way to walk: "Hay una silla a la izquierda. Camina dos
metros hacia adelante" became a sidestep left. A clause that says an obstacle is somewhere (as
`located_hazards.bearing` reads it: a word for "is", a direction, no word of motion) and asks for nothing
else is left out of what the model reads, and the plan may not walk towards the obstacle: walking into
furniture, people or pets is the same refusal as walking into a hazard. The obstacle words are nouns, so a
clause such as "that's right" is never taken for one.
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from llm_planner.plan.lexicon import (
    CLAUSE_PUNCTUATION,
    DIRECTION_WORDS,
    clauses,
    table_words,
    vocabulary_patterns,
    without_clauses,
    words_pattern,
)
from llm_planner.plan.located_hazards import bearing, motion_pattern
from llm_planner.plan.places import PlaceBook, mentions, remembered_at

# Things a robot walks into, per language (space-separated; `*` a prefix, a phrase joins its words with "_").
OBSTACLE_WORDS: dict[str, str] = {
    "en": "chair* table* box* boxes wall* sofa* couch* plant* bin bins trash_can* bag* backpack* toy* shelf "
          "shelves cabinet* bike* bicycle* stroller* cart* vase* lamp* pillar* column* bench* bucket* ladder* "
          "person people someone somebody man woman child* kid* baby dog* cat* pet* obstacle* stool*",
    "es": "silla* mesa* caja* pared* sofá* planta* papelera* bolsa* mochila* juguete* estante* armario* "
          "bicicleta* carrito* jarrón lámpara* columna* banco* cubo* escalera_de_mano persona* alguien hombre "
          "mujer niño* niña* bebé perro* gato* mascota* obstáculo* taburete*",
    "fr": "chaise* table* boîte* carton* mur murs canapé* plante* poubelle* sac sacs jouet* étagère* armoire* "
          "vélo* chariot* vase lampe* colonne* banc* seau* personne* quelqu'un homme femme enfant* bébé chien* "
          "chat chats obstacle* tabouret*",
    "de": "stuhl* stühle* tisch* kiste* karton* wand wände sofa* couch* pflanze* mülleimer* tasche* rucksack* "
          "spielzeug* regal* schrank* fahrrad* wagen vase* lampe* säule* bank eimer* leiter* person* jemand mann "
          "frau kind* baby hund* katze* haustier* hindernis* hocker*",
    "it": "sedia* sedie tavolo* scatola* scatole muro muri parete* divano* pianta* cestino* borsa* zaino* "
          "giocattol* scaffale* armadio* bici* bicicletta* carrello* vaso lampada* colonna* panchina* secchio* "
          "persona* qualcuno uomo donna bambin* cane* gatto* gatti animale* ostacolo* sgabello*",
    "pt": "cadeira* mesa* caixa* parede* sofá* planta* lixeira* bolsa* mochila* brinquedo* prateleira* armário* "
          "bicicleta* carrinho* vaso* luminária* coluna* banco* balde* pessoa* alguém homem mulher criança* "
          "bebê cachorro* cão gato* bicho* obstáculo* banquinho*",
    "nl": "stoel* tafel* doos dozen muur muren bank plant* prullenbak* tas tassen rugzak* speelgoed kast* fiets* "
          "kar vaas lamp* pilaar* zuil* emmer* ladder* persoon* iemand man vrouw kind kinderen baby hond* kat "
          "katten huisdier* obstakel* kruk*",
    "pl": "krzesł* stół stoł* pudł* pudeł* karton* ścian* sofa* kanap* roślin* kosz* torb* plecak* zabawk* "
          "półk* szaf* rower* wózek wózk* wazon* lamp* kolumn* ławk* wiadr* drabin* osob* ktoś mężczyzn* kobiet* "
          "dzieck* dziec* pies psa kot kota zwierz* przeszkod*",
    "ru": "стул* стол стола столом кресл* коробк* ящик* стен* диван* растени* корзин* сумк* рюкзак* игрушк* "
          "полк* шкаф* велосипед* тележк* ваз* ламп* колонн* скамейк* ведр* стремянк* человек* люди "
          "кто-то мужчин* женщин* ребён* ребен* дет* собак* пёс кошк* кот питом* препятстви* табурет*",
    "tr": "sandalye* masa* kutu* duvar* kanepe* koltuk* bitki* çöp_kutusu* çanta* sırt_çantası* oyuncak* raf* "
          "dolap* bisiklet* araba* vazo* lamba* sütun* bank* kova* merdiven_basamağı insan* biri birisi adam "
          "kadın kişi* çocuk* bebek köpek* kedi* hayvan* engel*",
    "ja": "椅子 いす イス テーブル 机の上 箱 壁 ソファ 植物 鉢 ゴミ箱 かばん 鞄 バッグ リュック おもちゃ 棚 自転車 "
          "カート 花瓶 ランプ 柱 ベンチ バケツ 人が 誰か 子供 子ども 赤ちゃん 犬 猫 ペット 障害物",
    "zh": "椅子 桌子 箱子 盒子 墙 沙发 植物 花盆 垃圾桶 包 背包 玩具 架子 柜子 自行车 推车 花瓶 灯 柱子 长椅 "
          "桶 梯子 有人 那个人 这个人 那人 孩子 小孩 婴儿 狗 猫 宠物 障碍物 凳子",
    "ko": "의자 테이블 탁자 상자 박스 벽 소파 식물 화분 쓰레기통 가방 배낭 장난감 선반 캐비닛 자전거 카트 "
          "꽃병 램프 기둥 벤치 양동이 사다리 사람 누군가 아이 아기 강아지 고양이 애완동물 장애물 스툴",
    "hi": "कुर्सी मेज़_पर टेबल डिब्बा बक्सा दीवार सोफ़ा सोफा पौधा गमला कूड़ेदान बैग बस्ता खिलौना शेल्फ़ अलमारी "
          "साइकिल गाड़ी फूलदान लैंप खंभा बेंच बाल्टी सीढ़ी_वाली आदमी औरत बच्चा बच्चे कुत्ता बिल्ली "
          "पालतू रुकावट बाधा",
    "ar": "كرسي طاولة صندوق علبة جدار حائط كنبة أريكة نبتة نبات سلة حقيبة لعبة رف خزانة دراجة عربة مزهرية "
          "مصباح عمود مقعد دلو سلم_نقال شخص أحد رجل امرأة طفل كلب قطة حيوان عائق",
}
# Words that send a motion at a thing, before it ("walk towards the dog", "иди на собаку") or after it, where
# a language marks the goal after the noun ("kişiye doğru", "人に向かって", "사람 쪽으로", "आदमी की ओर").
AT_WORDS = ("towards toward into at straight_at right_at directly_at up_to hacia contra directo_a vers contre "
            "droit_sur auf gegen in_den in_die verso contro addosso_a em_direção_ao em_direção_à contra naar_de tegen "
            "w_stronę prosto_na na в к ко прямо_на nach 朝 向着 对着 撞向 نحو باتجاه اتجاه")
AT_AFTER_WORDS = "doğru üstüne に向かって に向けて 쪽으로 에게로 향해 की_ओर की_तरफ़ की_तरफ"
# Words that say a side is free ("there's room on your left"): such a clause places nothing to avoid.
FREE_WORDS = ("room space free clear empty nothing nobody nadie nada espacio libre rien personne_n' place_libre "
              "frei platz nichts niemand spazio libero niente nessuno espaço livre ninguém ruimte vrij niets "
              "niemand miejsce wolne nic nikt место свободно ничего никого boş yer hiçbir 空いて 何も 空 没有 "
              "비어 없어 खाली कुछ_नहीं فارغ لا_شيء")


class Obstacles(NamedTuple):
    """The bearings of the obstacles the task places around the robot, and the task without the clauses
    that only say where they are."""

    bearings: tuple[float, ...]
    text: str


@cache
def _patterns() -> tuple[re.Pattern, re.Pattern]:
    return words_pattern(table_words(OBSTACLE_WORDS)), words_pattern(FREE_WORDS.split())


@cache
def _approach() -> tuple[re.Pattern, re.Pattern]:
    return words_pattern(AT_WORDS.split()), words_pattern(AT_AFTER_WORDS.split())


def approached_obstacles(text: str, book: PlaceBook) -> list[str]:
    """The obstacles the task sends the robot at ("walk straight at the dog", "kişiye doğru üç metre yürü"): an
    obstacle word right after an "at" word (two words between at most) or right before a goal word after it, in a
    clause with a word of motion. A known place of `book` is a goal, not an obstacle (a table that is the desk),
    and so is a thing the task remembered a spot as («диван»)."""
    found = list(_patterns()[0].finditer(text))
    if not found:
        return []
    places = mentions(text, book)
    found = [m for m in found if not any(s <= m.start() < e for s, e, _ in places)
             and not remembered_at(text, m.start(), m.group(0))]
    at, at_after = _approach()
    spans = clauses(text)
    sent = []
    for match in found:
        start, end = next(((s, e) for s, e in spans if s <= match.start() < e), (0, len(text)))
        if not motion_pattern().search(text, start, end):
            continue
        before, after = text[start:match.start()], text[match.end():end]
        if re.search(rf"(?:{at.pattern})(?:\s+[^\s]+){{0,2}}\s*$", before, re.IGNORECASE) or \
                re.match(rf"^\S{{0,4}}\s*(?:[^\s]+\s+)?(?:{at_after.pattern})", after, re.IGNORECASE):
            sent.append(match.group(0))
    return sent


def located_obstacles(text: str) -> Obstacles:
    """Where the task says obstacles are, and the task without the clauses that say no more than that."""
    obstacle, free = _patterns()
    found = list(obstacle.finditer(text))
    if not found:
        return Obstacles((), text)
    bearings, dropped = [], set()
    spans = clauses(text)
    for match in found:
        where = bearing(text, *match.span())
        clause = next((i for i, (s, e) in enumerate(spans) if s <= match.start() < e), None)
        if where is None or clause is None or free.search(text, *spans[clause]):
            continue
        bearings.append(where)
        asks = [name for pattern, name in vocabulary_patterns() for _ in pattern.finditer(text, *spans[clause])]
        if all(name in DIRECTION_WORDS for name in asks):  # no gesture or other step asked for in it
            dropped.add(clause)
    kept = re.sub(rf"^(?:\s|{CLAUSE_PUNCTUATION})+", "", without_clauses(text, spans, dropped)).strip()
    return Obstacles(tuple(bearings), kept or text)
