"""Bring up planner, bridge and (by default) the simulated humanoid, each with config/<node>.yaml.

    ros2 launch llm_planner bringup.launch.py [use_sim:=true] [namespace:=robot1] [model_path:=/x.gguf]
        [params_file:=my.yaml] [log_level:=info] [rviz:=false]

Every node and every topic lives in `namespace` (all topic names are relative). Parameters,
lowest to highest precedence: the node's declared defaults, config/<node>.yaml, `params_file`,
`model_path`. Parameter files are read here and handed to each node directly, so a section
keyed by the plain node name (`bridge_node:`) applies in any namespace; `/**` applies to all.
`rviz:=true` also starts rviz2 with config/llm_planner.rviz (plan_path vs robot_path over odom), in
the same namespace: the config's topic names are relative.
"""

import os

import yaml
from ament_index_python.packages import PackageNotFoundError, get_package_share_directory
from launch.actions import DeclareLaunchArgument, LogInfo, OpaqueFunction
from launch_ros.actions import Node

from launch import LaunchDescription

PACKAGE = "llm_planner"
NODES = ("sim_robot", "bridge_node", "planner_node", "task_server")
RVIZ_CONFIG = "llm_planner.rviz"
TRUE = ("true", "1", "yes", "on")
FALSE = ("false", "0", "no", "off")
LOG_LEVELS = ("debug", "info", "warn", "error", "fatal")


class LaunchError(Exception):
    """A launch argument that cannot work: `ros2 launch` prints its message on one line and exits 1."""


def node_parameters(path: str, name: str, namespace: str) -> dict:
    """The `ros__parameters` of node `name` in a ROS 2 parameter file, for any namespace."""
    try:
        with open(path, encoding="utf-8") as stream:
            document = yaml.safe_load(stream) or {}
    except (OSError, yaml.YAMLError) as error:
        raise LaunchError(f"cannot read parameter file {path}: {error}") from None
    if not isinstance(document, dict):
        raise LaunchError(f"parameter file {path} is not a mapping of node names to ros__parameters")
    ns = namespace.strip("/")
    keys = ["/**", name, f"/{name}", f"/**/{name}"] + ([f"{ns}/{name}", f"/{ns}/{name}"] if ns else [])
    merged = {}
    for key in keys:
        section = document.get(key)
        if isinstance(section, dict):
            merged.update(section.get("ros__parameters") or {})
    return merged


def _flag(context, name: str) -> bool:
    value = context.launch_configurations[name].strip().lower()
    if value not in TRUE + FALSE:
        raise LaunchError(f"{name}:={value!r} is not a boolean (true or false)")
    return value in TRUE


def _nodes(context):
    config = os.path.join(get_package_share_directory(PACKAGE), "config")
    use_sim = _flag(context, "use_sim")
    namespace = context.launch_configurations["namespace"].strip().strip("/")
    model_path = os.path.expanduser(context.launch_configurations["model_path"].strip())
    params_file = os.path.expanduser(context.launch_configurations["params_file"].strip())
    log_level = context.launch_configurations["log_level"].strip().lower()
    if model_path and not os.path.isfile(model_path):
        raise LaunchError(f"model_path:={model_path} is not a file; give a GGUF model file, or leave "
                          "model_path empty for the packaged default (python3 -m llm_planner model)")
    if params_file and not os.path.isfile(params_file):
        raise LaunchError(f"params_file:={params_file} is not a file")
    if log_level not in LOG_LEVELS:
        raise LaunchError(f"log_level:={log_level} is not one of {', '.join(LOG_LEVELS)}")
    actions = [LogInfo(msg=f"llm_planner: namespace '/{namespace}', use_sim {use_sim}, "
                           f"model {model_path or 'packaged default'}")]
    for name in NODES:
        if name == "sim_robot" and not use_sim:
            continue
        parameters = node_parameters(os.path.join(config, f"{name}.yaml"), name, namespace)
        if name == "bridge_node":  # the simulated robot's bridge starts armed and knows its world's places
            parameters["start_armed"] = use_sim
            parameters["sim_world_places"] = use_sim
        if params_file:  # the user's file has the last word
            parameters.update(node_parameters(params_file, name, namespace))
        if name == "planner_node" and model_path:
            parameters["model_path"] = model_path
        actions.append(Node(package=PACKAGE, executable=name, name=name, namespace=namespace,
                            parameters=[parameters], output="screen",
                            ros_arguments=["--log-level", log_level]))
    if _flag(context, "rviz"):
        try:
            get_package_share_directory("rviz2")
        except PackageNotFoundError:
            raise LaunchError("rviz:=true needs rviz2 (apt install ros-$ROS_DISTRO-rviz2)") from None
        actions.append(Node(package="rviz2", executable="rviz2", name="rviz2", namespace=namespace,
                            arguments=["-d", os.path.join(config, RVIZ_CONFIG)], output="screen",
                            ros_arguments=["--log-level", log_level]))
    return actions


def generate_launch_description():
    return LaunchDescription([
        DeclareLaunchArgument("use_sim", default_value="true", description="start the simulated humanoid (true/false)"),
        DeclareLaunchArgument("namespace", default_value="", description="namespace of every node and topic"),
        DeclareLaunchArgument("model_path", default_value="", description="GGUF model; empty = packaged default"),
        DeclareLaunchArgument("params_file", default_value="",
                              description="extra ROS parameter file; sections keyed by node name or /**"),
        DeclareLaunchArgument("log_level", default_value="info",
                              description=f"ROS log level of every node: {', '.join(LOG_LEVELS)}"),
        DeclareLaunchArgument("rviz", default_value="false",
                              description=f"also start rviz2 with config/{RVIZ_CONFIG} (true/false)"),
        OpaqueFunction(function=_nodes),
    ])
