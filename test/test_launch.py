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
import unittest  # noqa: E402

import launch_testing.actions  # noqa: E402
import launch_testing.asserts  # noqa: E402
from launch_stack import LaunchClients, bringup, params_file  # noqa: E402

from launch import LaunchDescription  # noqa: E402
from llm_planner.tools.stack_client import MODEL_READY_S  # noqa: E402

TASK_ID, TASK = "launch-walk", "walk forward 1 meter"
PARAMS = """\
sim_robot:
  ros__parameters:
    stand_up_duration_s: 0.5
"""


@pytest.mark.launch_test
def generate_test_description():
    return LaunchDescription([bringup(params_file=params_file(PARAMS), log_level="info"),
                              launch_testing.actions.ReadyToTest()])


class TestTaskMovesRobot(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = LaunchClients([""])
        cls.client = cls.stack.clients[""]

    @classmethod
    def tearDownClass(cls):
        cls.stack.close()

    def test_walk_one_meter(self):
        client = self.client
        self.assertTrue(client.wait_for_planner(MODEL_READY_S), "planner_node never subscribed to /task")
        self.assertTrue(client.wait_for_robot(30.0),
                        "no /odom and /sportmodestate from sim_robot")
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
