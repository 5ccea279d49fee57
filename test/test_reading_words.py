"""How single words are read before the model: a decimal said without its zero, and a verb that is both
"get up" and "raise" (the model reads the glosses, so a wrong one costs the task)."""

from __future__ import annotations

import pytest

from llm_planner.plan.hazards import hazards
from llm_planner.planning.normalize import normalize, repetitions, stated_speeds


@pytest.mark.parametrize(("task", "number"), [("walk three meters at point four meters per second", 0.4),
                                              ("wait point five seconds", 0.5),
                                              ("walk point seven five m", 0.75)])
def test_a_decimal_said_without_its_zero_is_a_number(task: str, number: float) -> None:
    assert number in normalize(task).numbers, normalize(task)


@pytest.mark.parametrize("task", ["go to point four", "remember this as point four and walk 1 m"])
def test_point_and_a_number_with_no_unit_is_a_name(task: str) -> None:
    assert "point 4" in normalize(task).text


@pytest.mark.parametrize(("task", "meaning"), [("levanta la mano y saluda", None), ("levanta os braços", "hands_up"),
                                               ("levanta y camina dos metros", "stand_up")])
def test_levanta_before_a_hand_raises_it(task: str, meaning: str | None) -> None:
    meanings = [m for _, m in normalize(task).glosses]
    assert "stand_up" not in meanings or meaning == "stand_up", meanings
    if meaning:
        assert meaning in meanings


@pytest.mark.parametrize(("task", "count"), [("klatsch fünfzehnmal", 15), ("klap twintigmaal in je handen", 20),
                                             ("dreimal klatschen", 3)])
def test_a_count_written_as_one_word_is_read_by_the_parser(task: str, count: int) -> None:
    assert repetitions(normalize(task).text) == [count]


def test_words_that_end_like_a_count_stay_words() -> None:
    assert normalize("mach das nochmal ganz normal").text == "mach das nochmal ganz normal"


@pytest.mark.parametrize("task", ["wait 5 seconds clap", "等五秒然后跟我击个掌", "walk 2 meters wave"])
def test_a_measure_is_no_count_of_the_gesture_after_it(task: str) -> None:
    assert all(", " not in meaning for _, meaning in normalize(task).glosses), normalize(task).glosses


def test_a_count_still_counts_the_gesture() -> None:
    assert ("wave 3 times", "wave, wave, wave") in normalize("walk two meters then wave three times").glosses
    assert ("拍手2下", "clap, clap") in normalize("拍手两下").glosses  # 下, a count of strokes
    assert repetitions(normalize("往下看").text) == []


@pytest.mark.parametrize(("task", "number"), [("walk a meter and a half", 1.5), ("wait a minute and a half", 90.0)])
def test_a_unit_and_a_half_after_an_article(task: str, number: float) -> None:
    assert normalize(task).numbers == (number,), normalize(task)


@pytest.mark.parametrize(("task", "kept"), [("turn 90 no sorry 45 degrees left", "turn 45 degrees left"),
                                            ("tourne de 90 non pardon de 45 degrés à gauche", "45 degrés"),
                                            ("walk 2 meters no 3", "3 meters")])
def test_a_number_taken_back_with_two_words_is_replaced(task: str, kept: str) -> None:
    text = normalize(task).text
    assert kept in text and "90" not in text and " 2 " not in text, text


@pytest.mark.parametrize(("task", "speed"), [("1초에 2미터 속도로 앞으로 걸어", 2.0),
                                              ("1秒に1メートルの速さで前に歩いて", 1.0)])
def test_metres_in_one_second_is_a_speed(task: str, speed: float) -> None:
    assert stated_speeds(normalize(task).text) == {"speed_mps": (speed,)}


@pytest.mark.parametrize("task", ["saluta con la mano davanti alla faccia", "acene na frente do rosto",
                                  "winke vor deinem Gesicht", "помаши перед лицом"])
