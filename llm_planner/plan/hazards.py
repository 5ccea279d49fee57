"""What the robot must never be asked to do, by kind and in many languages: data and the screen that
reads it. A task naming a hazard is refused before the model sees it (see `Planner._screen`)."""

from __future__ import annotations

import re
from functools import cache

from llm_planner.plan.lexicon import (
    CLAUSE_PUNCTUATION,
    LIMB_SIGNS,
    LIMB_WORDS,
    UNSPACED,
    table_words,
    vocabulary_patterns,
    word_pattern,
    words_pattern,
)
from llm_planner.plan.located_hazards import LOCATED_KINDS, bearing
from llm_planner.plan.places import remembers

# What the robot must never be asked to do, by kind: (why, words per language). A task naming one is
# refused before the model sees it, unless a negation stands just before the word ("don't run").
HAZARD_WORDS: dict[str, tuple[str, dict[str, str]]] = {
    "edge": ("unsafe: an edge or a drop", {
        "en": "edge* ledge* cliff* off_the_stage off_the_platform off_the_table off_the_roof balcony drop-off precipice stage_ends platform_ends end_of_the_stage end_of_the_platform",
        "es": "borde* precipicio* acantilado* cornisa* barranco*", "fr": "bord_de* falaise* précipice* rebord*",
        "de": "*kante* klippe* *abgrund* absturz*", "it": "bordo* precipizio* dirupo* ciglio*",
        "pt": "beira* borda* precipício* penhasco*", "nl": "rand_van* afgrond* klif*", "sv": "kanten* stup*",
        "pl": "krawędź* przepaść* urwisk*", "tr": "kenar* uçurum*", "ru": "край* краю обрыв* пропаст*",
        "uk": "край* обрив*", "hi": "किनारे किनारा", "zh": "边缘 悬崖 边上 台边", "ja": "端から 崖 縁", "ko": "가장자리 절벽",
        "ar": "حافة الحافة", "id": "tepi* jurang*", "vi": "mép vách"}),
    "stairs": ("unsafe: stairs or steps", {
        "en": "stairs staircase stairway downstairs upstairs escalator", "es": "escalera*", "fr": "escalier*",
        "de": "*treppe*", "it": "scala scale_di scalini gradini", "pt": "escada*", "nl": "trap traps trappen", "sv": "trappa*",
        "pl": "schod*", "tr": "merdiven*", "ru": "лестниц* ступеньк*", "uk": "сходи сходах", "hi": "सीढ़ी सीढ़ियों सीढ़ियाँ सीढ़ियां",
        "zh": "楼梯 台阶", "ja": "階段", "ko": "계단", "ar": "الدرج درج سلالم", "id": "tangga", "vi": "cầu_thang"}),
    "people": ("unsafe: moving into people", {
        "en": "run_into* walk_into* bump_into* crash_into* knock_over* hit_* ram_into charge_at*",
        "es": "atropell* choca_contra* empuja*", "fr": "percute* bouscule* pousse*", "de": "umrennen* anremp* schubs*",
        "it": "investi* spingi*", "pt": "atropel* empurr*", "ru": "толкни* сбей*", "zh": "撞 推倒", "ja": "ぶつか 突き飛ば",
        "ko": "부딪 밀쳐", "ar": "اصطدم ادفع"}),
    "speed": ("unsafe: faster than the robot may go", {
        "en": "hurry* double_time on_the_double as_quick_as quick_as_you_can asap run running sprint* jog* race racing rush* as_fast_as full_speed top_speed max_speed fast_as_you_can",
        "es": "lo_más_rápido_posible corre correr corriendo carrera* esprint* a_toda_velocidad lo_más_rápido", "fr": "le_plus_vite* cours courir sprint* à_toute_vitesse",
        "de": "so_schnell_wie* renn* lauf_schnell sprint* so_schnell_du_kannst vollgas", "it": "il_più_veloce_possibile più_veloce_che_puoi corri correre sprint* a_tutta_velocità",
        "pt": "o_mais_rápido* corra correr corre corrida* a_toda_velocidade", "nl": "zo_snel_mogelijk ren rennen sprint*", "sv": "spring springa",
        "pl": "biegnij biec biegiem sprintem", "tr": "koş koşarak", "ru": "как_можно_быстрее беги бегом бежать побеги", "uk": "біжи бігом",
        "hi": "भागो जल्दी_जल्दी दौड़ो दौड़ दौड़कर दौड़ते भागकर भागते", "zh": "跑 冲刺 全速", "ja": "走って 走れ 全速力 ダッシュ", "ko": "뛰어 달려 전속력",
        "ar": "اركض اجر", "id": "lari berlari", "vi": "chạy", "hi_latn": "jaldi_jaldi daudo bhaago"}),
    "jump": ("not possible: jumping", {
        "en": "jump* hop hops hopping leap*", "es": "salta* saltar brinca*", "fr": "saute* sauter", "de": "spring* hüpf*",
        "it": "salta* saltare", "pt": "pul* salte*", "nl": "spring* huppel*", "pl": "skacz* skoc* podskocz*",
        "tr": "zıpla* atla*", "ru": "прыгн* прыгай* подпрыгн*", "uk": "стрибн* стрибай*", "hi": "कूद*",
        "zh": "跳", "ja": "ジャンプ 跳", "ko": "점프 뛰어올", "ar": "اقفز", "id": "lompat*", "vi": "nhảy_lên",
        "sv": "hoppa*", "hi_latn": "koodo kudo"}),
    "dance": ("not possible: dancing", {
        "en": "danc* boogie* bust_a_move groove* twerk*", "es": "bail* danza*", "fr": "danse*", "de": "tanz*",
        "it": "ball* danza*", "pt": "danç*",
        "nl": "dans*", "sv": "dansa*", "pl": "zatańcz* tańcz*", "tr": "dans* dans_et*", "ru": "танц* станцуй*", "uk": "танцю*",
        "hi": "नाच* नृत्य", "zh": "跳舞 舞", "ja": "踊 ダンス", "ko": "춤", "ar": "ارقص رقص", "id": "menari* tari*",
        "vi": "nhảy_múa múa", "hi_latn": "naacho"}),
    "bow": ("not possible: bowing", {
        "en": "bow bows bowing curtsy*", "es": "reverencia* inclínate", "fr": "révérence* incline-toi",
        "de": "verbeug* verneig*", "it": "inchin*", "pt": "reverência* curve-se", "nl": "buig*", "ru": "поклон*",
        "pl": "ukłoń* ukłon*", "tr": "eğil*", "zh": "鞠躬", "ja": "お辞儀 おじぎ", "ko": "절해 절을", "ar": "انحن*"}),
    "kick": ("not possible: kicking", {
        "en": "kick*", "es": "patea* patada*", "fr": "frappe_du_pied shoote*", "de": "tritt* kick*",
        "it": "calci*", "pt": "chut*", "nl": "schop*", "pl": "kopnij* kop", "tr": "tekmele*", "ru": "пни* пнуть удар_ногой",
        "zh": "踢", "ja": "蹴", "ko": "발로_차 걷어차", "ar": "اركل"}),
    "grasp": ("not possible: the robot cannot hold or move things", {
        "en": "pull_the* pet_the* pat_the* stroke_the* tidy* put_away* put_back* put_it_back put_them_back plug_in_the* plug_the* plug_it* plug_that* plug_this* unplug* wash* make_coffee make_me_a_coffee cook* brew* pick_up* grab* carry* bring* fetch* hand_me* throw* push push_* pushes pushing shove* open_the* close_the* open_it "
              "open_that open_this close_it close_that shut_the* shut_it hold_this lift_the lift_a lift_it lift_that lift_this",
        "es": "acarici* enchufa* lava* haz_café recoge* agarra* trae* lleva* lanza* abre* cierra* levanta_la* empúj*", "fr": "soulève* lève_la lève_le lève_ce lève_cette caresse* lave* branche_la* branche_le* branche_les* branche_ça branche_ce* ramasse* attrape* apporte* porte-moi ouvre* ferme*",
        "de": "streichel* wasch* heb*_auf bring* trag* wirf* öffne* schließ* hol_mir* hole_mir* holen hol_die* hol_den* hol_das*",
        "it": "accarezza* lava* prendi* prender* portami* portalo portala portali portale portare portatemi porta_il porta_lo "
              "porta_la porta_i porta_gli porta_le porta_un porta_una porta_qui porta_questo porta_questa "
              "lancia* apri* chiudi*",  # porta alone is the door (alla porta), also in Portuguese
        "pt": "acaricia* fecha_a* fecha_o* fecha_essa* fecha_esta* lava* pegue* pega* traga* traz traze* trazer leve* jogue* abra* feche*", "ru": "погладь* помой* подними* принеси* возьми* брось* открой* закрой*",
        "zh": "摸 洗 拿 捡 搬 扔 打开 关上", "ja": "撫で 洗って 持って 拾 運ん 投げ 開け 閉め", "ko": "쓰다듬 씻 집어 가져와 던져 열어 닫아",
        "ar": "اغسل احمل احضر افتح أغلق ناولني", "pl": "umyj* pogłaszcz* podnieś* przynieś* otwórz* zamknij*", "tr": "yıka* getir* kaldır* aç kapat*",
        "nl": "duw* aai* was_je* zet_koffie* pak_de* pak_het* pak_dat breng* haal* open_de* open_het* sluit* til_de* til_het* gooi*",
        "id": "ambil* bawakan* bawa_* angkat_* buka* tutup_* lempar*", "sv": "hämta* ta_upp* öppna* stäng* bär_*",
        "hi": "धो उठाओ उठा_लो उठाकर उठा_कर लाओ लाकर ले_आओ खोलो बंद_करो फेंको पकड़ो", "vi": "nhặt mang cầm mở_cửa đóng_cửa ném",
        "he": "הבא תביא הרם תרים פתח תפתח סגור תסגור", "tl": "kunin* kuha* pakikuha*"}),
    "perceive": ("not possible: the robot cannot see", {
        "en": "how_many count_the* count_how* what_do_you_see describe* look_at* find* follow* search* look_for* watch_me recognize* locate* see_the look_up look_down look_around "
              "look_over_there nod nods nodding point_at* point_to*",
        "es": "cuántos cuántas cuenta_los* describe* mira_a* busca* encuentra* sigue_a* sígueme mira_arriba asiente", "fr": "combien compte_les* décris* regarde* cherche* trouve* suis-moi suis_le lève_les_yeux",
        "de": "wie_viele zähl zähle beschreib beschreibe schau schau_mal schau_dir* schaue schauen_sie such such_mal suche finde find_mal folge folg_mir nick nicke", "it": "quanti quante conta_i* descrivi* guarda* cerca* trova* seguimi segui alza_lo_sguardo",
        "pt": "quantos quantas conte_os* descreva* olhe* procure* encontre* siga* me_siga", "ru": "сколько посчитай* опиши* посмотри* найди* следуй* иди_за*", "zh": "多少 数一数 描述 看 找 跟着 跟随",
        "ja": "いくつ 何個 数えて 見て 探 ついて来 見上げ 見回", "ko": "몇_개 세어 찾아 따라와 쳐다봐 올려다봐", "ar": "كم_عدد انظر ابحث اتبع", "pl": "spójrz* znajdź* idź_za* popatrz* patrz* zobacz*", "tr": "bak bul* takip*",
        "nl": "hoeveel tel_de* beschrijf* kijk* zoek* vind* volg_me volg_mij volg_hem volg_haar", "id": "lihat* cari* temukan* ikuti* ikut_aku",
        "sv": "titta* leta* hitta* följ*", "hi": "कितने गिनो देखो ढूंढो ढूँढो खोजो पीछा_करो", "vi": "nhìn tìm đi_theo"}),
    "device": ("not possible: the robot cannot switch or use devices", {
        "en": "press_the* press_that* button* remote* switch_on* switch_off* turn_on_the_light* turn_off_the_light* turn_the_light* lights_on lights_off",
        "de": "drück_den* drück_auf* knopf* licht_an* licht_aus* mach_das_licht* schalte* einschalten ausschalten", "nl": "druk_op* knop* licht_aan* licht_uit* doe_het_licht*",
        "es": "pulsa* presiona* botón enciende* apaga_la*", "fr": "appuie* bouton* allume* éteins*", "it": "premi* pulsante* accendi* spegni*", "pt": "aperte* aperta_o* botão acende* acenda* apague*",
        "pl": "naciśnij* przycisk* włącz* wyłącz*", "ru": "нажми* кнопк* включи* выключи*", "tr": "düğme* ışığı_aç ışığı_kapat", "zh": "按钮 按一下 开灯 关灯", "ja": "押して ボタン 電気をつけ 電気を消",
        "ko": "버튼 눌러 불_켜 불_꺼 불을_켜 불을_꺼", "ar": "اضغط زر أشعل أطفئ شغل_الضوء", "hi": "बटन दबा* लाइट_जला* बत्ती_जला* लाइट_बंद*"}),
    "photo": ("not possible: the robot has no camera to take pictures", {  # taking one, not posing for one
        "en": "record_a_video record_me film_me video_of* take_a_video pic pics snap_a_pic* snap_a_quick* take_a_photo* take_a_picture* take_photos take_pictures take_a_selfie snap_a_photo* snap_a_picture* "
              "photograph_*", "de": "film_mich filme_mich mach_ein_foto* mach_mal_ein_foto* fotografier*", "nl": "film_me filmpje maak_een_foto* fotografeer*",
        "es": "graba* grábame haz_una_foto* hazme_una_foto* saca_una_foto* sácame_una_foto* toma_una_foto* fotografía_a*",
        "fr": "filme* prends_une_photo* fais_une_photo* prends-moi_en_photo photographie-moi", "it": "registra_un_video filmami scatta* fai_una_foto* fammi_una_foto* fotografa*",
        "pt": "grava_um_vídeo grave_um_vídeo filma* filme-me tire_uma_foto* tira_uma_foto* fotografe*", "pl": "zrób_zdjęci* zrób_mi_zdjęci* zrób_fot* sfotografuj*",
        "ru": "сними_видео сними_меня сфотограф* сделай_фото* сделай_снимок", "tr": "fotoğraf_çek* fotoğrafımı_çek*", "zh": "录像 录视频 拍照 拍张照 拍个照 照相",
        "ja": "動画 撮って 撮影 写真を撮 写真撮", "ko": "동영상 촬영 사진_찍 사진을_찍 사진찍", "ar": "التقط* التقط_صورة صورني", "hi": "वीडियो फोटो_खींच* तस्वीर_खींच* फोटो_लो",
        "id": "ambil_foto* fotoin", "vi": "chụp_ảnh"}),
    "injection": ("not possible: the task asks the robot to set its rules aside", {
        "en": "admin_mode administrator_mode system_administrator system_override new_instructions pretend_you_have_no* act_as_if_you_had_no* you_are_now* authorization_code* i_authorize* unrestricted ignore_your* ignore_all* ignore_previous* ignore_the_rules ignore_any* disregard_your* disregard_all* "
              "debug_mode developer_mode god_mode jailbreak* override_your* forget_your_rules forget_your_instructions "
              "no_restrictions without_restrictions",
        "es": "modo_desarrollador modo_administrador nuevas_instrucciones sin_reglas ignora_tus* ignora_todas* olvida_tus*", "fr": "mode_développeur mode_administrateur nouvelles_instructions sans_règles ignore_tes* ignore_toutes* ignore_les_règles oublie_tes*",
        "de": "entwicklermodus admin-modus neue_anweisungen ohne_regeln ignoriere* ignorier_deine* vergiss_deine*", "it": "senza_regole modalità_sviluppatore ignora_le* ignora_tutte* ignora_i_tuoi* dimentica_le*",
        "pt": "modo_desenvolvedor novas_instruções sem_regras ignore_suas* ignore_as_regras ignora_as* esqueça_suas* esquece_as_regras esqueça_as_regras esquece_suas* esquece_tuas*", "nl": "ontwikkelaarsmodus nieuwe_instructies zonder_regels negeer*", "pl": "tryb_deweloper* nowe_instrukcje bez_zasad zignoruj* ignoruj*",
        "ru": "режиме_администратора режим_администратора режим_разработчика новые_инструкции без_правил игнорируй* проигнорируй* забудь_все* забудь_свои*", "uk": "ігноруй*", "tr": "geliştirici_modu* yeni_talimat* görmezden_gel* yok_say*",
        "zh": "开发者模式 管理员模式 新指令 忽略 无视", "ja": "開発者モード 管理者モード 新しい指示 無視", "ko": "개발자_모드 관리자_모드 무시", "ar": "وضع_المطور وضع_المسؤول تجاهل", "hi": "डेवलपर_मोड नज़रअंदाज़ अनदेखा", "id": "abaikan*"}),
    "sing": ("not possible: the robot cannot sing or play sounds", {
        "en": "music sing sings singing a_song play_music play_some_music whistle*", "es": "música canta cantar cántame* canción*",
        "fr": "musique chante*", "de": "musik* sing_* singe* ein_lied", "it": "musica canta cantare cantami* canzone*", "pt": "música cante* canção",
        "nl": "muziek zing*", "sv": "sjung*", "pl": "muzyk* zaśpiewaj* śpiewaj*", "ru": "музык* спой* пой_", "tr": "müzik* şarkı*",
        "hi": "संगीत गाना_गाओ गाओ गीत", "zh": "音乐 唱", "ja": "音楽 歌って 歌を", "ko": "음악 노래", "ar": "موسيقى غن غني أغنية", "id": "nyanyi*",
        "vi": "hát", "hi_latn": "gaana gao"}),
    "danger": ("unsafe: a hole, water, fire or traffic", {"en": "trapdoor manhole open_hatch hole_in_the_floor fireplace stove* oven* heater* into_the_fire into_the_pool swimming_pool traffic crosswalk highway cross_the_street into_the_street onto_the_street across_the_road", "es": "piscina* fuego chimenea carretera* cruza_la_calle", "fr": "piscine* cheminée traverse_la_rue dans_la_rue", "de": "feuer kamin* über_die_straße auf_die_straße", "it": "piscina* fuoco attraversa_la_strada", "pt": "piscina* fogo lareira* atravesse_a_rua atravessa_a_rua", "nl": "zwembad* open_haard oversteken", "pl": "basen* kominek* przez_ulicę na_ulicę", "ru": "бассейн* камин* проезжую_часть через_дорогу", "tr": "havuz* şömine* karşıya_geç*", "ar": "المدفأة مسبح", "hi": "सड़क_पार", "zh": "泳池 火炉 马路", "ja": "プール 道路を渡", "ko": "수영장 차도"}),
    "play": ("not possible: the robot cannot play games", {"en": "play_a_game play_rock rock_paper_scissors hide_and_seek let's_play* play_with*", "es": "juega* jugar* piedra_papel*", "fr": "joue* jouer* pierre_feuille*", "de": "spiel* schere_stein*", "it": "gioca* giocare*", "pt": "jogue_com* joga_com* brinca* jogar*", "nl": "speel* spelen", "pl": "zagraj* graj*", "ru": "поиграй* сыграй* играть", "tr": "oyna*", "zh": "玩游戏 石头剪刀布", "ja": "遊ぼ ゲーム じゃんけん", "ko": "게임 가위바위보 놀자", "ar": "العب", "hi": "खेलो"}),
    "climb": ("not possible: climbing, crawling, lying down", {
        "en": "crouch* squat* get_down_low duck_down hide* sit_on_the_floor climb* crawl* lie_down roll_over swim swimming fly flying somersault* cartwheel* backflip* flip flips kneel* "
              "stand_on_one_leg balance_on* get_up_on* stand_on_the* step_onto* step_up_onto*",
        "es": "agáchate agachar* escóndete trepa* escala* gatea* acuéstate túmbate súbete* sube_a_la* sube_al* sube_encima*", "fr": "accroupis* cache-toi baisse-toi grimpe* rampe* allonge-toi monte_sur*", "de": "duck_dich hock_dich versteck* kletter* kriech* leg_dich",
        "it": "accovacciati abbassati nasconditi arrampica* striscia* sdraiati sali_sul* sali_sulla* sali_su", "pt": "agache* abaixe-se esconde-te escale* rasteje* deite-se sobe_na* sobe_no* sobe_em* suba_na* suba_no* suba_em*", "ru": "присядь_на_корточки пригнись спрячься залезь* ползи* ляг пропол* подполз* вскараб*",
        "zh": "蹲 躲 爬 躺下 翻跟头", "ja": "しゃがん 隠れ 登 這 寝転", "ko": "쪼그려 숨어 올라가 기어 누워", "ar": "اختبئ تسلق ازحف استلق",
        "nl": "bukken buk hurk* verstop* liggen klim* kruip* ga_liggen", "id": "panjat* memanjat* merangkak* rangkak* berbaring* tiduran",
        "pl": "kucnij* schowaj* wspinaj* wspnij* wejdź_na czołgaj* połóż_się", "tr": "diz_çök* çömel* tırman* sürün* uzan*", "sv": "klättra* kryp* lägg_dig",
        "hi": "झुको छिपो चढ़ो चढ़_जाओ रेंगो लेट_जाओ", "vi": "trèo leo bò nằm_xuống"}),
}
# "Don't run" and "don't turn", said beside what to do: a small model read them as a stop, a turn after all, or
# a refusal. Left out of what the model reads, with the comma or "just" after them: leaving out a step not
# to take changes no plan, and the speed limits hold whatever the task says.
DONT_WORDS: dict[str, str] = {
    "en": "don't_run do_not_run no_running don't_rush don't_hurry no_need_to_hurry no_need_to_run",
    "es": "no_corras sin_correr no_te_apures", "pt": "não_corra não_corre_não não_corre sem_correr",
    "fr": "ne_cours_pas sans_courir", "de": "nicht_rennen renn_nicht ohne_zu_rennen", "it": "non_correre senza_correre",
    "nl": "niet_rennen ren_niet", "pl": "nie_biegnij nie_biegaj", "ru": "не_беги не_бегай не_спеши", "tr": "koşma",
    "ja": "走らないで 走るな 急がないで", "zh": "别跑 不要跑 不用跑 别急", "ko": "뛰지_말고 뛰지_마",
    "hi": "भागना_मत भागो_मत दौड़ो_मत दौड़ना_मत", "ar": "لا_تركض ما_تركض", "hi_latn": "run_mat_karna mat_bhaago",
    "turn": "don't_turn_around do_not_turn_around don't_turn* do_not_turn* without_turning ne_tourne_pas sans_tourner no_gires no_te_gires sin_girar "
            "dreh_dich_nicht nicht_drehen non_girare non_girarti senza_girarti não_vire não_gire não_vira sem_virar "
            "draai_niet niet_draaien nie_obracaj_się nie_odwracaj_się не_поворачивай* не_разворачивайся dönme "
            "曲がらないで 回らないで 别转身 不要转身 别转 不要转 돌지_말고 돌지_마 मुड़ना_मत मत_मुड़ो"}


