"""launch_testing: two robots from the launch file in namespaces r1 and r2, on one DDS graph.

Each robot (planner, bridge, simulated robot) gets its own task; each must do its own
and nothing of the other's, and every node must exit cleanly. Skipped where the ROS 2
launch system is not installed (the embedded set-up); runs under `colcon test`.
"""

from __future__ import annotations

import pytest

pytest.importorskip("launch_testing", reason="launch_testing is not installed (embedded set-up without the ROS 2 "
                                             "launch system); these tests run under colcon test on a ROS 2 install")

import math  # noqa: E402
import unittest  # noqa: E402

import launch_testing.actions  # noqa: E402
import launch_testing.asserts  # noqa: E402
from launch.actions import GroupAction  # noqa: E402
from launch_stack import LaunchClients, bringup, params_file  # noqa: E402

from launch import LaunchDescription  # noqa: E402
from llm_planner.tools.stack_client import MODEL_READY_S  # noqa: E402

TASKS = {"r1": ("r1-walk", "walk forward 1 meter"), "r2": ("r2-turn", "turn left 90 degrees")}
# one llama.cpp thread per planner: two planners with two threads each would fight over a small machine's cores
PARAMS = """\
sim_robot:
  ros__parameters:
    stand_up_duration_s: 0.5
planner_node:
  ros__parameters:
    n_threads: 1
"""


@pytest.mark.launch_test
def generate_test_description():
    params = params_file(PARAMS)
    robots = [GroupAction([bringup(namespace=ns, params_file=params)]) for ns in TASKS]
    return LaunchDescription([*robots, launch_testing.actions.ReadyToTest()])


class TestTwoRobots(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = LaunchClients(TASKS)
        cls.clients = cls.stack.clients

    @classmethod
    def tearDownClass(cls):
        cls.stack.close()

    def test_each_robot_does_its_own_task(self):
        clients = self.clients
        for ns, client in clients.items():
            self.assertTrue(client.wait_for_planner(MODEL_READY_S), f"/{ns}/planner_node never subscribed")
            self.assertTrue(client.wait_for_robot(30.0), f"no /{ns}/odom")
            self.assertEqual(client.state["fsm_id"], 1, "each simulated robot starts damped")
        for ns, (task_id, task) in TASKS.items():
            clients[ns].send_task(task, task_id)
        for ns, (task_id, _task) in TASKS.items():
            client = clients[ns]
            self.assertTrue(client.wait_for(lambda c, i=task_id: c.final_event(i) is not None, 120.0), client.events)
            self.assertEqual(client.final_event(task_id)["state"], "completed", client.events)
        for client in clients.values():
            self.assertTrue(client.wait_for(lambda c: max(abs(v) for v in c.state["velocity"]) < 0.01, 5.0))

        walker, turner = clients["r1"].pose(), clients["r2"].pose()
        self.assertLessEqual(math.hypot(walker["x"] - 1.0, walker["y"]), 0.1, walker)
        self.assertLessEqual(abs(walker["yaw_deg"]), 5.0, walker)
        self.assertLessEqual(math.hypot(turner["x"], turner["y"]), 0.05, turner)
        self.assertLessEqual(abs(turner["yaw_deg"] - 90.0), 5.0, turner)
        for ns, (task_id, _task) in TASKS.items():
            events = clients[ns].events
            # the bridge's own events of no task (its odometry session) have no id
            self.assertEqual({e["id"] for e in events if e["topic"] == "bridge/status" and e["id"]}, {task_id}, events)
            self.assertEqual({e["id"] for e in events if e["topic"] == "planner/status"}, {task_id}, events)
            self.assertEqual(set(clients[ns].plans), {task_id}, clients[ns].plans)
        foreign = [name for name, _types in clients["r1"].get_topic_names_and_types()
                   if not name.startswith(("/r1/", "/r2/")) and name not in ("/rosout", "/parameter_events")]
        self.assertEqual(foreign, [], "every topic of the stack lives in its robot's namespace")


@launch_testing.post_shutdown_test()
class TestShutdown(unittest.TestCase):
    def test_exit_codes(self, proc_info):
        """All eight nodes (sim_robot, bridge_node, planner_node, task_server per robot) end with exit code 0
        when the launch shuts down (SIGINT)."""
        self.assertEqual(len(proc_info.process_names()), 8)
        launch_testing.asserts.assertExitCodes(proc_info)
