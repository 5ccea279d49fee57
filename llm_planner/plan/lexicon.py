"""Words for the vocabulary's gestures and directions in many languages: data beside the plan models.

The planner glosses a task with the vocabulary names of the words it finds ("aplaude = clap"),
so a small model need not know every language's word for a high five. Keys are checked
against the plan models at import: adding a gesture to `GestureName` without its words
here fails loudly, so a gesture is still added in one place, with its words next to it.
A word ending in `*` matches any word it begins ("aplaud*": aplaude, aplaudir), one starting with
`*` any compound it ends ("*treppe": Wendeltreppe); in scripts written without spaces (Chinese,
Japanese, Korean, Thai) a word matches anywhere, and an Arabic word also joined to "and" (وافتح).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from functools import cache
from typing import get_args

from llm_planner.plan.schema import GestureName, Turn, Walk

# gesture name: words for it, per language (space-separated; a phrase joins its words with "_")
GESTURE_WORDS: dict[str, dict[str, str]] = {
    "wave": {"en": "wave waving", "es": "saluda* salúda* salude* salúde* saludar*", "fr": "salue* saluer coucou grand_signe signe_de_la_main fais-moi_signe fais-moi_un_signe", "de": "wink*", "it": "saluta* un_saluto un_bel_saluto fammi_un_saluto",
             "pt": "acen* tchau", "nl": "zwaai*", "sv": "vinka*", "nb": "vink*", "da": "vink*",
             "pl": "pomachaj* machnij* pomachać", "cs": "zamávej* mávni*", "tr": "el_salla* selam_ver*",
             "ru": "помаши* помахай* помахать", "uk": "помахай* помахати", "hi": "हाथ_हिला* हिलाओ",
             "zh": "挥手 招手 打招呼", "ja": "手を振 手をふ", "ko": "손_흔들 손을_흔들 손흔들 손_좀_흔들 흔들어", "ar": "لوّح لوح ولوح",
             "id": "lambaikan melambai", "vi": "vẫy_tay vẫy", "tl": "kumaway kaway mag-wave", "hi_latn": "haath_hilao", "he": "נופף* נפנף* תנופף"},
    "high_wave": {"en": "wave_high* high_wave* wave_up_high* arm_up_high* arm_raised*",
                  "es": "saluda_con_el_brazo_en_alto brazo_en_alto", "de": "hoch_wink*",
                  "fr": "bras_levé*", "it": "braccio_alzato* braccio_ben_alzato* braccio_in_alto*", "pt": "braço_levantado*",
                  "hi": "हाथ_ऊपर_उठाकर_हिला* हाथ_उठाकर_हिला* हाथ_ऊपर_करके_हिला* हाथ_ऊपर_उठा_के_हिला* हाथ_उठा_के_हिला*"},
    "face_wave": {"en": "face_wave* wave_in_front_of_your_face in_front_of_your_face", "nl": "voor_je_gezicht",
                  "es": "frente_a_la_cara frente_a_tu_cara delante_de_la_cara delante_de_tu_cara",
                  "de": "vor_dem_gesicht vor_deinem_gesicht", "fr": "devant_le_visage devant_ton_visage",
                  "it": "davanti_alla_faccia davanti_al_viso", "pt": "na_frente_do_rosto em_frente_ao_rosto",
                  "pl": "przed_twarzą", "ru": "перед_лицом", "tr": "yüzünün_önünde", "ar": "أمام_وجهك قدام_وجهك", "hi_latn": "face_ke_saamne",
                  "tl": "harap_ng_face* harap_ng_mukha*",
                  "hi": "चेहरे_के_सामने", "ja": "顔の前", "zh": "在脸前 脸前", "ko": "얼굴_앞"},
    "shake_hand": {"en": "handshake* shake_hand* shake_my_hand* shake_hands shake_his_hand shake_her_hand shake_their_hand* shake_the_hand*", "es": "dame_la_mano apretón* estrech*",
                   "fr": "serre* poignée_de_main", "de": "hand_geben* händedruck* handschlag* hand_schütteln schüttel*_die_hand gib_mir_die_hand",
                   "it": "stringi* stretta_di_mano dai_la_mano", "pt": "aperte* aperto_de_mão* cumpriment*",
                   "nl": "hand_geven* handdruk* geef_me_een_hand schud_mijn_hand", "sv": "handslag* hälsa_med_handen", "pl": "uściśnij* uścisk_dłoni*",
                   "tr": "tokalaş* elimi_sık elimi_sıkar_mısın", "ru": "пожми* рукопожат*", "uk": "потисни*", "hi": "हाथ_मिला*",
                   "zh": "握手", "ja": "握手", "ko": "악수", "ar": "صافح* مصافح*", "id": "jabat*", "vi": "bắt_tay",
                   "hi_latn": "haath_milao", "he": "לחיצת_יד לחץ_יד תלחץ_יד"},
    "high_five": {"en": "high_five* high-five* hi-five* hi_five* gimme_five give_me_five",
                  "es": "choca_esos* chócala* choca_los_cinco choca_esa_mano dame_cinco",
                  "fr": "tope-là tope_là tape-m'en_cinq tape_m'en_cinq tape_dans_ma_main tapes_dans_la_main tape_dans_la_main tape-moi_dans_la_main", "id": "tos adu_tos", "de": "abklatsch* gib_mir_fünf", "it": "batti_il_cinque dammi_il_cinque",
                  "pt": "toca_aqui bate_aqui toca_os_cinco", "nl": "high_five", "pl": "przybij_piątkę piątk*",
                  "tr": "beşlik* çak", "ru": "дай_пять пятюн*", "hi": "हाई_फाइव", "zh": "击掌 击个掌", "ja": "ハイタッチ",
                  "ko": "하이파이브 하이_파이브", "ar": "كفك كفّك بكفك بكفّك", "vi": "đập_tay"},
    "hug": {"en": "hug* embrace*", "es": "abraz*", "fr": "câlin* embrass* étreins*", "de": "umarm* in_den_arm* in_die_arme",
            "it": "abbracci*", "pt": "abraç*", "nl": "knuffel* omhels*", "sv": "kram*", "nb": "klem*", "da": "kram*",
            "pl": "przytul* uścisk*", "cs": "obejm*", "tr": "sarıl*", "ru": "обними* обнять обнимашк*",
            "uk": "обійми*", "hi": "गले_लग* गले", "zh": "拥抱 抱抱 抱一下", "ja": "ハグ 抱きしめ", "ko": "포옹 안아",
            "ar": "عانق* حضن احضن*", "id": "peluk*", "vi": "ôm", "tl": "yakap*", "hi_latn": "gale_lag*", "he": "חיבוק חבק* תחבק*"},
    "clap": {"en": "clap* applaud* clap_your_hands clap_with_your_hands clap_with_both_hands", "es": "aplaud* palmas palmea* palmada*", "fr": "applaudi* tape_des_mains frappe_des_mains",
             "de": "klatsch* applaudier*", "it": "applaudi* batti_le_mani", "pt": "aplaud* bata_palmas palmas bate_palma* bater_palmas",
             "nl": "klap* applaudisseer*", "sv": "klappa* applådera*", "nb": "klapp*", "da": "klap*",
             "pl": "klaśnij* klaskaj* oklaski* zaklaszcz* klaszcz*", "cs": "zatleskej* tleskej*", "tr": "alkışla* alkış*",
             "ru": "хлопни* похлопай* хлопать* поаплодируй* аплодир*", "uk": "плесни* поплескай*",
             "hi": "ताली", "zh": "鼓掌 拍手", "ja": "拍手 手を叩 叩いて", "ko": "박수", "ar": "صفق* صفّق*",
             "id": "tepuk*", "vi": "vỗ_tay", "tl": "pumalakpak palakpak*", "hi_latn": "taali", "he": "מחא_כפיים תמחא_כפיים מחאי_כפיים מחיאת_כפיים"},
    "heart": {"en": "heart* heart_with_your_hands heart_with_both_hands heart_with_the_hands hand_heart",
              "es": "corazón corazón_con_las_manos corazón_con_tus_manos", "fr": "cœur coeur cœur_avec_les_mains cœur_avec_tes_mains",
              "de": "herz* herz_mit_den_händen herz_mit_deinen_händen", "it": "cuore cuore_con_le_mani",
              "pt": "coração* coraçãozinho_com_as_mãos", "nl": "hart* hartje_met_je_handen hart_met_je_handen", "sv": "hjärta*", "pl": "serce serduszk*", "tr": "kalp", "ru": "сердце сердечк*",
              "uk": "серце", "hi": "दिल", "zh": "比心 比个心 比一个心 爱心 心形", "ja": "ハート", "ko": "하트", "ar": "قلب قلبا قلباً",
              "vi": "trái_tim", "hi_latn": "dil"},
    "hands_up": {"en": "hands_up hands_in_the_air raise_both* both_hands_up raise_your_hands", "id": "angkat_kedua_tangan angkat_tangan", "es": "manos_arriba",
                 "fr": "mains_en_l'air haut_les_mains lève_les_bras lève_les_deux_bras lève_tes_bras bras_en_l'air lève_les_mains", "de": "hände_hoch", "it": "mani_in_alto alza_tutte_e_due_le_mani alza_le_mani alza_entrambe_le_mani", "pt": "mãos_para_cima levanta_as_mãos levanta_as_duas_mãos levante_as_mãos levante_as_duas_mãos levanta_os_dois_braços levanta_os_braços levante_os_braços levante_os_dois_braços braços_para_cima mãos_pro_alto mãos_para_o_alto",
                 "nl": "handen_omhoog handen_in_de_lucht beide_handen_omhoog", "pl": "ręce_do_góry podnieś_ręce* podnieś_obie_ręce*", "tr": "eller_yukarı kollarını_havaya_kaldır* ellerini_havaya_kaldır* kollarını_kaldır* ellerini_kaldır*", "ru": "руки_вверх подними_руки подними_обе_руки",
                 "hi": "हाथ_ऊपर_उठाओ हाथ_ऊपर_करो हाथ_ऊपर", "zh": "举起双手 双手举起 举手", "ja": "両手を上げ 手を上げ", "ko": "손_들어 두_손_들* 두_손을_들* 두_팔_들* 두_팔을_들* 팔을_머리_위로", "ar": "ارفع_يديك ارفع_ايديك ارفع_إيديك ارفع_أيديك"},
    "reject": {"en": "refuse_gesture say_no no_gesture decline* shake_your_head refusal_gesture", "es": "di_que_no dime_que_no",
               "fr": "dis_non non_de_la_main non_avec_la_main", "de": "sag_nein", "ru": "скажи_нет скрести_руки руки_скрести", "zh": "拒绝", "ja": "拒否", "ko": "거절 엑스 싫다는_제스처",
               "hi": "मना_करने मना_करो मना_करके मना_कर", "hi_latn": "mana_karne* mana_karo nahi_wala", "tr": "reddet* hayır_de hayır_işareti*", "id": "tolak*", "ar": "الرفض ارفض"},
}
# Words that, beside a wave, make it the high wave ("winke, ganz hoch"): the wave is then glossed as high_wave.
HIGH_WORDS: dict[str, str] = {
    "en": "up_high way_up high_up above_your_head over_your_head", "es": "en_alto bien_alto arriba",
    "fr": "en_haut bien_haut au-dessus_de_la_tête au-dessus_de_ta_tête", "de": "ganz_hoch hoch", "it": "in_alto", "pt": "no_alto bem_alto lá_em_cima lá_do_alto do_alto pra_cima para_cima",
    "nl": "hoog omhoog", "pl": "wysoko", "ru": "высоко", "tr": "yukarıda yüksekte", "ar": "عالياً عاليًا عاليا فوق_رأسك",
    "hi": "ऊपर", "zh": "高高 举高", "ja": "高く", "ko": "높이", "id": "tinggi", "vi": "cao", "tl": "mataas",
}
# Words that are no gesture but may ask for one (greetings, hands, "gesture"): a task with none of these
# and no gesture word gets no gesture step (see `asks_for_gesture`). Never glossed: "hello, walk 2 m" waves not.
GESTURE_HINTS: dict[str, str] = {
    "en": "gesture* sign signal greet* hello hi hey bye bye-bye goodbye good-bye salute* hand hands arm arms squeeze shake_on_it",
    "es": "gesto* seña* hola adiós chao mano manos brazo* apapacho*", "fr": "geste* signe bonjour salut au_revoir main mains bras",
    "de": "geste* zeichen hallo tschüss grüß* begrüß* hand hände arm arme", "it": "gesto* segno ciao salve arrivederci mano mani braccio braccia",
    "pt": "gesto* sinal olá oi tchau* mão mãos braço*", "nl": "gebaar* hallo hoi doei dag hand handen arm armen",
    "sv": "gest* hej hejdå hand händer arm armar", "pl": "gest* cześć hej ręk* rękę ręce dłoń* rami*", "tr": "işaret* merhaba selam* el eller elini kol*",
    "ru": "жест* привет пока здравствуй* рук* руку", "uk": "жест* привіт рук*", "ar": "إشارة مرحبا سلام يد يدك يديك ذراع*",
    "hi": "इशारा नमस्ते हाथ", "hi_latn": "namaste haath", "zh": "手势 你好 再见 拜拜 招呼 手 比个心 心", "ja": "ジェスチャー こんにちは さようなら バイバイ 挨拶 手",
    "ko": "제스처 안녕 인사 손", "id": "halo tangan", "vi": "chào tay", "tl": "kamay", "he": "שלום יד ידיים",
}
# Hands and arms, as a word of each language and as the sign of an unspaced script: two hands are no count
# ("lève les 2 bras"), and lifting one's hands is a gesture, not lifting a thing ("levanta las manos").
LIMB_WORDS = (r"hands?|arms?|bras|mains?|manos?|brazos?|mani|braccia|braccio|mãos?|braços?|hände|händen|arme|armen|"
              r"handen|ręce|rękami|rąk|руки|руками|рук|eller\w*|kollar\w*|elini|kolunu|हाथ|يد\w*")
LIMB_SIGNS = "손|팔|手|腕"

# Words that may ask for a stop (a plan holds `stop` only where the task has one: a small model added a stop
# after "okay?" or "¿sí?"); a word that also means waiting or standing up counts ("रुको", "قف").
STOP_HINTS: dict[str, str] = {
    "en": "stop* halt* freeze* still don't_move do_not_move dont_move stay_put hold_it hold_on whoa brake*",
    "es": "para pará pare detente detén* deténgase alto quiet* no_te_muevas frena*",
    "fr": "arrête* arrêtez* stop halte immobile bouge_pas ne_bouge_plus ne_bouge_pas freine*",
    "de": "stopp* halt* anhalten steh_still stillstehen still beweg_dich_nicht",
    "it": "ferm* stop alt immobile non_muoverti", "pt": "para pare pára parado parada quiet* não_se_mexa",
    "nl": "stop* halt* sta_stil stil blijf_staan", "pl": "stój stop zatrzymaj* stań nie_ruszaj",
    "tr": "dur durun durdur* kıpırdama hareket_etme", "ru": "стоп стой остановись останови* замри не_двигайся",
    "ja": "止まって 止まれ 止めて ストップ 停止 動かないで じっと", "zh": "停 别动 不要动 站住",
    "ko": "멈춰 멈추 정지 그만 가만히", "hi": "रुको रुक रुकें रुकिए रुक_जाओ थमो ठहरो stop ruko",
    "ar": "قف توقف توقّف اثبت لا_تتحرك",
}
# plan direction: words for it (walk and turn share left and right)
DIRECTION_WORDS: dict[str, dict[str, str]] = {
    "forward": {"en": "ahead straight fwd", "es": "adelante delante", "fr": "avant avance*", "de": "vorwärts vor geradeaus vorne nach_vorne",
                "it": "avanti", "pt": "frente", "nl": "vooruit voren", "sv": "framåt", "nb": "fremover frem",
                "da": "fremad frem", "pl": "przodu naprzód", "cs": "dopředu", "tr": "ileri", "ru": "вперёд вперед",
                "uk": "вперед", "hi": "आगे", "zh": "向前 往前 前进", "ja": "前に 前へ 前進", "ko": "앞으로",
                "ar": "الأمام للأمام أمام", "id": "maju depan", "vi": "tiến phía_trước", "tl": "pasulong harap",
                "hi_latn": "aage seedha", "he": "קדימה"},
    "backward": {"en": "back backwards backward reverse", "es": "atrás retrocede*", "fr": "arrière recul*",
                 "de": "rückwärts zurück hinten nach_hinten", "it": "indietro", "pt": "trás", "nl": "achteruit achteren", "sv": "bakåt",
                 "nb": "bakover", "da": "baglæns tilbage", "pl": "tyłu cofnij* cofaj*", "cs": "dozadu", "tr": "geri",
                 "ru": "назад", "uk": "назад", "hi": "पीछे", "zh": "向后 往后 后退", "ja": "後ろ 後退 下が",
                 "ko": "뒤로", "ar": "الخلف للخلف الوراء للوراء", "id": "mundur belakang", "vi": "lùi", "tl": "paatras likod",
                 "hi_latn": "peeche piche", "he": "אחורה"},
    "left": {"en": "counterclockwise counter-clockwise anticlockwise anti-clockwise ccw port +y",
             "es": "izquierda izq* antihorario sentido_antihorario contrario_a_las_agujas_del_reloj",
             "fr": "gauche sens_inverse_des_aiguilles_d'une_montre sens_antihoraire", "de": "links gegen_den_uhrzeigersinn",
             "it": "sinistra antiorario senso_antiorario", "pt": "esquerda anti-horário sentido_anti-horário sentido_contrário_aos_ponteiros_do_relógio",
             "nl": "links tegen_de_klok_in linksom", "sv": "vänster", "nb": "venstre",
             "da": "venstre", "pl": "lewo", "cs": "doleva vlevo", "tr": "sola saat_yönünün_tersine saat_yönünün_tersi", "ru": "налево влево левую левой",
             "uk": "ліворуч вліво", "hi": "बाएं बाएँ बाईं बायें", "zh": "左 逆时针", "ja": "左 反時計回り", "ko": "왼쪽 반시계",
             "ar": "اليسار يسار لليسار عكس_عقارب_الساعة", "id": "kiri", "vi": "trái", "tl": "kaliwa", "hi_latn": "baaye baayen", "he": "שמאלה שמאל"},
    "right": {"en": "clockwise cw starboard -y", "es": "derecha dcha horario sentido_horario agujas_del_reloj",
              "fr": "droite sens_des_aiguilles_d'une_montre sens_horaire", "de": "rechts im_uhrzeigersinn",
              "it": "destra orario senso_orario", "pt": "direita horário sentido_horário sentido_dos_ponteiros_do_relógio",
              "nl": "rechts met_de_klok_mee rechtsom", "sv": "höger", "nb": "høyre",
              "da": "højre", "pl": "prawo", "cs": "doprava vpravo", "tr": "sağa saat_yönünde", "ru": "направо вправо правую правой",
              "uk": "праворуч вправо", "hi": "दाएं दाएँ दाईं दायें", "zh": "右 顺时针", "ja": "右 時計回り", "ko": "오른쪽 시계",
              "ar": "اليمين يمين لليمين مع_عقارب_الساعة باتجاه_عقارب_الساعة", "id": "kanan", "vi": "phải", "tl": "kanan", "hi_latn": "daaye daayen", "he": "ימינה ימין"},
}
# Words for the primitives without fields, which a small model drops or mistakes in other languages.
PRIMITIVE_WORDS: dict[str, dict[str, str]] = {
    "stand_up": {"es": "levántate ponte_de_pie", "fr": "lève-toi debout relève-toi redresse-toi te_lever vous_lever", "de": "steh_auf aufstehen", "it": "alzati",
                 "pt": "levante-se levanta", "nl": "sta_op", "sv": "ställ_dig_upp res_dig", "pl": "wstań", "tr": "ayağa_kalk kalk",
                 "ru": "встань", "uk": "встань", "hi": "खड़े_हो उठो उठ_जाओ", "zh": "站起来 起立", "ja": "立って 立ち上が", "ko": "일어나",
                 "ar": "قف انهض قوم", "he": "קום", "id": "berdiri", "vi": "đứng_dậy"},
    "sit_down": {"es": "siéntate sentarte", "fr": "assieds-toi assois-toi", "de": "setz_dich hinsetzen", "it": "siediti",
                 "pt": "sente-se senta", "nl": "ga_zitten zet_u_neer zet_u_eens_neer zet_je_neer zet_je_eens_neer", "sv": "sätt_dig", "nb": "sett_deg", "pl": "usiądź siadaj",
                 "tr": "otur", "ru": "сядь присядь", "uk": "сядь", "hi": "बैठ_जाओ बैठो बैठ_जाइए बैठिए", "zh": "坐下", "ja": "座って",
                 "ko": "앉아", "ar": "اجلس", "he": "שב", "id": "duduk", "vi": "ngồi_xuống"},
    "wait": {"es": "espera espere", "fr": "attends attendez", "de": "warte warten", "it": "aspetta", "pt": "espere espera",
             "nl": "wacht", "sv": "vänta", "pl": "poczekaj czekaj", "tr": "bekle", "ru": "подожди жди", "uk": "зачекай",
             "hi": "रुको रुकें इंतज़ार", "zh": "等 等待", "ja": "待って", "ko": "기다려", "ar": "انتظر", "he": "חכה",
             "id": "tunggu", "vi": "chờ đợi"},
    "turn": {"hi": "मुड़ो मुड़िए घूमो", "hi_latn": "mudo mudiye ghumo ghoomo", "tl": "lumiko liko"},
    "stop": {"en": "freeze halt", "es": "detente para_ya quieto", "fr": "arrête-toi stop", "de": "halt anhalten",
             "it": "fermati", "pt": "pare", "nl": "stop", "pl": "zatrzymaj_się stój", "ru": "стоп остановись",
             "zh": "停下 停止", "ja": "止まって", "ko": "멈춰", "ar": "توقف", "he": "עצור"},
}
# Words that mean a side-step: a walk left or right, not a turn.
SIDESTEP_WORDS: dict[str, str] = {
    "en": "sidestep* side-step* strafe* shuffle_*", "es": "desplázate hazte_a_un_lado", "fr": "décale-toi pas_de_côté",
    "de": "seitwärts seitlich zur_seite", "it": "spostati", "pt": "desloque-se de_lado", "nl": "opzij zijwaarts opzij_stappen",
    "pl": "przesuń_się w_bok", "tr": "yana", "ru": "в_сторону боком сдвинься* подвинься* шаг_вправо шаг_влево шагни_вправо шагни_влево", "zh": "横移 平移 侧移 横着挪 横着走 侧着走", "ja": "横に 横にずれ 横へずれ 横歩き", "ko": "옆으로 옆걸음",
    "ar": "جانبا", "id": "geser", "vi": "sang_ngang",
}
# Words that mean a half turn (180 degrees) when no angle is given.
TURN_AROUND_WORDS: dict[str, str] = {
    "en": "turn_around about-face u-turn about_face face_the_other_way turn_the_other_way other_way_round", "es": "date_la_vuelta da_la_vuelta dar_la_vuelta media_vuelta", "fr": "demi-tour retourne-toi",
    "de": "dreh_dich_um dreh_dich_mal_um dreh_dich_bitte_um dreh_dich_doch_um umdrehen kehrt", "it": "girati gira_su_te_stesso", "pt": "vire-se dê_meia-volta meia-volta",
    "nl": "draai_je_om omdraaien", "sv": "vänd_dig_om", "pl": "odwróć_się zawróć*", "tr": "arkanı_dön geri_dön",
    "ru": "развернись повернись_кругом", "uk": "розвернися", "hi": "पीछे_मुड़ो घूम_जाओ", "zh": "转身 掉头 向后转",
    "ja": "振り向 後ろを向", "ko": "뒤로_돌아 돌아서", "ar": "استدر_للخلف", "id": "berbalik", "vi": "quay_lại quay_đầu",
}
# Words that mean a full turn (360 degrees) when no angle is given.
FULL_TURN_WORDS: dict[str, str] = {
    "en": "spin_around_once spin_all_the_way_around turn_all_the_way_around full_circle full_turn full_rotation "
          "complete_turn complete_circle full_spin do_a_360 a_360", "es": "vuelta_completa giro_completo una_vuelta_entera",
    "fr": "tour_complet tour_sur_toi-même un_tour_entier", "de": "ganze_drehung volle_drehung ganze_umdrehung volle_umdrehung einmal_um_dich_selbst",
    "it": "giro_completo", "pt": "volta_completa volta_inteira", "nl": "volledige_draai",
    "pl": "pełny_obrót", "ru": "полный_оборот", "tr": "tam_tur", "zh": "转一圈 一整圈", "ja": "一回転", "ko": "한_바퀴",
}
TURN_AROUND, FULL_TURN = "turn around (180)", "full turn (360)"
# Shapes walked as sides and corners: (corners, words). The turn at each corner is 360 / corners degrees.
SHAPE_WORDS: dict[str, tuple[int, str]] = {
    "triangle": (3, "triangle* triángulo* triangolo* triângulo* dreieck* driehoek* trójkąt* üçgen* треугольник* "
                    "三角形 삼각형 مثلث* त्रिभुज segitiga*"),
    "square": (4, "square* rectangle* cuadrado* rectángulo* carré* quadrato* rettangolo* quadrado* "
                  "retângulo* quadrat* rechteck* vierkant* rechthoek* kwadrat* prostokąt* kare* dikdörtgen* "
                  "квадрат* прямоугольник* 正方形 长方形 四角形 사각형 정사각형 مربع* مستطيل* वर्ग* आयत* persegi*"),
    "pentagon": (5, "pentagon* pentágono* pentagone* pentagono* fünfeck* vijfhoek* pięciokąt* beşgen* пятиугольник* "
                    "五边形 五角形 오각형"),
    "hexagon": (6, "hexagon* hexágono* hexagone* esagono* sechseck* zeshoek* sześciokąt* altıgen* шестиугольник* "
                   "六边形 六角形 육각형"),
}
UNSPACED = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
ARABIC = re.compile(r"[\u0600-\u06ff]")  # a word of it may be written onto "and" (و, ف): "وافتح"

_directions = set(get_args(Walk.model_fields["direction"].annotation)) | set(
    get_args(Turn.model_fields["direction"].annotation))
if set(GESTURE_WORDS) != set(get_args(GestureName)) or set(DIRECTION_WORDS) != _directions:
    raise ImportError("lexicon out of step with the plan models: every gesture and direction needs its words")


def word_pattern(word: str) -> str:
    """A lexicon word as a regular expression: whole words, `*` at the end a prefix, at the start the end of a
    compound ("*kante*": Bühnenkante), unspaced scripts anywhere, Arabic also after a joined "and" and "the"."""
    compound, word = word.startswith("*"), word.lstrip("*")
    stem, prefix = (word[:-1], True) if word.endswith("*") else (word, False)
    body = re.escape(stem.replace("_", " ")).replace(r"\ ", r"[\s-]+")  # "hands up", "hands-up"
    if UNSPACED.search(stem):
        return body
    start = r"(?<![\w])\w*" if compound else r"(?<![\w])(?:و|ف)?(?:ال)?" if ARABIC.match(stem) else r"(?<![\w])"
    return start + body + (r"[\w-]*" if prefix else r"(?![\w])")


# where a clause ends in writing, in spaced and unspaced scripts
CLAUSE_PUNCTUATION = r"[,.;:!?，。、！？；।॥،؛؟]"


# What ends a clause, besides punctuation: "so", "then", "and", "but" and their kind; in unspaced scripts
# the endings written onto the verb ("あるから", "있으니까").
CLAUSE_WORDS = ("so then and but instead así_que sino entonces y pero por_eso então entao e mas só por_isso aí donc alors et "
                 "mais also dann und aber sondern deshalb deswegen quindi allora ma perciò dus dan maar więc ale поэтому "
                 "так_что и а но yani ama इसलिए और तो लेकिन لذلك")
CLAUSE_ENDS = "から ので けど けれど 니까 는데 지만 어서 所以 然后 但是 因此 可是"


def words_pattern(words: Iterable[str]) -> re.Pattern:
    """One case-blind pattern for lexicon words, longest first, so "hands up" wins over "hands"."""
    return re.compile("|".join(word_pattern(w) for w in sorted(set(words), key=len, reverse=True)), re.IGNORECASE)


def table_words(table: dict[str, str]) -> list[str]:
    """The words of a per-language table of space-separated words."""
    return [w for ws in table.values() for w in ws.split()]


@cache
def clause_ends() -> re.Pattern:
    """Where a clause ends: punctuation, a word such as "so" or "but", a clause ending of an unspaced script."""
    words = words_pattern(CLAUSE_WORDS.split()).pattern  # not the "y" of French "il y a", "n'y va pas"
    # Turkish "ve" (and) within a sentence, not the Spanish "Ve al escritorio" (go) that opens one
    and_ve = r"(?<=[^\W\d_]\s)ve(?![^\W\d_])"
    return re.compile(rf"{CLAUSE_PUNCTUATION}|(?<!\bil\s)(?<!')(?:{words})|{and_ve}|{'|'.join(CLAUSE_ENDS.split())}",
                      re.IGNORECASE)


def clauses(text: str) -> list[tuple[int, int]]:
    """(start, end) of each clause of `text`, in order."""
    cuts = [(m.start(), m.end()) for m in clause_ends().finditer(text)]
    starts, ends = [0, *(e for _, e in cuts)], [*(s for s, _ in cuts), len(text)]
    return [(s, e) for s, e in zip(starts, ends) if text[s:e].strip()]


def without_clauses(text: str, spans: list[tuple[int, int]], dropped: Collection[int]) -> str:
    """`text` without its clauses (`spans`, as `clauses` gives them) at the indices `dropped`; each kept clause
    keeps what ends it."""
    kept = text[:spans[0][0]] if spans else text
    for i, (start, _) in enumerate(spans):
        if i not in dropped:
            kept += text[start:spans[i + 1][0] if i + 1 < len(spans) else len(text)]
    return kept


def _entries() -> Iterator[tuple[str, str, str]]:
    """(word, vocabulary meaning, language) of every lexicon word: the one walk over the tables."""
    for table in (GESTURE_WORDS, DIRECTION_WORDS, PRIMITIVE_WORDS):
        for name, langs in table.items():
            for lang, words in langs.items():
                yield from ((w, name, lang) for w in words.split())
    for meaning, table in ((TURN_AROUND, TURN_AROUND_WORDS), (FULL_TURN, FULL_TURN_WORDS),
                           ("side-step (walk left or right)", SIDESTEP_WORDS)):
        for lang, words in table.items():
            yield from ((w, meaning, lang) for w in words.split())


@cache
def vocabulary_patterns() -> list[tuple[re.Pattern, str]]:
    """(pattern, vocabulary meaning) of every lexicon word, longest first."""
    entries = sorted(((w, meaning) for w, meaning, _ in _entries()), key=lambda entry: -len(entry[0]))
    return [(re.compile(word_pattern(word), re.IGNORECASE), meaning) for word, meaning in entries]


@cache
def _languages() -> list[tuple[re.Pattern, str]]:
    words: dict[str, set[str]] = {}
    for word, _, lang in _entries():
        words.setdefault(lang, set()).add(word)
    return [(words_pattern(ws), lang) for lang, ws in words.items()]


def word_languages(text: str) -> dict[str, int]:
    """How many lexicon words of each language `text` holds ("da cuatro palmadas": es 1), a clue to the
    language of a command too short for its function words to tell."""
    return {lang: n for pattern, lang in _languages() if (n := len(pattern.findall(text)))}


@cache
def _high() -> re.Pattern:
    return re.compile("|".join(word_pattern(w) for ws in HIGH_WORDS.values() for w in ws.split()), re.IGNORECASE)


@cache
def _shapes() -> list[tuple[re.Pattern, int]]:
    return [(re.compile("|".join(word_pattern(w) for w in words.split()), re.IGNORECASE), corners)
            for corners, words in SHAPE_WORDS.values()]


def shapes(text: str) -> list[tuple[str, int]]:
    """(words as written, corners) for each shape the task names: its corners' turn is 360 / corners."""
    return [(match.group(0), corners) for pattern, corners in _shapes() for match in [pattern.search(text)] if match]