@cache
def _donts() -> re.Pattern:
    return re.compile(rf"(?:{words_pattern(table_words(DONT_WORDS)).pattern})[\s,，、。.!;]*(?:just\s+)?", re.IGNORECASE)


def without_donts(text: str) -> str:
    """`text` without its "don't run" and "don't turn" ("no corras, camina 2 m" -> "camina 2 m")."""
    return _donts().sub("", text).strip() or text


# Going to a place, to a person, and collisions, as patterns: (kind, why, pattern). Directions ("to the
# left") are not places. The planner lets a "place" through when the task names a known place.
_NOT_A_PLACE = r"(?:left|right|front|back|side|rear|start|starting|same|other|opposite|ground|floor|count)\b"
_SAY = (r"(?:say|tell|sag|sage|zeg|di|dis|dì|diga|dile|dites|fala|fale|diz|скажи|скажите|powiedz|söyle|de|"
        r"言って|说|說|말해|कहो|बोलो|قل|قولي)")
HAZARD_PATTERNS: tuple[tuple[str, str, str], ...] = (
    ("place", "not possible: the robot cannot find places or things",
     rf"\b(?:go|walk|head|move|come|drive|navigate|step|get|return|bring\s+yourself)\s+(?:back\s+|over\s+|up\s+|"
     rf"straight\s+|right\s+)?(?:to|towards?|into|up\s+to|over\s+to|next\s+to|near|behind|around|through)\s+"
     rf"(?:the|a|an|my|your|his|her|their|that|this|our)\s+(?!{_NOT_A_PLACE})[^\W\d_]+"),
    ("person", "not possible: the robot cannot find people",
     r"\bcome\s+(?:here|to\s+me|over\s+here|closer|back\s+to\s+me)\b|\b(?:towards?|to)\s+me\b|\bwhere\s+i\s+am\b"),
    ("place", "not possible: the robot cannot find places or things",
     r"\b(?:ve|vete|camina|anda)\s+(?:a|hacia|hasta)\s+(?:la|el|los|las|mi|tu)\s+(?!izquierda|derecha)[^\W\d_]+|"
     r"\b(?:va|vas|marche)\s+(?:à|a|vers|jusqu'à)\s+(?:la|le|les|l'|ma|ta)\s*(?!gauche|droite)[^\W\d_]+|"
     r"\b(?:geh|gehe|lauf|laufe)\s+(?:zur|zum|in\s+die|in\s+den|ins|zu\s+der|zu\s+dem)\s+[^\W\d_]+|"
     r"\b(?:vai|va)\s+(?:alla|al|allo|nella|nel|verso\s+la|verso\s+il)\s+(?!sinistra|destra)[^\W\d_]+|"
     r"\b(?:vá|va|ande|caminhe)\s+(?:para|até)\s+(?:a|o)\s+(?!esquerda|direita|frente|trás)[^\W\d_]+|"
     r"(?<![回过])去(?!左|右|前|后)\w{1,4}|(?<![前後左右横])(?:へ|に)行って|(?<![앞뒤쪽옆])으로\s?가|(?<![앞뒤쪽옆으])로\s?가"),
    ("place", "not possible: the robot cannot find places or things",
     r"(?<!\w)(?:иди|пойди|сходи|ступай|отправляйся|подойди)\s+(?:в|во|на|к|ко)\s+(?!сторону|месте|перёд)\w+|"
     r"\b(?:idź|pójdź|podejdź|przejdź)\s+(?:do|na)\s+(?!przodu|tyłu|lewo|prawo|lewej|prawej|bok)\w+|"
     r"\b(?:ga|loop)\s+naar\s+(?:de|het|je|mijn)\s+\w+|"
     r"(?:اذهب|روح|امش|امشي)\s+(?:إلى|الى|لل|عند)\s*(?!الأمام|الامام|الخلف|الوراء|اليمين|اليسار|أمام|امام|خلف|وراء|يمين|يسار)\w+|"
     r"(?<![\u0900-\u097f])(?!आगे|पीछे)[\u0900-\u097f]+\s+(?:तक|में|पर)\s+जाओ"),
    ("people", "unsafe: moving into something or someone",
     r"\b(?:fonce|rentre|cogne)\s+(?:tout\s+droit\s+)?dans\s+(?:le|la|les|l'|un|une|ce|cette)|"
     r"\b(?:fonce|cours|marche|va|avance|cogne)\s+(?:tout\s+droit\s+)?contre\s+(?:le|la|les|l'|un|une|ce|cette)|"
     r"\b(?:choca|chocar|estréllate|corre|camina|anda|ve|vai|bate|colide)\s+(?:directo\s+|recto\s+|direto\s+)?contra\b|"
     r"\b(?:sbatti|vai|corri|cammina)\s+(?:dritto\s+)?contro\b"),
    ("speak", "not possible: the robot cannot speak",  # a word of saying beside what is to be said, in quotes
     rf"(?<![^\W\d_]|[\"'«“„‘「『]){_SAY}(?![^\W\d_])(?:\s+[^\W\d_]+){{0,3}}?\s*[\"'«“„‘「『](?=\S)|"
     rf"(?<=\S)[\"'»”“’」』]\s*(?:って|と|이라고|라고)?\s*{_SAY}(?:(?<={UNSPACED.pattern})|(?![^\W\d_]))"),
    ("photo", "not possible: the robot has no camera to take pictures",  # "una" is read as 1 before the screen
     r"\b(?:fammi|fai|scatta|haz|hazme|saca|sácame|toma|tómame|tire|tira|faz|tira-me)\s+(?:una|un|uma|1)?\s*"
     r"(?:foto|fotos|fotografía|fotografia|selfie)\b"),
    ("grasp", "not possible: the robot cannot hold or move things",  # German "mach die Tür auf": the verb splits
     r"\b(?:t[üu]r|fenster|schublade|kühlschrank)\w*\s+(?:bitte\s+|mal\s+)?(?:auf|zu)\b"),
    ("people", "unsafe: moving into something or someone",
     r"\b(?:walk|run|go|move|drive|crash|bump|charge|step)\s+(?:straight\s+|right\s+|directly\s+)?"
     r"(?:into|through)\s+(?:the|a|an|that|this|those|these|my|your|him|her|them|me|us)\b"),
    *(("contact", "unsafe: moving until it hits something", pattern) for pattern in (  # "until you hit", per language
        r"\b(?:until|till|'til)\s+(?:you|it|we)\s+(?:\w+\s+){0,2}?(?:hit|hits|bump|bumps|touch|touches|crash|crashes|"
        r"collide|collides|smack|smacks|run\s+into|runs\s+into|knock\s+into)\b|\buntil\s+(?:you\s+)?(?:make\s+)?contact\b",
        r"\bhasta\s+(?:que\s+)?(?:choqu\w*|chocar|toqu\w*|tocar|golpe\w*|tropie\w*|tropezar|dar\s+con)",
        r"\baté\s+(?:que\s+)?(?:bat\w*|toc\w*|encost\w*|colid\w*|esbarr\w*)",
        r"\bjusqu['’]\s?(?:à\s+)?(?:ce\s+(?:que|qu['’])\s*(?:tu|il|vous|on)\s+)?(?:touch\w*|heurt\w*|cogn\w*|percut\w*|rentr\w*\s+dans)",
        r"\bfinch[eé]\s+(?:non\s+)?(?:tocchi|tocca|sbatti|sbatte|urti|urta|colpisci|colpisce)\b",
        r"\bbis\s+(?:du|er|es|ihr)\s+(?:\w+\s+){0,4}?(?:an|da)?(?:stößt|berührst|prallst|knallst|rennst|läufst)\b",
        r"\btot(?:dat)?\s+(?:je|u|hij|het)\s+(?:\w+\s+){0,4}?(?:botst|raakt|aanraakt|stoot|knalt)\b",
        r"\btills\s+(?:du|den)\s+(?:\w+\s+){0,4}?(?:slår|stöter|krockar|rör|nuddar|träffar)\b",
        r"\baż\s+(?:\w+\s+){0,3}?(?:uderzysz|dotkniesz|zderzysz|wpadniesz|uderzy|dotknie)\b",
        r"\bпока\s+не\s+(?:\w+\s+){0,2}?(?:упр[её]шься|вреж\w*|косн\w*|наткн\w*|удар\w*|столкн\w*)",
        r"(?:çarpana|değene|dokunana)\s+kadar", r"直到(?:你|它)?(?:撞|碰|触)", r"(?:ぶつかる|当たる|触れる|衝突する)まで",
        r"(?:부딪힐|닿을|충돌할|부딪칠)\s?때까지", r"حتى\s+(?:\S+\s+){0,2}?(?:تصطدم|تلمس|ترتطم)", r"(?:टकराने|छूने)\s+तक",
    )),
)

