"""The motion-primitive vocabulary: the one contract planner, bridge and tests share.

Everything else (JSON schema, decoding grammar, prompt text, bridge dispatch) is
derived from these models, so a primitive is added in exactly one place.
This module imports nothing of ours and nothing of ROS.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator
from pydantic.fields import FieldInfo

GestureName = Literal[
    "wave", "high_wave", "face_wave", "shake_hand", "high_five",
    "hug", "clap", "heart", "hands_up", "reject",
]
GESTURE_MEANINGS: dict[str, str] = {
    "wave": "wave a hand (greet, say hello or goodbye)",
    "high_wave": "wave with the hand held high",
    "face_wave": "wave in front of the face",
    "shake_hand": "offer a handshake",
    "high_five": "give a high five",
    "hug": "hug",
    "clap": "clap hands (applaud)",
    "heart": "make a heart shape with the hands",
    "hands_up": "raise both hands",
    "reject": "wave a hand to say no (refuse, disagree)",
}

# A place's name: what `go_to` and `remember` carry, what the places file lists. ASCII, bounded, so
# it is safe in a file, a topic, a log and a decoding grammar alike.
PLACE_NAME_PATTERN = "[a-z][a-z0-9_]{0,31}"
PlaceName = Annotated[str, StringConstraints(pattern=f"^{PLACE_NAME_PATTERN}$")]
HOME = "home"  # always known: where the robot's odometry started
UNKNOWN_PLACE = "unknown"  # what the planner writes for a place it does not know; never a place's name


class _Step(BaseModel):
    """Base of every step: unknown fields are rejected, never ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class StandUp(_Step):
    """Get to balanced standing, ready to walk."""

    primitive: Literal["stand_up"] = "stand_up"


class SitDown(_Step):
    """Sit down."""

    primitive: Literal["sit_down"] = "sit_down"


class Walk(_Step):
    """Walk (left/right = side-step) a distance, closed loop on odometry."""

    primitive: Literal["walk"] = "walk"
    direction: Literal["forward", "backward", "left", "right"]
    distance_m: float = Field(gt=0, allow_inf_nan=False)
    speed_mps: float | None = Field(default=None, gt=0, allow_inf_nan=False)


class Turn(_Step):
    """Turn in place by an angle."""

    primitive: Literal["turn"] = "turn"
    direction: Literal["left", "right"]
    angle_deg: float = Field(gt=0, allow_inf_nan=False)
    speed_deg_s: float | None = Field(default=None, gt=0, allow_inf_nan=False)


class Gesture(_Step):
    """Play one of the controller's arm or task gestures."""

    primitive: Literal["gesture"] = "gesture"
    name: GestureName


class Wait(_Step):
    """Hold still for a time."""

    primitive: Literal["wait"] = "wait"
    seconds: float = Field(gt=0, allow_inf_nan=False)


class Stop(_Step):
    """Soft stop: zero velocity, keep standing."""

    primitive: Literal["stop"] = "stop"


class GoTo(_Step):
    """Go to a known place: turn toward it, walk there, turn to its heading."""

    primitive: Literal["go_to"] = "go_to"
    place: PlaceName = Field(json_schema_extra={"places": "known"})  # the decoder admits only known names


class Remember(_Step):
    """Save where the robot stands now under a place name."""

    primitive: Literal["remember"] = "remember"
    place: PlaceName

    @field_validator("place")
    @classmethod
    def _not_reserved(cls, place: str) -> str:
        if place in (HOME, UNKNOWN_PLACE):
            raise ValueError(f"{place!r} cannot be remembered: {HOME} is where odometry started, "
                             f"{UNKNOWN_PLACE} means a place not known")
        return place


# Numbers a task implies without writing them, per field: "turn right" is 90 degrees, "turn around"
# 180, "a full circle" 360. Every other number in a plan must come from the task itself.
IMPLIED_NUMBERS: dict[str, tuple[float, ...]] = {"angle_deg": (90.0, 180.0, 360.0)}

STEP_TYPES: tuple[type[_Step], ...] = (StandUp, SitDown, Walk, Turn, Gesture, Wait, Stop, GoTo, Remember)
Step = Annotated[
    StandUp | SitDown | Walk | Turn | Gesture | Wait | Stop | GoTo | Remember,
    Field(discriminator="primitive"),
]
PRIMITIVES: tuple[str, ...] = tuple(t.model_fields["primitive"].default for t in STEP_TYPES)
STEP_FIELDS: dict[str, dict[str, FieldInfo]] = {  # primitive -> its fields but `primitive`, in model order
    primitive: {name: info for name, info in t.model_fields.items() if name != "primitive"}
    for primitive, t in zip(PRIMITIVES, STEP_TYPES)
}


class Plan(BaseModel):
    """An ordered list of steps; an empty list is a refusal."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    steps: list[Step] = Field(default_factory=list)

    @property
    def is_refusal(self) -> bool:
        return not self.steps

    def to_jsonable(self) -> dict:
        """Plain JSON object with unset optional fields left out."""
        return self.model_dump(mode="json", exclude_none=True)


def plan_json_schema() -> dict:
    """JSON schema of a plan for schema-constrained decoders, with `primitive` required in every step.

    pydantic leaves `primitive` optional (it has a default), and llama.cpp's schema converter
    puts optional properties after required ones, which would forbid writing it first.
    """
    schema = Plan.model_json_schema()
    for definition in schema.get("$defs", {}).values():
        if "primitive" in definition.get("properties", {}):
            definition["required"] = ["primitive", *[r for r in definition.get("required", []) if r != "primitive"]]
    return schema
