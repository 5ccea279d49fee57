"""Named places without ROS: the data, the planner's knowledge of them, the bridge's memory and its trust rule."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError
from test_planner import ScriptedBackend

from llm_planner.plan import language as plan_text
from llm_planner.plan.limits import Limits, check_plan
from llm_planner.plan.places import (
    SIM_WORLD,
    Destinations,
    KnownPlaces,
    Place,
    PlaceBook,
    name_glosses,
    named_places,
    place_glosses,
    renamed_places,
    spelled_names,
)
from llm_planner.plan.route import step_poses
from llm_planner.plan.schema import GoTo, Plan, Remember, Walk
from llm_planner.planning import prompt
from llm_planner.planning.planner import Planner
from robot_bridge import place_memory
from robot_bridge.place_memory import PlaceMemory

WORLD = Destinations.of(SIM_WORLD.places)


# ------------------------------------------------------------------ the data
def test_the_simulated_world_has_exactly_the_evaluated_places():
    poses = {p.name: (p.x, p.y, p.yaw_deg, p.frame) for p in SIM_WORLD.places}
    assert poses == {"home": (0, 0, 0, "odom"), "door": (4, 0, 0, "odom"), "desk": (2, 1.5, 90, "odom"),
                     "window": (0, 3, 90, "odom"), "charger": (-1.5, -1, 180, "odom")}


def test_a_book_always_has_home_and_unique_bounded_names():
    assert [p.name for p in PlaceBook().places] == ["home"]
    with pytest.raises(ValidationError, match="unique"):
        PlaceBook(places=(Place(name="desk", x=1, y=1), Place(name="desk", x=2, y=2)))
    for bad in ("Desk", "a" * 33, "9lives", "my desk", "unknown", ""):
        with pytest.raises(ValidationError):
            Place(name=bad, x=0, y=0)
    for coordinate in (math.nan, math.inf, 1e6):
        with pytest.raises(ValidationError):
            Place(name="desk", x=coordinate, y=0)
    with pytest.raises(ValidationError):
        Place(name="desk", x=0, y=0, aliases=("x" * 41,))


def test_a_places_file_reads_back_what_was_written():
    assert PlaceBook.from_yaml(SIM_WORLD.to_yaml()) == SIM_WORLD
    for text in ("[1, 2]", "places: [{name: desk}]", "places: [{name: desk, x: 1, y: 2, colour: red}]"):
        with pytest.raises(ValueError):
            PlaceBook.from_yaml(text)


def test_aliases_in_other_languages_are_glossed_with_the_place_name():
    assert place_glosses("ve a la puerta y luego al escritorio", SIM_WORLD) == [("puerta", "door"),
                                                                                ("escritorio", "desk")]
    assert place_glosses("去门口", SIM_WORLD) == [("门口", "door")]
    assert place_glosses("go to the door", SIM_WORLD) == []  # its own name needs no gloss
    assert place_glosses("اذهب إلى النافذة", SIM_WORLD) == [("النافذة", "window")]  # with the article
    assert place_glosses("idź do biurka", SIM_WORLD) == [("biurka", "desk")]  # inflected
    assert place_glosses("gå till laddaren", SIM_WORLD) == [("laddaren", "charger")]
    assert place_glosses("ga terug naar waar je begon", SIM_WORLD) == [("waar je begon", "home")]
    assert place_glosses("창문으로 가서 손 흔들어", SIM_WORLD) == [("창문", "window")]  # its "문으로" is no door
    assert named_places("창문으로 가서 손 흔들어", SIM_WORLD) == ("window",)


def test_a_place_is_glossed_where_the_task_names_it():
    """Glossed last, a small model went there last: the glosses keep the task's order."""
    backend = ScriptedBackend("stand_up\ngo_to desk\n")
    Planner(backend, places=SIM_WORLD).plan("일어나서 책상으로 가고 박수 네 번 쳐줘")
    read = backend.calls[0][0][-1]["content"]
    assert read.index("책상 = desk") < read.index("= clap, clap, clap, clap"), read
    assert read.index("일어나 = stand_up") < read.index("책상 = desk"), read