NEGATIONS = frozenset(
    "don't dont do_not never not no without avoid stop no_need nicht kein keine ohne nie no nunca sin ni jamais "
    "pas sans non mai senza não nunca sem niet geen zonder inte aldri ikke nie bez не без ні never değil ма 못 안".split())

# Words of a request that may stand between a negation and what it negates ("I'm not asking you to open it").
REQUEST_WORDS = frozenset(
    "i i'm am asking ask want wanting need needing telling tell you to me going gonna wanna have please just even "
    "te pido que quiero je demande de veux tu ich will dass du sollst ti chiedo di voglio che peço para você "
    "vraag ik je jou om".split())

# Words of going near a hazard that may stand between a negation and it ("don't go near the edge", "geh nicht
# zu nah an die Kante"): a negation followed by nothing else keeps the robot from the hazard.
APPROACH_WORDS = frozenset(
    "go get walk move step come near close closer to too the a an any of by towards toward onto up "
    "te acerques acercarte vayas camines cerca del de la el al geh gehe lauf zu nah nahe an die der den zum zur "
    "va vas approche t'approche près du le les vá vai chegue perto da do avvicinarti vicino alla".split())

# Words that open a clause continuing the one before the comma ("no quiero, que saltes" is one request).
SUBORDINATORS = frozenset("that dass daß que di de om что чтобы".split())


