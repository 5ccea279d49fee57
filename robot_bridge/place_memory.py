"""The bridge's places: the given places file, what it was told to remember, and which may be driven to now.

No ROS here. Remembered places and the odometry record live in the memory file, written atomically
(a temporary file, fsync, rename), so a crash leaves the old file or the new one, never half of one.

Which places can be trusted now (the rule, and why):
- Given places in frame `odom` are relative to where odometry starts, like `home`: they hold when the
  robot starts where the places file was measured from. That is the operator's set-up; a file cannot
  know more.
- A remembered place was measured in one odometry session, and holds only in that session. A session
  continues across a bridge restart when the robot's first odometry is within `CONTINUITY_M` and
  `CONTINUITY_DEG` of the last pose this bridge saved (each second while moving, at the end of a plan,
  at shutdown). Odometry that restarted elsewhere (a robot reboot puts it back at 0, 0) starts a new
  session, and places remembered in an older one are refused with `untrusted_place`, never driven to:
  remember them again. Before the first odometry, no remembered place is trusted.
- Frame `map` needs a localizer (Nav2); with navigation `direct` the bridge has none, so such places
  are refused.
"""

from __future__ import annotations

import math
import os
import tempfile
import uuid
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from llm_planner.plan.places import HOME_PLACE, SIM_WORLD, KnownPlaces, Place, PlaceBook, Pose
from llm_planner.plan.schema import HOME

CONTINUITY_M = 1.0  # the first odometry after a start this close to the last saved pose: the same session
CONTINUITY_DEG = 15.0
SAVE_MOVED_M = 0.1  # while moving, the pose is saved (at most once a second) after moving this far
MAX_FILE_BYTES = 1 << 20