# ------------------------------------------------------------------ the plan language and limits
def test_the_decoder_admits_only_known_places_in_a_go_to_and_any_new_name_to_remember():
    language = plan_text.Language(places=WORLD.names)
    assert language.status("go_to door\n") == "complete"
    assert language.status("go_to unknown\n") == "complete"  # the planner's word for any other place
    assert language.status("go_to kitchen\n") == "invalid"
    assert language.status("remember kitchen\ngo_to home\n") == "complete"
    assert language.status("remember Kitchen\n") == "invalid"
    grammar = language.grammar()
    assert 'go-to ::= "go_to" " " ("charger" | "desk" | "door" | "home" | "unknown" | "window")' in grammar
    assert 'remember ::= "remember" " " [a-z] [a-z0-9_]{0,31}' in grammar


def test_a_go_to_is_checked_against_the_places_known_now():
    def reasons(place: str, places: Destinations | None = WORLD, limits: Limits | None = None) -> list[str]:
        return [v.reason for v in check_plan(Plan(steps=[GoTo(place=place)]), limits or Limits(), places=places)]

    assert reasons("door") == []
    assert reasons("kitchen") == ["unknown_place"]
    assert reasons("door", None) == ["unknown_place"]
    assert reasons("door", Destinations.of(SIM_WORLD.places, {"door": "remembered in an earlier session"})) == [
        "untrusted_place"]
    assert reasons("door", limits=Limits(workspace_radius_m=3.0)) == ["workspace_limit"]
    detail = check_plan(Plan(steps=[GoTo(place="kitchen")]), Limits(), places=WORLD)[0].detail
    assert "charger, desk, door, home, window" in detail
    assert check_plan(Plan(steps=[Remember(place="kitchen")]), Limits(), places=WORLD) == []



def test_a_place_remembered_earlier_in_the_plan_may_be_gone_to_later():
    language = plan_text.Language(places=())  # the task names no known place: no go_to of its own
    assert language.status("go_to couch\n") == "invalid"
    assert language.status("remember couch\nwalk forward 3\ngo_to couch\n") == "complete"
    assert language.status("remember couch\ngo_to kitchen\n") == "invalid"  # only the one remembered
    assert language.status("remember couch\nwalk forward 1\ngo_to cou") == "prefix"
    assert language.status("remember couch\ngo_to couch\n") == "invalid"  # went nowhere: a made-up place
    there = Plan(steps=[Remember(place="couch"), Walk(direction="forward", distance_m=3.0), GoTo(place="couch")])
    assert check_plan(there, Limits(), places=WORLD) == []
    assert check_plan(there, Limits(), places=None) == []
    assert step_poses(there.steps, places=WORLD)[-1] == (0.0, 0.0, 0.0)  # back at the remembered spot
    before = Plan(steps=[GoTo(place="couch"), Remember(place="couch")])
    assert [v.reason for v in check_plan(before, Limits(), places=WORLD)] == ["unknown_place"]
    stale = Destinations.of(SIM_WORLD.places, {"door": "remembered in an earlier session"})
    again = Plan(steps=[Remember(place="door"), Walk(direction="backward", distance_m=1.0), GoTo(place="door")])
    assert check_plan(again, Limits(), places=stale) == []  # remembered now: trusted


# ------------------------------------------------------------------ the planner
def test_an_unknown_place_is_refused_with_the_known_ones_whoever_notices():
    screened = Planner(ScriptedBackend("go_to door\n"), places=SIM_WORLD).plan("go to the kitchen")
    assert (screened.state, screened.reason) == ("refused", "unknown_place")  # before the model
    assert "door" in screened.detail and "window" in screened.detail
    backend = ScriptedBackend("go_to unknown\n")
    said = Planner(backend, places=SIM_WORLD).plan("head over to the garage by the door")
    assert (said.state, said.reason, said.plan_object()) == ("refused", "unknown_place",
                                                             {"steps": [], "reason": "unknown_place"})


def test_decoding_ends_at_the_first_go_to_an_unknown_place():
    runaway = Planner(ScriptedBackend("go_to unknown\n" * 12), places=SIM_WORLD).plan("head to the garage by the door")
    assert (runaway.state, runaway.reason, runaway.raw) == ("refused", "unknown_place", "go_to unknown\n")