@cache
def _hazards() -> list[tuple[re.Pattern, str, str, str, int | None]]:
    """(pattern, kind, why, language, the stem's length where the word is a prefix) of every hazard word."""
    entries = [(w, kind, why, lang) for kind, (why, langs) in HAZARD_WORDS.items() for lang, ws in langs.items()
               for w in ws.split()]
    entries.sort(key=lambda entry: -len(entry[0]))
    return [(re.compile(word_pattern(word), re.IGNORECASE), kind, why, lang,
             len(word.strip("*")) if word.endswith("*") and not word.startswith("*") else None)
            for word, kind, why, lang in entries]


def _foreign_inflection(match: re.Match, lang: str, stem: int | None, languages: tuple[str, ...] | None) -> bool:
    """Whether a prefix word of a language the task is not in matched a longer word: Indonesian "cari*"
    (search) in Italian "caricatore" (charger). Another language's inflections are its own. Only where the
    task's language is known beyond English, the guess where nothing else is recognized."""
    known = bool(languages) and any(other != "en" for other in languages)
    return known and stem is not None and lang not in languages and len(match.group(0)) > stem + 2


@cache
def _hazard_patterns() -> list[tuple[re.Pattern, str, str]]:
    return [(re.compile(pattern, re.IGNORECASE), kind, why) for kind, why, pattern in HAZARD_PATTERNS]


