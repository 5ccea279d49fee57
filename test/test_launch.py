"""launch_testing: the launch file brings the stack up, a task moves the robot, shutdown is clean.

Runs where the ROS 2 launch system is installed (`colcon test` on a ROS install); the
embedded set-up has no launch_testing on the package index, so it is skipped there.
"""

from __future__ import annotations

import pytest

pytest.importorskip(
    "launch_testing", reason="launch_testing is not installed (embedded set-up); runs under colcon test on ROS 2")

import json  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import time  # noqa: E402
import unittest  # noqa: E402

import launch_testing.actions  # noqa: E402
import launch_testing.asserts  # noqa: E402
import rclpy  # noqa: E402
from ament_index_python.packages import get_package_share_directory  # noqa: E402
from launch.launch_description_sources import PythonLaunchDescriptionSource  # noqa: E402
from rclpy.qos import qos_profile_sensor_data  # noqa: E402
from std_msgs.msg import String  # noqa: E402

import launch  # noqa: E402


@pytest.mark.launch_test
def generate_test_description():
    bringup = launch.actions.IncludeLaunchDescription(PythonLaunchDescriptionSource(
        os.path.join(get_package_share_directory("llm_planner"), "launch", "bringup.launch.py")))
    return launch.LaunchDescription([bringup, launch_testing.actions.ReadyToTest()])


class TestTaskMovesRobot(unittest.TestCase):
    def test_walk_one_meter(self):
        rclpy.init()
        node = rclpy.create_node("launch_test_client")
        state, events = {}, []
        node.create_subscription(String, "controller/state", lambda m: state.update(json.loads(m.data)),
                                 qos_profile_sensor_data)
        node.create_subscription(String, "bridge/status", lambda m: events.append(json.loads(m.data)), 50)
        publisher = node.create_publisher(String, "task", 256)
        try:
            deadline = time.monotonic() + 60
            while publisher.get_subscription_count() == 0 and time.monotonic() < deadline:
                rclpy.spin_once(node, timeout_sec=0.1)
            publisher.publish(String(data="walk forward 1 meter"))
            deadline = time.monotonic() + 120
            while not any(e["state"] in ("completed", "aborted") for e in events) and time.monotonic() < deadline:
                rclpy.spin_once(node, timeout_sec=0.1)
            self.assertIn("completed", [e["state"] for e in events])
            self.assertLess(math.hypot(state["position"][0] - 1.0, state["position"][1]), 0.1)
        finally:
            node.destroy_node()
            rclpy.shutdown()


@launch_testing.post_shutdown_test()
class TestShutdown(unittest.TestCase):
    def test_exit_codes(self, proc_info):
        launch_testing.asserts.assertExitCodes(proc_info, allowable_exit_codes=[0, -2, -15])