@pytest.mark.parametrize("task", ["remember this spot as the photo corner, walk 3 m, then go back to the photo corner",
                                  "mémorise cet endroit comme point A, recule d'un mètre et va au point A"])
def test_a_place_the_task_remembers_is_no_unknown_place_to_the_screen(task: str):
    backend = ScriptedBackend("remember photo_corner\nwalk forward 3\ngo_to photo_corner\n")
    outcome = Planner(backend, places=SIM_WORLD).plan(task)
    assert backend.calls and outcome.state == "planned", outcome  # the model was asked: the screen let it by
    assert Planner(ScriptedBackend(), places=SIM_WORLD).plan("go back to the photo corner").reason == "unknown_place"
    backend = ScriptedBackend("remember spot\ngo_to home\n")  # a place the task did not remember: screened
    other = Planner(backend, places=SIM_WORLD).plan("remember this spot, then go to the bathroom")
    assert (other.reason, backend.calls) == ("unknown_place", [])


def test_a_remember_may_not_overwrite_a_known_place_its_sentence_does_not_name():
    task = "Запомни это место как «диван». Иди к письменному столу и вернись к дивану."
    assert renamed_places(task, SIM_WORLD) == ()
    assert renamed_places("remember this spot as the door, then walk 1 m", SIM_WORLD) == ("door",)
    backend = ScriptedBackend("remember sofa\n")
    Planner(backend, places=SIM_WORLD).plan(task)
    language = backend.calls[0][1]
    assert language.status("remember desk\n") == "invalid"  # the model could not spell диван: it wrote desk
    assert language.status("remember desk") == "invalid"  # barred as soon as it is written, or it runs on
    assert language.status("remember deskdoor\n") == "invalid"
    assert language.status("remember sofa\ngo_to desk\ngo_to sofa\n") == "complete"
    backend = ScriptedBackend("remember door\n")
    Planner(backend, places=SIM_WORLD).plan("remember this spot as the door")
    assert backend.calls[0][1].status("remember door\n") == "complete"


@pytest.mark.parametrize(("task", "expected"), [
    ("Запомни это место как «диван». Иди к столу и вернись к дивану.", [("диван", "divan")]),
    ("Запомни это место как кухню. Потом иди к двери и вернись на кухню.", [("кухню", "kukhnyu")]),
    ("इस जगह को रसोई के नाम से याद रखो। फिर खिड़की तक जाओ और वापस रसोई आ जाओ।", [("रसोई", "rsoi")]),
    ("تذكّر هذا المكان باسم المطبخ. اذهب إلى المكتب، ثم عُد إلى المطبخ.", [("المطبخ", "lmtbkh")]),
    ("remember this spot as the photo corner, then come back to the photo corner", []),  # the model spells it
    ("여기를 소파로 기억해. 그리고 문으로 가서 소파로 돌아와.", []),  # and Hangul, kana, hanzi ones
    ("Иди к столу и вернись к дивану.", []),  # nothing remembered: nothing to spell
])
def test_a_new_name_in_a_script_the_model_cannot_spell_is_given_in_ascii_letters(task, expected):
    assert spelled_names(task) == expected


@pytest.mark.parametrize(("task", "expected"), [
    ("Запомни это место как кухню. Потом иди к двери и вернись на кухню.", [("кухню", "kitchen")]),  # not "kukhnyu"
    ("recuerda este sitio como «la terraza» y luego ve a la puerta", [("terraza", "terrace")]),
    ("merk dir diese Stelle als Bücherregal", [("bücherregal", "bookshelf")]),
    ("この場所を「冷蔵庫」って覚えて", [("冷蔵庫", "fridge")]),
    ("remember this spot by the window as the sofa", []),  # English: its own name, nothing to gloss
    ("Запомни это место как «гнездо»", [("гнездо", "gnezdo")]),  # not in the lexicon: spelled in ASCII
    ("ve a la cocina", []),  # nothing remembered
])
def test_a_remembered_room_or_piece_of_furniture_is_glossed_in_english(task, expected):
    assert [(words.lower(), name) for words, name in name_glosses(task)] == expected


