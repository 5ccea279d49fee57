"""Test helper for the launch_testing tests: bringup.launch.py with a parameter file, and clients to follow it.

Imported only by tests that have already skipped themselves where launch_testing is missing.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterable

import rclpy
from ament_index_python.packages import get_package_share_directory
from launch.actions import IncludeLaunchDescription
from launch.launch_description_sources import PythonLaunchDescriptionSource
from rclpy.executors import SingleThreadedExecutor

from llm_planner.tools.stack_client import StackClient

_params_dir = tempfile.TemporaryDirectory(prefix="llm_planner_launch_test_")


def params_file(text: str) -> str:
    """A ROS parameter file with `text`, kept for the whole test run."""
    path = os.path.join(_params_dir.name, "params.yaml")
    with open(path, "w", encoding="utf-8") as stream:
        stream.write(text)
    return path


def bringup(**arguments: str) -> IncludeLaunchDescription:
    """The installed bringup.launch.py with these launch arguments."""
    source = PythonLaunchDescriptionSource(
        os.path.join(get_package_share_directory("llm_planner"), "launch", "bringup.launch.py"))
    return IncludeLaunchDescription(source, launch_arguments=arguments.items())


class LaunchClients:
    """A StackClient per namespace, spun on a background executor, for one test class."""

    def __init__(self, namespaces: Iterable[str]) -> None:
        self.owns_rclpy = not rclpy.ok()  # under colcon test, earlier tests in this process may have initialised it
        if self.owns_rclpy:
            rclpy.init()
        self.clients = {ns: StackClient(f"launch_test_client_{ns or 'root'}", namespace=ns) for ns in namespaces}
        self.executor = SingleThreadedExecutor()
        for client in self.clients.values():
            self.executor.add_node(client)
        threading.Thread(target=self.executor.spin, daemon=True).start()

    def close(self) -> None:
        self.executor.shutdown()
        for client in self.clients.values():
            client.destroy_node()
        if self.owns_rclpy:
            rclpy.try_shutdown()