def test_a_wave_before_the_face_is_the_face_wave(task: str) -> None:
    assert [m for _, m in normalize(task).glosses if "wave" in m] == ["face_wave"], normalize(task).glosses


@pytest.mark.parametrize(("task", "backward"), [("go back to the charging dock", False), ("come back", False),
                                                ("wave so the people at the back see you", False),
                                                ("walk back 2 meters", True), ("back up two meters", True)])
def test_back_is_a_direction_only_where_it_is_one(task: str, backward: bool) -> None:
    assert ("backward" in [m for _, m in normalize(task).glosses]) == backward, normalize(task).glosses


@pytest.mark.parametrize(("task", "gloss"), [
    ("put your hand up high and wave", "put your hand up high and wave"),
    ("levanta la mano bien alto y saluda", "levanta la mano bien alto y saluda"),
    ("手を高く上げて手を振って", "手を高く上げて手を振"),
    ("turn left, put it up high and wave", "put it up high and wave"),  # not past the clause
    ("wave up high", "wave up high"), ("손을 머리 위로 높이 들고 흔들어 줘", "손을 머리 위로 높이 들고 흔들어"),
    ("e depois acena lá do alto", "acena lá do alto"), ("हाथ ऊपर उठाकर हिलाओ", "हाथ ऊपर उठाकर हिलाओ")])
def test_a_raised_wave_is_one_high_wave_with_its_raising(task: str, gloss: str) -> None:
    assert (gloss, "high_wave") in normalize(task).glosses, normalize(task).glosses


@pytest.mark.parametrize(("task", "read"), [
    ("Não corre não, vai andando devagarinho até o carregador e senta.", "vai andando devagarinho até o carregador"),
    ("Не беги, просто медленно подойди к зарядке и сядь.", "просто медленно подойди к зарядке"),
    ("别跑，慢慢走到门口", "慢慢走到门口"),
    ("走らないで、ゆっくり充電器のところまで行って", "ゆっくり充電器のところまで行って"),
    ("don't run, just walk two meters", "walk forward 2 meters")])
def test_dont_run_is_left_out_of_what_the_model_reads(task: str, read: str) -> None:
    assert normalize(task).text.startswith(read), normalize(task).text


def test_dont_run_alone_stays() -> None:
    assert normalize("don't run").text == "don't run"


@pytest.mark.parametrize(("task", "kept", "gone"), [
    ("えーと、あの、左に、いや右に曲がって", "右", "左"), ("往左边挪半米不对是右边半米", "右", "左"),
    ("दाईं ओर पैंतालीस डिग्री मुड़ो, नहीं नहीं, बाईं ओर", "बाईं", "दाईं"),
    ("turn right forty-five degrees, no wait, sorry, left forty-five", "left", "right")])
def test_a_direction_taken_back_in_any_script(task: str, kept: str, gone: str) -> None:
    text = normalize(task).text
    assert kept in text and gone not in text, text


@pytest.mark.parametrize(("task", "number"), [
    ("Avance de trois quarts de mètre", 0.75), ("avanza tres cuartos de metro", 0.75),
    ("vai avanti tre quarti di metro", 0.75), ("da un cuarto de vuelta a la izquierda", 90.0),
    ("fais un quart de tour à gauche", 90.0), ("dê um quarto de volta para a esquerda", 90.0),
    ("Dreh dich um ein Viertel Pi Radiant nach rechts", 45.0), ("Gira pi radianos pra direita", 180.0),
    ("Obróć się w prawo o pi przez trzy radiana", 60.0), ("tourne de pi sur deux radians", 90.0)])
def test_quarters_and_pi_in_many_languages(task: str, number: float) -> None:
    assert normalize(task).numbers == (number,), normalize(task)


@pytest.mark.parametrize(("task", "gloss"), [
    ("tu me tapes dans la main", "high_five"), ("nimm mich in den Arm", "hug"), ("اضرب كفّك بكفّي", "high_five"),
    ("elimi sık", "shake_hand"), ("fais-moi non de la main", "reject"), ("kollarını havaya kaldır", "hands_up")])
def test_gestures_said_in_more_ways(task: str, gloss: str) -> None:
    assert gloss in [m for _, m in normalize(task).glosses], normalize(task).glosses


@pytest.mark.parametrize(("task", "read"), [("Ne tourne pas, recule d'un mètre", "recule d'1 mètre"),
                                            ("don't turn around just walk back 2 m", "walk back 2 m"),
                                            ("Batti le mani dodici volte", "Batti le mani 12 volte")])
def test_dont_turn_is_left_out_and_italian_is_told_from_french(task: str, read: str) -> None:
    assert normalize(task).text == read


def test_a_counted_face_wave_is_no_wave_besides() -> None:
    assert normalize("अपने चेहरे के सामने दो बार हाथ हिलाओ").glosses == (("चेहरे के सामने 2 बार", "face_wave, face_wave"),)


@pytest.mark.parametrize(("task", "read"), [
    ("wacht een halve minuut", "wacht 30 s"),  # it was 0.5 s: "minuut" was no unit
    ("poczekaj pół minuty", "poczekaj 30 s"),
    ("wacht twee minuten", "wacht 120 s"),
])
def test_minutes_in_dutch_and_polish(task: str, read: str) -> None:
    assert normalize(task).text == read


@pytest.mark.parametrize(("task", "glosses"), [
    ("puis lève les deux bras en l'air", [("lève les deux bras", "hands_up")]),  # two arms: no count
    ("두 손으로 하트 만들어 주세요", [("하트", "heart")]),
    ("두 팔을 머리 위로 들어 봐", [("팔을 머리 위로", "hands_up")]),
    ("me faire un signe de la main", [("signe de la main", "wave")]),
    ("用手比个心", [("比个心", "heart")]),
    ("لوّح بإيدك قدام وجهك", [("قدام وجهك", "face_wave")]),
    ("Face ke saamne haath hilao, phir mana karne wala gesture karo", [("Face ke saamne", "face_wave"),
                                                                     ("mana karne", "reject")]),
    ("mag-wave ka nang mataas", [("mag-wave ka nang mataas", "high_wave")]),
    ("Mach eine ganze Umdrehung", [("ganze Umdrehung", "full turn (360)")]),
    ("zaklaszcz trzy razy", [("zaklaszcz 3 razy", "clap, clap, clap")]),
    ("امشِ إلى الوراء متراً", [("الوراء", "backward")]),
])
def test_gestures_turns_and_counts_in_more_words(task: str, glosses: list) -> None:
    assert list(normalize(task).glosses) == glosses


@pytest.mark.parametrize(("task", "read"), [
    ("往前走四米，不对，三米就行", "往前走3米就行"),  # the unit runs on into the words after it
    ("右に、あ、違う、左に四十五度回って", "左に45度回って"),
    ("하이파이브 해 줘, 아 아니다, 악수로 하자.", "악수로 하자."),  # two words of the request before the correction
    ("Vira à direita, não, peraí, à esquerda", "Vira à esquerda"),
    ("Muévete a la izquierda ochenta centímetros... bueno, no, mejor un metro.", "Muévete a la izquierda 1 metro."),
    ("えーと、3メートル、いや、やっぱり1メートルだけ下がって。", "えーと, 1メートルだけ下がって。"),
    # the words of the step between the number taken back and the correction stay, before the new number
    ("पचास सेंटीमीटर पीछे हटो, नहीं नहीं, एक मीटर, और फिर दस सेकंड रुको।", "1 मीटर पीछे हटो, और फिर 10 सेकंड रुको।"),
    ("İki metre ileri yürü, hayır hayır, üç metre.", "3 metre ileri yürü."),
    ("walk 2 m forward and turn, no, 3 m backward", "walk 2 m forward and turn, no, 3 m backward"),  # a new step
])
def test_corrections_in_more_words(task: str, read: str) -> None:
    assert normalize(task).text == read