def test_a_task_with_no_word_for_remembering_gets_no_remember():
    backend = ScriptedBackend("remember bedroom\n")
    Planner(backend, places=SIM_WORLD).plan("غرفة النوم من فضلك")  # the bedroom, please: the model remembered it
    assert backend.calls[0][1].status("remember bedroom\n") == "invalid"
    assert backend.calls[0][1].status("refuse\n") == "complete"
    Planner(backend, places=SIM_WORLD).plan("call this spot the lab")
    assert backend.calls[1][1].status("remember lab\n") == "complete"


def test_the_spelled_name_is_glossed_for_the_model():
    backend = ScriptedBackend("remember gnezdo\n")  # a name the room and furniture lexicon does not know
    Planner(backend, places=SIM_WORLD).plan("Запомни это место как «гнездо». Иди к столу и вернись к гнезду.")
    assert "(гнездо = gnezdo; " in backend.calls[0][0][-1]["content"]
    Planner(backend, places=SIM_WORLD).plan("Запомни это место как «диван». Иди к столу и вернись к дивану.")
    assert "(диван = sofa; " in backend.calls[1][0][-1]["content"]  # one it knows, in English


def test_the_planner_plans_with_the_places_it_was_given_and_glosses_their_aliases():
    backend = ScriptedBackend("go_to door\n")
    planner = Planner(backend, places=SIM_WORLD)
    assert planner.plan("ve a la puerta").plan == Plan(steps=[GoTo(place="door")])
    messages, language, _ = backend.calls[0]
    assert {"role": "system", "content": "Known places: charger, desk, door, home, window"} in messages
    assert messages[-1]["content"].endswith("(puerta = door)")
    # grounded in the task: a go_to may name only the places the task names (or be unknown)
    assert [language.status(f"go_to {p}\n") for p in ("door", "unknown", "desk", "kitchen")] == [
        "complete", "complete", "invalid", "invalid"]
    planner.set_places(PlaceBook(places=(Place(name="kitchen", x=1, y=1),)))
    assert planner.plan("go to the door").reason == "unknown_place"  # the door is gone: screened
    planner.plan("go to the kitchen")
    assert {"role": "system", "content": "Known places: home, kitchen"} in backend.calls[-1][0]


def test_a_go_to_can_only_name_a_place_the_task_names():
    backend = ScriptedBackend("walk backward 1\n")
    Planner(backend, places=SIM_WORLD).plan("take a step back, one meter")
    language = backend.calls[0][1]  # what the decoder may write: "back" is no place
    assert language.status("go_to home\n") == "invalid" and language.status("walk backward 1\n") == "complete"
    assert language.status("go_to unknown\n") == "invalid"  # no place named: no go_to at all
    assert "go-to ::=" not in language.grammar()
    assert named_places("go back to where you started, then to the window", SIM_WORLD) == ("home", "window")
    assert named_places("вернись в исходную точку", SIM_WORLD) == ("home",)


def test_a_change_of_places_changes_only_the_end_of_the_prompt():
    """The places come after the rules and examples: a remembered spot re-evaluates only the last turns."""
    assert prompt.messages("x", ("home", "door"))[:-1] == prompt.messages("y", ("home", "door"))[:-1]
    few, more = prompt.messages("x", ("home",)), prompt.messages("x", ("home", "door"))
    same = next(i for i, (a, b) in enumerate(zip(few, more, strict=False)) if a != b)
    assert same == 1 + 2 * len(prompt.EXAMPLES) and few[same]["content"] == "Known places: home"
    assert len(more) - same <= 4  # the list, one worked go_to, and the task


# ------------------------------------------------------------------ the bridge's memory
def memory_at(tmp_path: Path, **kwargs) -> PlaceMemory:
    memory = PlaceMemory(kwargs.pop("places_file", ""), tmp_path / "memory.yaml", sim_world=True, **kwargs)
    memory.reload()
    return memory


def test_a_remembered_place_survives_a_restart_in_the_same_odometry_session(tmp_path):
    memory = memory_at(tmp_path)
    assert memory.start_session((0.0, 0.0, 0.0)) is False  # no saved session: a new one
    assert memory.remember("sofa", (1.0, 2.0, math.pi / 2)) is None
    memory.save_pose((1.2, 2.0, math.pi / 2))
    restarted = memory_at(tmp_path)
    assert restarted.start_session((1.25, 2.0, math.pi / 2)) is True  # the robot is where it was saved
    known = restarted.known()
    assert known.destinations.poses["sofa"] == pytest.approx((1.0, 2.0, math.pi / 2))
    assert "sofa" not in known.refused


def test_odometry_that_restarted_elsewhere_makes_remembered_places_untrusted(tmp_path):
    memory = memory_at(tmp_path)
    memory.start_session((0.0, 0.0, 0.0))
    memory.remember("sofa", (3.0, 2.0, 0.0))
    memory.save_pose((3.0, 2.0, 0.0))
    rebooted = memory_at(tmp_path)
    assert rebooted.known().refused["sofa"].startswith("remembered on odometry, which has not been seen")
    assert rebooted.start_session((0.0, 0.0, 0.0)) is False  # odometry back at the origin: a new session
    known = rebooted.known()
    assert "earlier odometry session" in known.refused["sofa"] and "door" not in known.refused
    rebooted.remember("sofa", (0.5, 0.0, 0.0))  # remembered again: trusted again
    assert "sofa" not in rebooted.known().refused


def test_overwriting_says_what_was_replaced_and_home_cannot_move(tmp_path):
    memory = memory_at(tmp_path)
    memory.start_session((0.0, 0.0, 0.0))
    replaced = memory.remember("desk", (1.0, 1.0, 0.0))
    assert (replaced.name, replaced.x, replaced.y) == ("desk", 2.0, 1.5)  # the simulated world's desk
    assert memory.known().destinations.poses["desk"][:2] == (1.0, 1.0)
    assert memory.remember("desk", (1.5, 1.0, 0.0)).x == 1.0
    with pytest.raises(ValueError, match="home"):
        memory.remember("home", (1.0, 1.0, 0.0))


def test_map_places_need_a_localizer(tmp_path):
    places = tmp_path / "places.yaml"
    places.write_text(yaml.safe_dump({"places": [{"name": "lab", "frame": "map", "x": 1, "y": 1}]}))
    memory = memory_at(tmp_path, places_file=str(places))
    assert "navigation nav2" in memory.known().refused["lab"]


def test_a_crash_while_saving_leaves_the_old_file_whole(tmp_path, monkeypatch):
    memory = memory_at(tmp_path)
    memory.start_session((0.0, 0.0, 0.0))
    memory.remember("sofa", (1.0, 1.0, 0.0))
    before = memory.memory_file.read_text()

    def crash(*_args):
        raise OSError("power cut")
    monkeypatch.setattr(place_memory.os, "replace", crash)
    with pytest.raises(OSError):
        memory.remember("bed", (2.0, 2.0, 0.0))
    assert memory.memory_file.read_text() == before
    assert sorted(os.listdir(tmp_path)) == ["memory.yaml"]  # no temporary file left behind
    assert "bed" not in {p.name for p in memory.known().places}


def test_a_memory_file_that_cannot_be_read_is_never_overwritten(tmp_path):
    broken = tmp_path / "memory.yaml"
    broken.write_text("places: [{name: 7}]")
    memory = PlaceMemory("", broken, sim_world=True)
    with pytest.raises(ValueError):
        memory.reload()
    memory.start_session((0.0, 0.0, 0.0))
    with pytest.raises(ValueError, match="could not be read"):
        memory.remember("sofa", (1.0, 1.0, 0.0))
    assert broken.read_text() == "places: [{name: 7}]"


def test_the_places_topic_carries_what_the_planner_needs():
    known = KnownPlaces(places=SIM_WORLD.places, refused={"desk": "why"})
    again = KnownPlaces.model_validate_json(known.model_dump_json())
    assert again.destinations.names == WORLD.names and again.destinations.refused == {"desk": "why"}
    assert "desk" not in again.destinations.poses


def test_start_as_a_verb_is_no_place() -> None:
    from llm_planner.plan.places import SIM_WORLD, place_glosses

    assert place_glosses("the show is about to start, so wave", SIM_WORLD) == []
    assert ("the start", "home") in place_glosses("go back to the start", SIM_WORLD)