# Common words of one language that are hazard words of another ("dans" is "in" in French and "dance" in
# Dutch, "such" is English and German "search"): in a task in that language they are the common word.
FALSE_FRIENDS: dict[str, frozenset[str]] = {"fr": frozenset({"dans"}), "en": frozenset({"such"}),
                                            "es": frozenset({"guarda", "guardarlo", "guardar", "guárdalo"}),
                                            "pt": frozenset({"guarda", "guardar", "guardá-lo"})}  # keep, save


# Phrases that hold a hazard word but ask nothing of the robot: what others do or think ("die Kinder finden
# das super", "hij vindt", "je trouve", "子どもたちが見てる", "我看看"), what is to come ("zobaczysz": you'll
# see), what someone is holding ("持っている"). A hazard word inside one is no hazard.
NOT_ORDER_WORDS: dict[str, str] = {
    "de": "finden_das finden_es finde_ich findet finde_das", "nl": "vindt vinden_het vinden_dat ik_vind",
    "fr": "je_trouve que_je_trouve j'ai_trouvé", "pl": "zobaczysz zobaczymy", "es": "ya_verás verás",
    "it": "vedrai", "pt": "você_vai_ver vai_ver", "ru": "увидишь",
    "ja": "見てる 見ている 見ていた 見てた 見ています が見て 持っている 持ってる 持ってた 撮ってる 撮っている 撮ってた 動画撮って 動画を撮って "
          "写真撮るから 写真を撮るから 写真撮るね 写真を撮るね",  # the speaker's own photo
    "zh": "我看看 让我看看 我看 看起来 好看",
    "ko": "사진_찍기", "hi": "वीडियो_कॉल",
}
# Hazard words that describe something in the room, not what the robot is to do ("a cable running across the
# floor", "the vacuum is running"): a hazard word inside one of these is no hazard.
DESCRIPTIONS = re.compile(
    r"\b(?:cables?|cords?|wires?|hoses?|pipes?|lines?|cracks?|tapes?|rugs?|carpets?|stripes?|tracks?|rails?|water|"
    r"leaks?|paths?|hallways?|corridors?)\s+(?:that\s+(?:is|are|'s)\s+|is\s+|are\s+)?running\b|"
    r"\b(?!you\b|we\b)[a-z]+\s+(?:is|are|'s)\s+(?:still\s+)?running\b|"
    r"\brunning\s+(?:late\b|out\s+of\b|low\b)|\brunning\s+(?:water|taps?|faucets?|machines?|vacuums?|fans?|engines?|motors?|dishwashers?|washing)\b",
    re.IGNORECASE)