# "levanta" is "get up" alone and "raise" before a hand or an arm ("levanta la mano"): no stand_up then.
_RAISED = re.compile(r"\s+(?:la|a|el|o|las|as|los|os|tu|tus|sua|suas|seu|seus|teu|tua)\s+"
                     r"(?:mano|manos|mão|mãos|brazo|brazos|braço|braços)\b", re.IGNORECASE)


# "back" that is no walk backward: a return ("go back to the door", "come back"), a place ("at the back").
_NOT_BACKWARD_AFTER = re.compile(r"\s+(?:to|at|of|there|here|home|where|in|inside)\b", re.IGNORECASE)
_BACK_TO = re.compile(r"\s+(?:zu|zur|zum|nach|in|ins|naar)\b", re.IGNORECASE)
_NOT_BACKWARD_BEFORE = re.compile(r"\b(?:the|come|came|coming|be|get)\s+$", re.IGNORECASE)


def _raised(text: str, high: re.Match, start: int, end: int, others: list[int]) -> tuple[int, int, str]:
    """A wave made high by a word for "high": the gloss spans the raising too ("put your hand up high and wave",
    "手を高く上げて手を振"), or a small model reads the raising as a gesture of its own (hands_up, a second wave).
    The raising is up to three words (four unspaced characters) before the high word, within its clause and
    after every other vocabulary word (`others`: where those end)."""
    if high.start() >= end:
        return start, high.end(), "high_wave"
    before = text[:high.start()]
    raised = len(before) - len(re.search(r"(?:\S+\s+){0,3}$" if " " in before.strip() else r".{0,4}$", before)[0])
    stops = [m.end() for m in re.finditer(CLAUSE_PUNCTUATION, before)] + [e for e in others if e <= high.start()]
    begin = min(start, max([raised, *stops]))
    return begin + len(text[begin:]) - len(text[begin:].lstrip()), end, "high_wave"


