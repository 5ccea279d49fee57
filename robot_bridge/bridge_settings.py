"""Bridge settings: the safety limits plus how the bridge drives the controller."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from llm_planner.plan.limits import Limits
from robot_bridge.protocol import SportServiceName


class BridgeSettings(Limits):
    """Every field is a ROS parameter of bridge_node (config/bridge_node.yaml)."""

    sport_service: SportServiceName = Field(
        "sport", description="the locomotion service, on api/<name>/*: sport, or loco (firmware before ai_sport 8.2)"
    )
    odom_topic: str = Field("odom", description="nav_msgs/Odometry that closes the loop (the robot's or lidar's)")
    start_armed: bool = Field(
        False, description="send motion from the start; false: plans are validated and logged until bridge/arm"
    )
    response_timeout_s: float = Field(1.0, gt=0, le=10, description="wait this long for a controller response")
    state_timeout_s: float = Field(0.5, gt=0, le=5, description="odometry older than this stops motion")
    fsm_timeout_s: float = Field(
        0.5, gt=0, le=5, description="sportmodestate older than this: the FSM is polled (GetFsmId, GetFsmMode)"
    )
    stand_up_timeout_s: float = Field(10.0, gt=0, le=60, description="longest a stand-up may take")
    command_rate_hz: float = Field(20.0, ge=10, le=100, description="SetVelocity refresh rate (dead-man)")
    command_duration_s: float = Field(  # 0.2 + 0.3 s ramp-down from 0.6 m/s: stopped 0.5 s after the bridge dies
        0.2, gt=0, le=0.3, description="SetVelocity duration; the robot stops after"
    )
    default_speed_mps: float = Field(0.4, gt=0, le=2, description="walking speed when the plan names none")
    default_turn_speed_deg_s: float = Field(45.0, gt=0, le=180, description="turn rate when the plan names none")
    position_tolerance_m: float = Field(0.05, gt=0, le=1, description="a walk succeeds within this of its goal")
    angle_tolerance_deg: float = Field(3.0, gt=0, le=30, description="a turn succeeds within this of its goal")
    stall_timeout_s: float = Field(2.0, gt=0, le=30, description="motion commanded but none observed this long fails")
    gesture_hold_s: float = Field(1.0, ge=0, le=30, description="hold an arm gesture this long before release")
    gesture_timeout_s: float = Field(10.0, gt=0, le=60, description="longest a gesture may take to finish")
    places_file: str = Field(
        "", description="YAML file of the places the robot knows (name, frame, x, y, yaw_deg, aliases); "
        "re-read by the places/reload service", json_schema_extra={"read_only": True})
    sim_world_places: bool = Field(
        False, description="also know the simulated world's places: door, desk, window, charger",
        json_schema_extra={"read_only": True})
    memory_file: str = Field(
        "", description="where remembered places are kept; empty = $XDG_STATE_HOME (~/.local/state)"
        "/llm_planner/places<namespace>.yaml", json_schema_extra={"read_only": True})
    navigation: Literal["direct", "nav2"] = Field(
        "direct", description="how go_to drives: direct = turn toward the place, walk closed loop, turn; "
        "nav2 = a NavigateToPose goal to Nav2", json_schema_extra={"read_only": True})
    nav2_action: str = Field("navigate_to_pose", description="Nav2's NavigateToPose server (relative: this "
                             "namespace)", json_schema_extra={"read_only": True})
    nav2_server_timeout_s: float = Field(5.0, gt=0, le=60, description="wait this long for Nav2's server")
    nav2_goal_timeout_s: float = Field(300.0, gt=0, le=3600, description="longest a Nav2 go_to may take")
    stream_timeout_s: float = Field(
        30.0, gt=0, le=120, description="a streamed plan (final=false) that gets no further step this long is aborted"
    )
