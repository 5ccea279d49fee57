"""launch_testing: the ExecuteTask action through the launch file: a goal walks the robot 1 m with
feedback and a result, and a cancelled goal leaves the robot stopped, still standing.

Runs where the ROS 2 launch system is installed (`colcon test` on a ROS install); skipped on the
embedded set-up, where test_task_action.py covers the same action over DDS.
"""

from __future__ import annotations

import pytest

pytest.importorskip("launch_testing", reason="launch_testing is not installed (embedded set-up without the ROS 2 "
                                             "launch system); these tests run under colcon test on a ROS 2 install")

import threading  # noqa: E402
import unittest  # noqa: E402

import launch_testing.actions  # noqa: E402
import launch_testing.asserts  # noqa: E402
from launch_stack import LaunchClients, bringup, params_file  # noqa: E402
from llm_planner_interfaces.action import ExecuteTask  # noqa: E402
from rclpy.action import ActionClient  # noqa: E402

from launch import LaunchDescription  # noqa: E402
from llm_planner.tools.stack_client import MODEL_READY_S  # noqa: E402

PARAMS = """\
sim_robot:
  ros__parameters:
    stand_up_duration_s: 0.5
"""


@pytest.mark.launch_test
def generate_test_description():
    return LaunchDescription([bringup(params_file=params_file(PARAMS), log_level="info"),
                              launch_testing.actions.ReadyToTest()])


class TestExecuteTask(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = LaunchClients([""])
        cls.client = cls.stack.clients[""]
        cls.action = ActionClient(cls.client, ExecuteTask, "execute_task")

    @classmethod
    def tearDownClass(cls):
        cls.action.destroy()
        cls.stack.close()

    def run_goal(self, task: str, cancel_when=None):
        feedback, done, box = [], threading.Event(), {}

        def on_goal(future):
            box["handle"] = future.result()
            box["handle"].get_result_async().add_done_callback(lambda f: (box.update(result=f.result().result),
                                                                           done.set()))

        def on_feedback(message):
            feedback.append(message.feedback)
            if cancel_when is not None and cancel_when(message.feedback) and "cancel" not in box:
                box["cancel"] = box["handle"].cancel_goal_async()

        self.action.send_goal_async(ExecuteTask.Goal(task=task), feedback_callback=on_feedback).add_done_callback(
            on_goal)
        self.assertTrue(done.wait(120.0), [f.state for f in feedback])
        return box["result"], feedback

    def test_goal_then_cancel(self):
        self.assertTrue(self.action.wait_for_server(timeout_sec=120.0), "no execute_task")
        self.assertTrue(self.client.wait_for_planner(MODEL_READY_S), "planner_node never subscribed to /task")
        result, feedback = self.run_goal("walk forward 1 meter")
        self.assertEqual((result.success, result.state), (True, "completed"), result.detail)
        self.assertIn("running", [f.state for f in feedback])
        self.assertAlmostEqual(result.final_pose.x, 1.0, delta=0.1)
        result, _ = self.run_goal("walk backward 3 meters", cancel_when=lambda f: f.step_state == "step_started")
        self.assertEqual(result.state, "cancelled", result.detail)
        self.assertTrue(self.client.wait_for(lambda c: not any(c.state["velocity"]), 5.0))
        self.assertEqual(self.client.state["fsm_id"], 500)


@launch_testing.post_shutdown_test()
class TestShutdown(unittest.TestCase):
    def test_exit_codes(self, proc_info):
        launch_testing.asserts.assertExitCodes(proc_info)
