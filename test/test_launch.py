"""launch_testing: the launch file brings the stack up, a task moves the robot 1 m, shutdown is clean.

Runs where the ROS 2 launch system is installed (`colcon test` on a ROS install, after
`colcon build`); the embedded set-up has no launch_testing on the package index, so it
is skipped there. test/conftest.py gives the run its own ROS_DOMAIN_ID, which the
launched nodes inherit.
"""

from __future__ import annotations

import pytest

pytest.importorskip("launch_testing", reason="launch_testing is not installed (embedded set-up without the ROS 2 "
                                             "launch system); these tests run under colcon test on a ROS 2 install")

import math  # noqa: E402
import os  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import unittest  # noqa: E402

import launch_testing.actions  # noqa: E402
import launch_testing.asserts  # noqa: E402
import rclpy  # noqa: E402
from ament_index_python.packages import get_package_share_directory  # noqa: E402
from launch.actions import IncludeLaunchDescription  # noqa: E402
from launch.launch_description_sources import PythonLaunchDescriptionSource  # noqa: E402
from rclpy.executors import SingleThreadedExecutor  # noqa: E402

from launch import LaunchDescription  # noqa: E402
from llm_planner.stack_client import StackClient  # noqa: E402

TASK_ID, TASK = "launch-walk", "walk forward 1 meter"
PARAMS = """\
sim_robot:
  ros__parameters:
    stand_up_duration_s: 0.5
"""
_params_dir = tempfile.TemporaryDirectory(prefix="llm_planner_launch_test_")


@pytest.mark.launch_test
def generate_test_description():
    params_file = os.path.join(_params_dir.name, "params.yaml")
    with open(params_file, "w", encoding="utf-8") as stream:
        stream.write(PARAMS)
    bringup = IncludeLaunchDescription(
        PythonLaunchDescriptionSource(
            os.path.join(get_package_share_directory("llm_planner"), "launch", "bringup.launch.py")),
        launch_arguments={"params_file": params_file, "log_level": "info"}.items())
    return LaunchDescription([bringup, launch_testing.actions.ReadyToTest()])


class TestTaskMovesRobot(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.owns_rclpy = not rclpy.ok()  # under colcon test, earlier tests in this process may have initialised it
        if cls.owns_rclpy:
            rclpy.init()
        cls.client = StackClient("launch_test_client")
        cls.executor = SingleThreadedExecutor()
        cls.executor.add_node(cls.client)
        threading.Thread(target=cls.executor.spin, daemon=True).start()

    @classmethod
    def tearDownClass(cls):
        cls.executor.shutdown()
        cls.client.destroy_node()
        if cls.owns_rclpy:
            rclpy.try_shutdown()

    def test_walk_one_meter(self):
        client = self.client
        self.assertTrue(client.wait_for_planner(120.0), "planner_node never subscribed to /task")
        self.assertTrue(client.wait_for(lambda c: c.state is not None, 30.0), "no /controller/state from sim_robot")
        self.assertEqual(client.state["fsm_id"], 1, "the simulated robot starts damped")
        client.send_task(TASK, TASK_ID)
        self.assertTrue(client.wait_for(lambda c: c.final_event(TASK_ID) is not None, 120.0), client.events)
        self.assertEqual(client.final_event(TASK_ID)["state"], "completed", client.events)
        self.assertEqual(client.plans[TASK_ID]["steps"],
                         [{"primitive": "walk", "direction": "forward", "distance_m": 1.0}])
        self.assertTrue(client.wait_for(lambda c: max(abs(v) for v in c.state["velocity"]) < 0.01, 5.0))
        pose = client.pose()
        self.assertLessEqual(math.hypot(pose["x"] - 1.0, pose["y"]), 0.1, pose)
        self.assertLessEqual(abs(pose["yaw_deg"]), 5.0, pose)
        self.assertEqual(pose["fsm_id"], 500)


@launch_testing.post_shutdown_test()
class TestShutdown(unittest.TestCase):
    def test_exit_codes(self, proc_info):
        """Every node ends with exit code 0 when the launch shuts down (SIGINT)."""
        launch_testing.asserts.assertExitCodes(proc_info)
