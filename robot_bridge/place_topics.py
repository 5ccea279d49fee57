"""The bridge's places on ROS: `places`, `places/markers` and the `places/reload` service.

`places` (std_msgs/String, latched) is the JSON of `KnownPlaces`: every place the bridge knows and
those it will not drive to now, with why; the planner plans with exactly these names, a UI shows
them. `places/markers` (visualization_msgs/MarkerArray, latched) draws them in RViz or Foxglove:
an arrow for the heading and the name, grey when refused. The odometry session is decided at
the first pose, and the pose is saved while the robot moves, on a thread of its own: the state
callback only hands the pose on, so file writes never delay the bridge's callbacks.
"""

from __future__ import annotations

import json
import math
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from rclpy.node import Node
from std_msgs.msg import String
from std_srvs.srv import Trigger
from visualization_msgs.msg import Marker, MarkerArray

from llm_planner.plan.places import Destinations, KnownPlaces, Place, Pose
from llm_planner.ros.geometry import yaw_quaternion
from llm_planner.ros.qos import LATCHED
from robot_bridge.bridge_settings import BridgeSettings
from robot_bridge.place_memory import PlaceMemory

PLACES_TOPIC = "places"
MARKERS_TOPIC = "places/markers"
RELOAD_SERVICE = "places/reload"
SAVE_PERIOD_S = 1.0

Emit = Callable[[str, str | None, str], None]  # state, reason, detail


def default_memory_file(namespace: str) -> Path:
    """$XDG_STATE_HOME/llm_planner/places<namespace>.yaml: one file per robot namespace."""
    state = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    suffix = namespace.strip("/").replace("/", "_")
    return state / "llm_planner" / f"places{'_' + suffix if suffix else ''}.yaml"


class PlaceTopics:
    """The places of one bridge node: thread-safe; `destinations()` and `remember()` serve the plans."""

    def __init__(self, node: Node, settings: BridgeSettings, emit: Emit) -> None:
        self._node, self._emit = node, emit
        memory_file = Path(settings.memory_file).expanduser() if settings.memory_file else default_memory_file(
            node.get_namespace())
        self._lock = threading.Lock()
        self.memory = PlaceMemory(settings.places_file, memory_file, settings.navigation, settings.sim_world_places)
        self._places_pub = node.create_publisher(String, PLACES_TOPIC, LATCHED)
        self._markers_pub = node.create_publisher(MarkerArray, MARKERS_TOPIC, LATCHED)
        node.create_service(Trigger, RELOAD_SERVICE, self._on_reload)
        self._pose: Pose | None = None
        self._closing = threading.Event()
        error = self._reload()
        if error:
            node.get_logger().error(f"places: {error}")
            emit("places_error", "places_invalid", error)
        self._saver = threading.Thread(target=self._save_loop, name="places", daemon=True)
        self._saver.start()

    # --- what plans use ----------------------------------------------------------
    def destinations(self) -> Destinations:
        with self._lock:
            return self.memory.known().destinations

    def place(self, name: str) -> Place | None:
        return next((p for p in self._known().places if p.name == name), None)

    def remember(self, name: str, pose: Pose) -> str:
        """Save `pose` as `name`; the step's detail says what was replaced. ValueError when it cannot be saved."""
        with self._lock:
            replaced = self.memory.remember(name, pose)
        self._publish()
        where = f"({pose[0]:.2f}, {pose[1]:.2f}, {math.degrees(pose[2]):.0f} deg)"
        if replaced is None:
            return f"remembered {name} at {where}"
        return (f"remembered {name} at {where}; replaced the earlier {name} at "
                f"({replaced.x:.2f}, {replaced.y:.2f}, {replaced.yaw_deg:.0f} deg)")

    def on_pose(self, pose: Pose) -> None:
        self._pose = pose

    def close(self) -> None:
        """Save the last pose, so that a restarted bridge finds the session it left."""
        self._closing.set()
        self._saver.join(timeout=2.0)
        pose = self._pose
        if pose is not None and self.memory.epoch is not None:
            try:
                with self._lock:
                    self.memory.save_pose(pose)
            except (OSError, ValueError):
                pass

    # --- inside --------------------------------------------------------------------
    def _reload(self) -> str:
        try:
            with self._lock:
                self.memory.reload()
        except (OSError, ValueError) as error:
            return f"{type(error).__name__}: {str(error)[:500]}"
        finally:
            self._publish()
        return ""

    def _on_reload(self, _request: Trigger.Request, response: Trigger.Response) -> Trigger.Response:
        error = self._reload()
        response.success = not error
        response.message = error or f"{len(self._known().places)} places"
        self._emit("places_reloaded" if not error else "places_error", "places_invalid" if error else None,
                   response.message)
        return response

    def _known(self) -> KnownPlaces:
        with self._lock:
            return self.memory.known()

    def _save_loop(self) -> None:
        last_save = 0.0
        while not self._closing.wait(0.1):
            pose = self._pose
            if pose is None:
                continue
            try:
                if self.memory.epoch is None:
                    with self._lock:
                        continued = self.memory.start_session(pose)
                    last_save = time.monotonic()
                    self._publish()
                    self._emit("odometry", None, "odometry continues the saved session" if continued else
                               "new odometry session: places remembered in an earlier one are refused until "
                               "remembered again")
                elif time.monotonic() - last_save >= SAVE_PERIOD_S and self.memory.moved_since_saved(pose):
                    with self._lock:
                        self.memory.save_pose(pose)
                    last_save = time.monotonic()
            except (OSError, ValueError) as error:
                self._node.get_logger().warning(f"places: cannot save the pose: {error}")
                last_save = time.monotonic()

    def _publish(self) -> None:
        known = self._known()
        self._places_pub.publish(String(data=json.dumps(known.model_dump(mode="json"), ensure_ascii=False)))
        self._markers_pub.publish(markers(known))


def markers(known: KnownPlaces) -> MarkerArray:
    """An arrow (the heading) and the name of each place; a refused one is grey."""
    array = MarkerArray(markers=[Marker(action=Marker.DELETEALL)])
    for index, place in enumerate(known.places):
        colour = (0.6, 0.6, 0.6) if place.name in known.refused else (0.1, 0.5, 0.9)
        array.markers.append(_marker(place, index * 2, Marker.ARROW, colour, (0.4, 0.08, 0.08)))
        label = _marker(place, index * 2 + 1, Marker.TEXT_VIEW_FACING, colour, (0.0, 0.0, 0.2))
        label.text, label.pose.position.z = place.name, 0.4
        array.markers.append(label)
    return array


def _marker(place: Place, marker_id: int, kind: int, colour: tuple[float, float, float],
            scale: tuple[float, float, float]) -> Marker:
    marker = Marker(type=kind, action=Marker.ADD, id=marker_id, ns="places")
    marker.header.frame_id = place.frame
    marker.pose.position.x, marker.pose.position.y = place.x, place.y
    marker.pose.orientation = yaw_quaternion(math.radians(place.yaw_deg))
    marker.scale.x, marker.scale.y, marker.scale.z = scale
    marker.color.r, marker.color.g, marker.color.b, marker.color.a = (*colour, 1.0)
    return marker
