"""Bring up planner, bridge and (by default) the simulated humanoid, each with config/<node>.yaml.

    ros2 launch llm_planner bringup.launch.py [use_sim:=true] [namespace:=robot1] [model_path:=/x.gguf]
        [params_file:=my.yaml] [log_level:=info]
"""

import os

from ament_index_python.packages import get_package_share_directory
from launch.actions import DeclareLaunchArgument, OpaqueFunction
from launch_ros.actions import Node

from launch import LaunchDescription

NODES = ("planner_node", "bridge_node", "sim_robot")


def _nodes(context):
    config = os.path.join(get_package_share_directory("llm_planner"), "config")
    use_sim = context.launch_configurations["use_sim"].lower() in ("true", "1", "yes")
    namespace = context.launch_configurations["namespace"]
    model_path = context.launch_configurations["model_path"]
    params_file = context.launch_configurations["params_file"]
    log_level = context.launch_configurations["log_level"]
    if model_path and not os.path.isfile(model_path):
        raise RuntimeError(f"model_path {model_path!r} is not a file")
    actions = []
    for name in NODES:
        if name == "sim_robot" and not use_sim:
            continue
        parameters = [os.path.join(config, f"{name}.yaml")]
        if params_file:
            parameters.append(params_file)
        if name == "planner_node" and model_path:
            parameters.append({"model_path": model_path})
        actions.append(Node(package="llm_planner", executable=name, name=name, namespace=namespace,
                            parameters=parameters, output="screen",
                            arguments=["--ros-args", "--log-level", log_level]))
    return actions


def generate_launch_description():
    return LaunchDescription([
        DeclareLaunchArgument("use_sim", default_value="true", description="start the simulated humanoid"),
        DeclareLaunchArgument("namespace", default_value="", description="namespace of every node and topic"),
        DeclareLaunchArgument("model_path", default_value="", description="GGUF model; empty = packaged default"),
        DeclareLaunchArgument("params_file", default_value="", description="extra parameter file for all nodes"),
        DeclareLaunchArgument("log_level", default_value="info", description="ROS log level"),
        OpaqueFunction(function=_nodes),
    ])