# The speaker as the subject right before a hazard word: what the person does ("c'est là que je joue", "내가 사진
# 찍을게"), not an order. Only pronouns that are no other common word before a verb: not Polish "ja" (German
# "yes"), nor Chinese 我, the object of "帮我拿" (fetch me); English "I" in capitals (Italian "sali i gradini").
_SPEAKER = re.compile(r"(?:(?<![^\W\d_])(?:(?-i:I)|je|yo|io|eu|ich|ik|я|मैं|أنا)\s+|(?:私が|僕が|俺が|내가|제가|我要|我来|我想|我在)\s*)$",
                      re.IGNORECASE)
# Turkish present continuous: what someone is doing ("önünü kapatıyorsun", you are in the way), not an order.
_CONTINUOUS = re.compile(r"(?<![^\W\d_])[^\W\d_]+[ıiuü]yor(?:sun|sunuz|um|uz|lar)?(?![^\W\d_])")
# Hands or arms right after a word of lifting: a gesture ("levanta las 2 manos"), not a thing lifted.
_LIMB_OBJECT = re.compile(rf"(?:\s+[^\W\d_]{{1,6}}|\s+\d+){{0,2}}?\s*(?:(?:{LIMB_WORDS})(?![^\W\d_])|{LIMB_SIGNS})",
                          re.IGNORECASE)