def vocabulary_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, vocabulary meaning) of each lexicon word in `text`, in order; a span inside a longer
    match is left out, and two different words of one gesture next to each other are one span."""
    found: list[tuple[int, int, str]] = []
    for pattern, meaning in vocabulary_patterns():
        for match in pattern.finditer(text):
            start, end = match.span()
            if meaning == "stand_up" and _RAISED.match(text, end):
                continue
            if text[start:end].lower() == "back" and (_NOT_BACKWARD_AFTER.match(text, end)
                                                     or _NOT_BACKWARD_BEFORE.search(text, 0, start)):
                continue
            if text[start:end].lower() in ("zurück", "terug") and _BACK_TO.match(text, end):
                continue  # "zurück zur Ladestation", "terug naar de deur": a return, not a walk backward
            if not any(s < end and start < e for s, e, _ in found):
                found.append((start, end, meaning))
    meanings = {meaning for _, _, meaning in found}
    high = _high().search(text)
    if "wave" in meanings and not meanings & {"hands_up", "high_wave"} and high:
        others = [e for _, e, meaning in found if meaning != "wave"]
        found = [_raised(text, high, s, e, others) if meaning == "wave" else (s, e, meaning) for s, e, meaning in found]
    elif meanings & {"high_wave", "face_wave"}:  # "wave in front of your face" is one gesture, not two
        found = [(s, e, meaning) for s, e, meaning in found if meaning != "wave"]
    merged: list[tuple[int, int, str]] = []
    for start, end, meaning in sorted(found):  # "מחא כפיים", "battre des mains": one gesture; "clap clap": two
        if (merged and merged[-1][2] == meaning and len(text[merged[-1][1]:start].split()) <= 1
                and text[start:end].lower() != text[merged[-1][0]:merged[-1][1]].lower()):
            merged[-1] = (merged[-1][0], end, meaning)
        else:
            merged.append((start, end, meaning))
    return merged


@cache
def _gesture_words() -> re.Pattern:
    words = [w for langs in GESTURE_WORDS.values() for ws in langs.values() for w in ws.split()]
    return words_pattern(words + table_words(GESTURE_HINTS) + table_words(HIGH_WORDS))


@cache
def _stop_words() -> re.Pattern:
    return words_pattern([w for ws in PRIMITIVE_WORDS["stop"].values() for w in ws.split()] + table_words(STOP_HINTS))


def asks_to_stop(text: str) -> bool:
    """Whether `text` has a word that may ask for a stop: where it has none, a plan holds no stop."""
    return _stop_words().search(text) is not None


def asks_for_gesture(text: str) -> bool:
    """Whether `text` has a word for a gesture, or one that may ask for one: without, a small model unsure of
    a task ("do the thing", a language it cannot read) tends to wave, and the planner lets it not."""
    return _gesture_words().search(text) is not None


def named_gestures(text: str) -> tuple[str, ...] | None:
    """The gestures a plan of `text` may hold: those it has words for ("un abrazo" and nothing else: hug, not
    the wave a small model added after it); any (None) where it has only a word that may ask for one ("greet
    them"); none where it has neither."""
    named = tuple(dict.fromkeys(meaning for *_, meaning in vocabulary_spans(text) if meaning in GESTURE_WORDS))
    return named or (None if asks_for_gesture(text) else ())


def glosses(text: str) -> list[tuple[str, str]]:
    """(words as written, vocabulary meaning) for each lexicon word in `text`, in the order they appear;
    a word that is its own meaning ("left" in English) is not glossed."""
    return [(text[s:e], meaning) for s, e, meaning in vocabulary_spans(text)
            if text[s:e].lower().replace(" ", "_") != meaning]


OPPOSITE = {"left": "right", "right": "left", "forward": "backward", "backward": "forward"}


@cache
def _direction_patterns() -> list[tuple[re.Pattern, str]]:
    """One pattern per direction: its name and its words in every language, longest first."""
    patterns = []
    for direction in OPPOSITE:
        patterns.append((words_pattern([direction, *table_words(DIRECTION_WORDS[direction])]), direction))
    return patterns


def direction_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, direction) of each direction word in `text`, in order, none inside another."""
    found: list[tuple[int, int, str]] = []
    for pattern, direction in _direction_patterns():
        found += [(m.start(), m.end(), direction) for m in pattern.finditer(text)]
    found.sort(key=lambda span: (span[0], -span[1]))
    kept: list[tuple[int, int, str]] = []
    for span in found:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept
