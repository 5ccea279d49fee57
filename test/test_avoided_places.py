"""Places the task says to keep away from are no destinations, and the clauses that say so are not read as orders."""

from __future__ import annotations

import pytest
from test_planner import ScriptedBackend

from llm_planner.plan.avoided_places import avoidance
from llm_planner.plan.places import SIM_WORLD
from llm_planner.planning.planner import Planner


@pytest.mark.parametrize(("task", "places", "read"), [
    ("There's a wet floor sign by the door, so don't go there. Just go to the desk and wave.", ("door",),
     "Just go to the desk and wave"),
    ("Il y a un vase à côté de la porte, alors évite-la ; va au bureau.", ("door",), "va au bureau"),
    ("O chão perto da porta tá molhado, então fica longe de lá; me dá um abraço.", ("door",), "me dá um abraço"),
    ("窓の近くは床が濡れているから、窓には近づかないで、充電器のところに行って。", ("window",),
     "充電器のところに行って"),
    ("Pencerenin önünde kablolar var, oraya gitme; sadece iki kez alkışla.", ("window",), "sadece iki kez alkışla"),
    ("don't go to the door, go to the window", ("door",), "go to the window"),
])
def test_a_place_to_keep_away_from_is_avoided_and_its_clauses_left_out(task, places, read):
    found = avoidance(task, SIM_WORLD)
    assert found.places == places
    assert found.text.endswith(read)
    assert all(word not in found.text.lower() for word in ("don't", "évite", "longe", "近づかない", "gitme"))


@pytest.mark.parametrize(("task", "place", "read"), [
    # the "don't go there" comes a clause or a sentence after the place, with more said about it in between
    ("Careful, the kids spilled juice near the charger and it is sticky, so keep away. Go to the door.", "charger",
     "Go to the door"),
    ("Около окна стоит ведро, вода там везде, так что туда не подходи. Иди к двери.", "window", "Иди к двери"),
    ("Bij de deur staat een emmer, het is daar nat. Blijf daar even uit de buurt. Ga naar het raam.", "door",
     "Ga naar het raam"),
    ("充电器旁边有一只猫在睡觉,它刚吃完饭。你别过去。去门口吧。", "charger", "去门口吧"),
    ("चार्जर के पास बिल्ली सो रही है। उधर मत जाना। खिड़की के पास जाओ।", "charger", "खिड़की के पास जाओ"),
    ("Ojo, junto a la puerta hay agua, ni te acerques por ahí. Ve a la ventana.", "door", "Ve a la ventana"),
    ("Il y a de la peinture fraîche près de la fenêtre, n'y va surtout pas. Va à la porte.", "window",
     "Va à la porte"),
    ("C'è un cavo vicino alla porta, non andarci. Vai alla finestra.", "door", "Vai alla finestra"),
    ("Bij het raam staan dozen, dus daar niet heen. Ga naar de deur.", "window", "Ga naar de deur"),
])
def test_a_place_avoided_clauses_later_is_avoided(task, place, read):
    found = avoidance(task, SIM_WORLD)
    assert found.places == (place,), found
    assert found.text.endswith(read), found


def test_a_place_named_between_or_a_move_between_ends_the_pointing_back():
    assert avoidance("The door is open, go to the window, then stay away from it", SIM_WORLD).places != ("door",)
    assert avoidance("The door is open, the window is wet, stay away from it", SIM_WORLD).places == ("window",)


@pytest.mark.parametrize("task", [
    "go to the door and wave",
    "go to the door, then avoid the chair",  # the avoiding points at no place named
    "go to the window but avoid the door, then come back to the door",  # sent there too
    "Wiem, że przy oknie jest mokra podłoga, ale idź do biurka",  # only said to be there: not avoided
])
def test_a_place_the_task_sends_the_robot_to_is_not_avoided(task):
    found = avoidance(task, SIM_WORLD)
    assert found.places == () and found.text == task


def test_a_clause_that_names_a_hazard_is_kept_for_the_screen():
    found = avoidance("There are stairs by the door, so stay away from there. Just go to the desk.", SIM_WORLD)
    assert found.places == ("door",) and "stairs" in found.text


def test_the_planner_cannot_go_to_an_avoided_place_nor_reads_the_warning():
    backend = ScriptedBackend("go_to desk\n")
    task = "The floor by the door is wet, so stay away from it; go to the desk"
    outcome = Planner(backend, places=SIM_WORLD).plan(task)
    language = backend.calls[0][1]
    assert language.status("go_to door\n") == "invalid"
    assert language.status("go_to desk\n") == "complete"
    assert "wet" not in outcome.read_as and "go to the desk" in outcome.read_as