# Hands or arms right before it, in a language whose verb comes last ("iki elini havaya kaldır").
_LIMB_BEFORE = re.compile(rf"(?:{LIMB_WORDS})\s+(?:havaya\s+|yukarı\s+)?$", re.IGNORECASE)
# A word of looking that opens a sentence, then a pause: "Look, ...", "Bak, bu köşe", "देखो, मेहमान": an
# interjection, not an order to look.
_OPENER_BEFORE = re.compile(r"(?:^|[.!?。！？]\s*)$")
_OPENER_AFTER = re.compile(r"\s*[,،、，]")

# a quoted name: its quotes stand outside words, so the apostrophes of "don't jump, it's" quote nothing
_QUOTED = re.compile(r"(?<!\w)[\"'«“„‘「『][^\"'«»“”„‘’「」『』]{1,40}[\"'»”“’」』](?!\w)")


@cache
def _not_orders() -> re.Pattern:
    return words_pattern(table_words(NOT_ORDER_WORDS))


def _false_friend(word: str, lang: str, languages: tuple[str, ...] | None) -> bool:
    """Whether a hazard word of `lang` is, in a task in `languages`, another language's common word."""
    if not languages or lang in languages:
        return False
    return any(word.lower() in FALSE_FRIENDS.get(other, ()) for other in languages)


