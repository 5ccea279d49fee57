"""The ExecuteTask action over real DDS: the simulated robot, the bridge, the planner with the real
model and the task server, driven by an rclpy ActionClient as a ROS user (or a behaviour tree) would.

Goal, feedback and success; cancel mid-walk (the robot stops, still standing); preemption by a new
goal; a refusal; an e-stop; and a bridge restarted mid-goal, which must still end the goal.
"""

from __future__ import annotations

import math
import os
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from llm_planner_interfaces.action import ExecuteTask
from rclpy.action import ActionClient
from rclpy.executors import SingleThreadedExecutor

from llm_planner.tools.bringup import SIM_BRIDGE, start_node, stop_all
from llm_planner.tools.stack_client import MODEL_READY_S, StackClient

pytestmark = pytest.mark.model  # loads the real model (see conftest)

NS = "act"


@dataclass
class Goal:
    task: str
    feedback: list = field(default_factory=list)
    handle: object = None
    result: object = None
    done: threading.Event = field(default_factory=threading.Event)


class User:
    """An ActionClient on `execute_task`, and a StackClient watching the robot, both spun elsewhere."""

    def __init__(self, client: StackClient) -> None:
        self.watch = client
        self.action = ActionClient(client, ExecuteTask, "execute_task")

    def send(self, task: str) -> Goal:
        goal = Goal(task)
        accepted = threading.Event()
        future = self.action.send_goal_async(ExecuteTask.Goal(task=task),
                                             feedback_callback=lambda m: goal.feedback.append(m.feedback))

        def on_goal(f) -> None:
            goal.handle = f.result()
            accepted.set()
            if goal.handle.accepted:
                goal.handle.get_result_async().add_done_callback(on_result)

        def on_result(f) -> None:
            goal.result = f.result().result
            goal.done.set()

        future.add_done_callback(on_goal)
        assert accepted.wait(10.0), "the goal was neither accepted nor rejected"
        return goal

    def finish(self, goal: Goal, timeout: float = 90.0):
        assert goal.done.wait(timeout), f"no result for {goal.task!r}; feedback {[f.state for f in goal.feedback]}"
        return goal.result

    def wait_running(self, goal: Goal, speed: float = 0.2) -> None:
        """Until the goal's walk runs and the robot moves faster than `speed`."""
        assert self.watch.wait_for(lambda c: any(f.step_state == "step_started" for f in goal.feedback)
                                   and abs(c.state["velocity"][0]) > speed, 60.0), [f.state for f in goal.feedback]


@pytest.fixture(scope="module")
def stack(rclpy_session) -> Iterator[tuple[User, list]]:
    processes = [start_node("sim_robot", {"initial_fsm": 500}, namespace=NS, log_level="warn"),
                 start_node("bridge_node", SIM_BRIDGE, namespace=NS),
                 start_node("planner_node", namespace=NS),
                 start_node("task_server", namespace=NS)]
    client = StackClient("action_test", namespace=NS)
    executor = SingleThreadedExecutor()
    executor.add_node(client)
    spinner = threading.Thread(target=executor.spin, daemon=True)
    spinner.start()
    user = User(client)
    try:
        assert user.action.wait_for_server(timeout_sec=60.0), "no execute_task action server"
        assert client.wait_for_planner(MODEL_READY_S, processes), "the planner never subscribed to task"
        assert client.wait_for_robot(30.0), "no odometry"
        yield user, processes
    finally:
        executor.shutdown()
        spinner.join(5.0)
        user.action.destroy()  # destroy_node leaves an action client's topics in the graph
        client.destroy_node()
        codes = stop_all(processes)
    assert codes == [0] * len(processes), codes


def test_a_goal_gets_feedback_and_a_result(stack) -> None:
    user, _ = stack
    x0 = user.watch.latest_pose()[0]
    goal = user.send("walk forward 1 meter")
    result = user.finish(goal)
    assert (result.success, result.state) == (True, "completed"), (result.state, result.reason, result.detail)
    states = [f.state for f in goal.feedback]
    # received, planning, then running (a streamed plan runs before the planner says planned)
    assert states[0] == "received" and states.index("planning") < states.index("running"), states
    assert goal.feedback[-1].plan.final and goal.feedback[-1].plan.steps[0].primitive == "walk"
    assert any(f.step == 0 and f.step_state == "step_succeeded" for f in goal.feedback)
    assert [(s.primitive, s.direction, s.distance_m) for s in result.plan.steps] == [("walk", "forward", 1.0)]
    assert result.final_pose.x - x0 == pytest.approx(1.0, abs=0.06)


def test_cancel_mid_walk_stops_the_robot_still_standing(stack) -> None:
    user, _ = stack
    goal = user.send("walk backward 4 meters")
    user.wait_running(goal)
    cancelled_at = time.monotonic()
    goal.handle.cancel_goal_async()
    result = user.finish(goal, 20.0)
    assert (result.success, result.state) == (False, "cancelled"), (result.state, result.reason, result.detail)
    still = user.watch.wait_for(lambda c: not any(c.state["velocity"]), 5.0)
    stopped = next(at for at, s in user.watch.timeline() if at > cancelled_at and not any(s["velocity"]))
    print(f"\ncancel -> zero velocity {stopped - cancelled_at:.2f} s")
    assert still and user.watch.state["fsm_id"] == 500  # stopped, and still standing in locomotion
    x, y = user.watch.state["position"][:2]  # the result came with the robot at rest, where it now stands
    assert math.dist((result.final_pose.x, result.final_pose.y), (x, y)) < 0.02, (result.final_pose, x, y)


def test_a_new_goal_preempts_the_running_one(stack) -> None:
    user, _ = stack
    first = user.send("walk forward 3 meters")
    user.wait_running(first)
    second = user.send("turn left 90 degrees")
    assert user.finish(first, 20.0).state == "preempted"
    result = user.finish(second)
    assert result.state == "completed" and result.plan.steps[0].primitive == "turn", (result.state, result.detail)


def test_a_refused_task_ends_its_goal_refused(stack) -> None:
    user, _ = stack
    result = user.finish(user.send("jump off the edge of the stage"))
    assert (result.success, result.state) == (False, "refused"), (result.state, result.reason, result.detail)
    assert result.reason in ("unsafe", "not_possible") and not result.plan.steps


def test_an_estop_ends_the_goal_with_estop(stack) -> None:
    user, _ = stack
    goal = user.send("walk forward 3 meters")
    user.wait_running(goal)
    user.watch.estop(True)
    result = user.finish(goal, 20.0)
    assert result.state == "estop", (result.state, result.reason, result.detail)
    accepted, message = user.watch.release_estop()
    assert accepted, message


def test_a_bridge_restarted_mid_goal_still_ends_it(stack) -> None:
    user, processes = stack
    goal = user.send("walk backward 3 meters")  # the robot stands up first: the e-stop damped it
    user.wait_running(goal)
    os.kill(processes[1].pid, signal.SIGKILL)
    processes[1].wait(5.0)
    processes[1] = start_node("bridge_node", SIM_BRIDGE, namespace=NS)
    result = user.finish(goal, 60.0)
    assert (result.state, result.reason) == ("error", "bridge_lost"), (result.state, result.reason, result.detail)