class OdometryRecord(BaseModel):
    """The odometry session the bridge last saw, and the last pose it saved in it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    epoch: str = Field(max_length=64)
    x: float = Field(allow_inf_nan=False)
    y: float = Field(allow_inf_nan=False)
    yaw_deg: float = Field(allow_inf_nan=False)


class Memory(BaseModel):
    """The memory file: remembered places (each with its odometry epoch) and the odometry record."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    places: PlaceBook = Field(default_factory=lambda: PlaceBook(places=()))
    odometry: OdometryRecord | None = None


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` so that a crash at any moment leaves the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself survives a power cut
    finally:
        os.close(directory)


def _read(path: Path) -> str:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ValueError(f"{path} is larger than {MAX_FILE_BYTES} bytes")
    return path.read_text(encoding="utf-8")


class PlaceMemory:
    """Given places, remembered places and the odometry session; `known()` is what the `places` topic says.
    Nothing is known (but home) until `reload` has read the files."""

    def __init__(self, places_file: str, memory_file: Path, navigation: str = "direct",
                 sim_world: bool = False) -> None:
        self.places_file = Path(places_file).expanduser() if places_file else None
        self.memory_file = memory_file
        self.navigation = navigation
        self.sim_world = sim_world
        self.epoch: str | None = None  # this session's, from the first odometry on
        self.continued: bool | None = None  # whether that session continued the saved one
        self._saved: Pose | None = None
        self.given, self.memory = PlaceBook(), Memory()
        self.writable = False  # never overwrite a memory file that could not be read: `reload` first

    def reload(self) -> None:
        """Read both files again; ValueError or OSError (the places known before stay) for one that cannot be."""
        given = SIM_WORLD if self.sim_world else PlaceBook()
        if self.places_file:
            for place in PlaceBook.from_yaml(_read(self.places_file)).places:
                if place.name == HOME:  # home is where odometry started: a file may only add words for it
                    words = tuple(dict.fromkeys(HOME_PLACE.aliases + place.aliases))
                    place = Place.model_validate({**HOME_PLACE.model_dump(), "aliases": words})
                given = given.with_place(place)
        memory = Memory()
        if self.memory_file.exists():
            memory = Memory.model_validate(_yaml_mapping(_read(self.memory_file)))
        self.given, self.memory, self.writable = given, memory, True

    # --- odometry sessions ------------------------------------------------------
    def start_session(self, pose: Pose) -> bool:
        """The first odometry of this run: continue the saved session if the robot is where it was saved.
        Returns whether it continued."""
        record = self.memory.odometry
        self.continued = record is not None and _close(pose, (record.x, record.y, math.radians(record.yaw_deg)))
        self.epoch = record.epoch if self.continued and record is not None else uuid.uuid4().hex[:12]
        self.save_pose(pose)
        return self.continued

    def save_pose(self, pose: Pose) -> None:
        """Record where the robot is in this session (atomically; not while the memory file is unreadable)."""
        if self.epoch is None or not self.writable:
            return
        x, y, yaw = pose
        record = OdometryRecord(epoch=self.epoch, x=x, y=y, yaw_deg=math.degrees(yaw))
        self._store(self.memory.model_copy(update={"odometry": record}))
        self._saved = pose

    def moved_since_saved(self, pose: Pose) -> bool:
        return self._saved is not None and math.dist(pose[:2], self._saved[:2]) >= SAVE_MOVED_M

    # --- places -----------------------------------------------------------------
    def remember(self, name: str, pose: Pose) -> Place | None:
        """Save `pose` as place `name` in this session; returns the place it replaced, if any."""
        if self.epoch is None:
            raise ValueError("no odometry yet: nothing to remember")
        if name == HOME:
            raise ValueError(f"{HOME} is where odometry started; it cannot be moved")
        replaced = self.memory.places.get(name) or self.given.get(name)
        x, y, yaw = pose
        place = Place(name=name, x=round(x, 3), y=round(y, 3), yaw_deg=round(math.degrees(yaw), 1),
                      epoch=self.epoch, aliases=replaced.aliases if replaced else ())
        self._store(self.memory.model_copy(update={"places": self.memory.places.with_place(place)}))
        return replaced

    def known(self) -> KnownPlaces:
        """Every place (a remembered one over a given one of the same name), and those refused now, with why."""
        merged = {p.name: p for p in self.given.places}
        merged.update({p.name: p for p in self.memory.places.places if p.name != HOME})
        refused = {name: why for name, place in merged.items() if (why := self._distrust(place))}
        return KnownPlaces(places=tuple(merged.values()), refused=refused, navigation=self.navigation)

    def _distrust(self, place: Place) -> str:
        """Why `place` may not be driven to now ("" when it may)."""
        if place.frame == "map" and self.navigation == "direct":
            return "frame map needs a localizer (navigation nav2); this bridge drives on odometry"
        if place.epoch is None:
            return ""
        if self.epoch is None:
            return "remembered on odometry, which has not been seen yet"
        if place.epoch != self.epoch:
            return ("remembered in an earlier odometry session; odometry has restarted since, "
                    "so that pose is no longer where it was: remember it again")
        return ""

    def _store(self, memory: Memory) -> None:
        if not self.writable:
            raise ValueError(f"{self.memory_file} could not be read; it is left as it is (fix it, then reload)")
        write_atomically(self.memory_file, _dump(memory))
        self.memory = memory


def _close(a: Pose, b: Pose) -> bool:
    turned = abs(math.degrees(math.remainder(a[2] - b[2], math.tau)))
    return math.dist(a[:2], b[:2]) <= CONTINUITY_M and turned <= CONTINUITY_DEG


def _yaml_mapping(text: str) -> dict:
    data = yaml.safe_load(text) or {}
    if not isinstance(data, dict):
        raise ValueError("the memory file is a mapping with `places` and `odometry`")
    return {"places": {"places": data.get("places") or []}, "odometry": data.get("odometry")}


def _dump(memory: Memory) -> str:
    places = yaml.safe_load(memory.places.to_yaml())["places"]
    places = [p for p in places if p["name"] != HOME]  # home is implied, never stored
    odometry = memory.odometry.model_dump() if memory.odometry else None
    return yaml.safe_dump({"places": places, "odometry": odometry}, allow_unicode=True, sort_keys=False)