def named_hazards(text: str, languages: tuple[str, ...] | None = None) -> list[tuple[str, str, str, float | None]]:
    """(words as written, kind, why, bearing) of each hazard the task names and does not negate; the bearing
    is where the task says a place-like hazard is ("the stairs are on your left"), None when it is an order."""
    found: list[tuple[str, str, str, float | None]] = []
    vocabulary: list[tuple[int, int]] | None = None  # spans of vocabulary words, found once a hazard word is

    def in_vocabulary(start: int, end: int) -> bool:
        nonlocal vocabulary
        if vocabulary is None:
            vocabulary = [m.span() for pattern, _ in vocabulary_patterns() for m in pattern.finditer(text)]
            vocabulary += [m.span() for pattern in (DESCRIPTIONS, _not_orders(), _CONTINUOUS)
                           for m in pattern.finditer(text)]
            if remembers(text):  # "Onthoud deze plek als 'speelhoek'": a name in quotes is no order
                vocabulary += [m.span() for m in _QUOTED.finditer(text)]
        return any(s <= start and end <= e for s, e in vocabulary)
    words: list[tuple[int, int]] = []  # spans of hazard words so far, longest first
    for pattern, kind, why, lang, stem in [*_hazards(), *((p, k, w, None, None) for p, k, w in _hazard_patterns())]:
        for match in pattern.finditer(text):
            if lang is not None:  # a word inside a longer hazard word is that word ("escaleras" is no "escale")
                start, end = match.span()
                if (_false_friend(match.group(0), lang, languages) or in_vocabulary(start, end)
                        or _foreign_inflection(match, lang, stem, languages)
                        or any(s <= start and end <= e for s, e in words)
                        or _SPEAKER.search(text, 0, start) or (kind == "grasp" and (
                            _LIMB_OBJECT.match(text, end) or _LIMB_BEFORE.search(text, 0, start)))
                        or (kind == "perceive" and _OPENER_BEFORE.search(text, 0, start)
                            and _OPENER_AFTER.match(text, end))):
                    continue
                words.append((start, end))
            if not _negated(text[:match.start()]) and not _negated_after(text[match.end():]):
                where = bearing(text, *match.span()) if kind in LOCATED_KINDS else None
                found.append((match.group(0), kind, why, where))
    return found


def hazards(text: str, languages: tuple[str, ...] | None = None) -> list[tuple[str, str, str]]:
    """(words as written, kind, why) for each hazard the task asks for. Left out: a negated one ("don't run"), one
    the task only says is somewhere (`located_hazards`), a hazard word inside a vocabulary word ("abraço", a hug,
    holds "abra", open) or a description (DESCRIPTIONS), and in a task in `languages` a common word of theirs (FALSE_FRIENDS)."""
    return [(words, kind, why) for words, kind, why, where in named_hazards(text, languages) if where is None]


def located_hazards(text: str, languages: tuple[str, ...] | None = None) -> list[tuple[str, str, float]]:
    """(words as written, kind, bearing) for each hazard the task says is somewhere: the plan must not go there."""
    return [(words, kind, where) for words, kind, _, where in named_hazards(text, languages) if where is not None]


# A negation after what it negates, where the verb comes last: "सीढ़ियाँ नहीं चढ़ सकते", "階段は登れない",
# "계단은 못 올라가": in the next three words (ten characters of an unspaced script) of the same clause.
_NEGATED_AFTER = re.compile(r"^(?:\s*[^\s,.;:!?，。、！？；]+){0,2}?\s*(?:नहीं|मत)(?![\w\u0900-\u097f])|"
                            r"^[^,.;:!?，。、！？；]{0,10}?(?:ない|ません|못\s|않|지\s*마|지\s*말)")


def _negated_after(after: str) -> bool:
    return _NEGATED_AFTER.search(after) is not None


def _negated(before: str) -> bool:
    """Whether the words just before a hazard negate it: a negation among the last three of its clause, request
    words aside ("I'm not asking you to open it"), or followed only by words of going near ("don't go near the").
    A clause ends at punctuation, so "don't worry, just jump" and "no, I want you to jump" are not negated."""
    clauses = re.split(CLAUSE_PUNCTUATION, before.lower())
    words = re.findall(r"[\w']+", clauses.pop())
    while clauses and words and words[0] in SUBORDINATORS:  # "ich will nicht, dass du springst"
        words = re.findall(r"[\w']+", clauses.pop()) + words
    words = words[-8:]
    kept = [w for w in words if w not in REQUEST_WORDS][-3:]
    if NEGATIONS & set(kept) or any(w.startswith(("不", "別", "别", "말", "لا")) for w in kept):
        return True
    last = max((i for i, w in enumerate(words) if w in NEGATIONS), default=None)
    return last is not None and all(w in APPROACH_WORDS or w in REQUEST_WORDS for w in words[last + 1:])