@pytest.mark.parametrize(("task", "read"), [
    ("Camina metro y medio y gira", "Camina 1.5 metro y gira"), ("cammina metro e mezzo", "cammina 1.5 metro"),
    ("Seksen santim geri git", "0.8 m geri git"),
])
def test_a_bare_unit_and_a_half_and_colloquial_centimetres(task: str, read: str) -> None:
    assert normalize(task).text.startswith(read), normalize(task).text


@pytest.mark.parametrize(("task", "glosses"), [
    ("sonra beş çak", [("çak", "high_five")]),  # "five" in a high five is no count
    ("¡Choca esos cinco tres veces!", [("Choca-esos-cinco 3 veces", "high_five, high_five, high_five")]),
])
def test_a_high_five_is_no_five(task: str, glosses: list) -> None:
    assert list(normalize(task).glosses) == glosses


@pytest.mark.parametrize(("task", "gloss"), [
    ("Podnieś obie ręce do góry, a potem pomachaj.", ("Podnieś obie ręce", "hands_up")),  # raising, no lifting
    ("Подними руки и помаши", ("Подними руки", "hands_up")),
    ("Fammi un bel saluto col braccio ben alzato.", ("braccio ben alzato", "high_wave")),
    ("fammi un saluto", ("fammi un saluto", "wave")),
    ("左に50センチ横にずれて", ("横にずれ", "side-step (walk left or right)")),
])
def test_raising_arms_waves_and_sidesteps_in_more_words(task: str, gloss: tuple) -> None:
    read = normalize(task)
    assert gloss in read.glosses, read.glosses
    assert hazards(read.text, read.languages) == []


@pytest.mark.parametrize(("task", "read"), [("往前挪一点点。", "往前挪一点点。"), ("向前走一点五米", "向前走1.5米")])
def test_a_little_holds_no_one_and_a_decimal_point_in_chinese_is_one(task: str, read: str) -> None:
    assert normalize(task).text == read


@pytest.mark.parametrize(("task", "read"), [("Подожди ровно минуту", "Подожди ровно 60 s"),
                                           ("Poczekaj minutę", "Poczekaj 60 s")])
def test_a_bare_minute_is_one_minute(task: str, read: str) -> None:
    assert normalize(task).text == read


@pytest.mark.parametrize(("task", "read"), [
    ("시계 방향으로 이백칠십 도 돌아", "시계 방향으로 270 도 돌아"),  # Sino-Korean numbers composed as one word
    ("사분의 삼 바퀴 돌아", "270 degrees 돌아"), ("네, 두 번 박수 쳐", "예, 2 번 박수 쳐"),  # 네, is yes, not four
    ("tu peux faire un turn de 180 degrees", "tu peux faire 1 turn de 180 degrees"),  # a turn of an angle
    ("往右边横着挪八十厘米,别转身,就是侧着走", "往右边横着挪0.8 m,就是侧着走"),  # not turning, all of it
])
def test_korean_numbers_a_turn_of_an_angle_and_not_turning(task: str, read: str) -> None:
    assert normalize(task).text == read


@pytest.mark.parametrize(("task", "gloss", "meaning"), [
    ("Gira su te stesso di trecentosessanta gradi", "Gira su te stesso", None),  # its angle is said
    ("Und danach fahr bitte zurück zur Ladestation", "zurück", None),  # a return, no walk backward
    ("geh einen Meter zurück", "zurück", "backward"), ("ثم اصنع قلبا بيديك", "قلبا", "heart"),
    ("往右边横着挪八十厘米", "横着挪", "side-step (walk left or right)"),
])
def test_glosses_of_turns_returns_hearts_and_sidesteps(task: str, gloss: str, meaning: str | None) -> None:
    found = dict(normalize(task).glosses)
    assert found.get(gloss) == meaning, found


def test_heads_up_opens_a_warning_and_asks_for_no_hands_up() -> None:
    assert normalize("Heads up, the floor is wet. Walk back one meter").text.startswith("the floor is wet")
    assert "hands up" in normalize("put your hands up").text
