"""task_server: the ExecuteTask action (`execute_task`), a ROS 2-native face of the whole stack.

A goal's task goes to the planner on `task` under an id of its own; the planner's and the bridge's
events for that id (`planner/status`, `bridge/status`) and its plan (`plan`) become feedback, and
the first final event the result. It is a client of the stack's public topics (a StackClient), so
the planner and the bridge know nothing of actions.

- Cancel: a `stop` plan goes to the bridge (zero velocity, keeps standing); the result is cancelled,
  sent once that plan has the robot at rest, so its final pose is where the robot stopped.
- A new goal preempts the running one (its result: preempted); `on_new_goal: reject` refuses it instead.
  A plan that arrives for a goal already cancelled or preempted is stopped at once.
- An e-stop ends the goal with state estop.
- Every goal ends. While the goal depends on the planner (until it planned) or the bridge (once it
  accepted the plan), the set of that node's status publishers is watched: one that leaves the graph
  (a clean exit at once; a killed process when its DDS lease expires) or a new process in its place
  ends the goal with state error (`planner_lost`, `bridge_lost`): a restarted node has forgotten the
  task. A task the planner has not planned within `planning_timeout_s` ends with error
  (`planner_timeout`), and a plan no bridge accepted within `accept_timeout_s` with `bridge_lost`.
"""

from __future__ import annotations

import itertools
import json
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field

from llm_planner_interfaces.action import ExecuteTask
from pydantic import BaseModel, Field, field_validator
from rclpy.action import ActionServer, CancelResponse, GoalResponse
from rclpy.action.server import ServerGoalHandle
from rclpy.callback_groups import ReentrantCallbackGroup
from rclpy.task import Future
from std_msgs.msg import String

from llm_planner.ros.node_main import spin_node
from llm_planner.ros.params import declare_settings
from llm_planner.ros.plan_msgs import plan_msg, pose_msg
from llm_planner.tools.stack_client import StackClient
from llm_planner.tools.task_progress import BRIDGE_FINAL, PLANNER_FINAL

SUPERVISE_S = 0.5
ENDED_KEPT = 256  # goals that ended, remembered to stop a straggling plan of theirs
_stop_ids = itertools.count(1)


class TaskServerSettings(BaseModel):
    """Every field is a ROS parameter of task_server (config/task_server.yaml)."""

    on_new_goal: str = Field("preempt", description="a goal while one runs: preempt the running one, or reject")
    planning_timeout_s: float = Field(
        120.0, gt=0, le=3600, description="a task the planner has not finished this long ends the goal (error)"
    )
    accept_timeout_s: float = Field(
        30.0, gt=0, le=600, description="a plan the bridge has not accepted this long after planning ends the goal"
    )

    @field_validator("on_new_goal")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in ("preempt", "reject"):
            raise ValueError("on_new_goal must be preempt or reject")
        return value


@dataclass
class _Goal:
    id: str
    task: str
    handle: ServerGoalHandle
    done: Future
    started: float = field(default_factory=time.monotonic)
    planner: frozenset[bytes] = frozenset()  # the gids of planner/status publishers when the task was sent
    bridge: frozenset[bytes] | None = None  # those of bridge/status once the bridge accepted the plan
    sent: bool = False  # the task went out on `task` (only once a planner listens)
    planned_at: float | None = None  # when the planner's part was over (planned)
    cancelling: str | None = None  # the id of the stop plan sent for a cancel
    state: str = "received"  # as last given in feedback
    step: int = -1
    step_state: str = ""


class TaskServer(StackClient):
    def __init__(self) -> None:
        super().__init__("task_server", record_events=False)  # a long-running node: no event history
        self.settings = declare_settings(self, TaskServerSettings, self._on_settings)
        self._goals: dict[str, _Goal] = {}  # the goals still running, by task id
        self._ended: OrderedDict[str, str] = OrderedDict()  # goals that ended, by task id: their final state
        self.listeners.append(self._on_stack)
        self._server = ActionServer(
            self, ExecuteTask, "execute_task", self._execute, callback_group=ReentrantCallbackGroup(),
            goal_callback=self._on_goal, handle_accepted_callback=self._on_accepted, cancel_callback=self._on_cancel)
        self.create_timer(SUPERVISE_S, self._supervise)
        self.get_logger().info("execute_task action ready")

    def _on_settings(self, settings: TaskServerSettings) -> None:
        self.settings = settings

    # --- goals ---------------------------------------------------------------
    def _on_goal(self, _request: ExecuteTask.Goal) -> GoalResponse:
        if self._goals and self.settings.on_new_goal == "reject":
            self.get_logger().warning("goal rejected: another goal is running (on_new_goal: reject)")
            return GoalResponse.REJECT
        return GoalResponse.ACCEPT

    def _on_accepted(self, handle: ServerGoalHandle) -> None:
        for goal in list(self._goals.values()):
            self._finish(goal, "preempted", "preempted", "a new goal preempted this one")
        handle.execute()

    def _on_cancel(self, handle: ServerGoalHandle) -> CancelResponse:
        goal = next((g for g in self._goals.values() if g.handle is handle), None)
        if goal is not None and goal.cancelling is None:
            goal.cancelling = self._stop(goal.id)
        return CancelResponse.ACCEPT

    async def _execute(self, handle: ServerGoalHandle) -> ExecuteTask.Result:
        goal = _Goal(f"goal-{uuid.uuid4().hex[:8]}", handle.request.task, handle, Future())
        self._goals[goal.id] = goal
        self._feedback(goal, "received")
        self._send_task(goal)
        result: ExecuteTask.Result = await goal.done
        if result.state == "completed":
            handle.succeed()
        elif result.state == "cancelled" and handle.is_cancel_requested:
            handle.canceled()
        else:
            handle.abort()
        return result

    def _send_task(self, goal: _Goal) -> None:
        """Send the task once a planner listens on `task` (a message before that would be lost)."""
        if goal.sent or self.task_pub.get_subscription_count() == 0:
            return
        goal.planner, goal.sent = self._status_publishers("planner/status"), True
        self.task_pub.publish(String(data=json.dumps({"id": goal.id, "task": goal.task}, ensure_ascii=False)))

    def _stop(self, plan_id: str) -> str:
        """Soft stop: a one-step `stop` plan preempts whatever the bridge runs."""
        stop_id = f"{plan_id}-stop-{next(_stop_ids)}"
        self.send_plan(stop_id, [{"primitive": "stop"}], task="cancelled by the execute_task action")
        return stop_id

    def _finish(self, goal: _Goal, state: str, reason: str, detail: str) -> None:
        if self._goals.pop(goal.id, None) is None:
            return
        self._ended[goal.id] = state
        while len(self._ended) > ENDED_KEPT:
            self._ended.popitem(last=False)
        result = ExecuteTask.Result(success=state == "completed", state=state, reason=reason, detail=detail,
                                    plan=plan_msg(goal.id, goal.task, self.plans.get(goal.id, {}).get("steps", [])),
                                    final_pose=pose_msg(self.latest_pose()))
        for plan_id in [p for p in self.plans if p not in self._goals]:  # keep only the running goals' plans
            del self.plans[plan_id]
        self.get_logger().info(f"goal {goal.id} {state} ({reason}): {detail}")
        goal.done.set_result(result)

    # --- what the stack says -------------------------------------------------
    def _on_stack(self, kind: str, item: dict) -> None:
        item_id = str(item.get("id"))
        if kind == "plan":
            if item_id in self._goals:  # the plan as understood grew (streamed) or arrived
                self._feedback(self._goals[item_id], self._goals[item_id].state)
            return
        goal = self._goals.get(item_id)
        state, topic = str(item.get("state")), item.get("topic")
        if goal is None:
            self._on_other_event(item_id, state, topic)
            return
        if goal.cancelling is not None:
            return  # its stop plan ends it, with the robot at rest; its own plan's late news changes nothing
        reason, detail = str(item.get("reason") or ""), str(item.get("detail") or "")
        if topic == "planner/status":
            if state in PLANNER_FINAL:
                final = "aborted" if state == "dropped" else state
                self._finish(goal, final, reason or state, detail)
                return
            if state == "planned" and goal.planned_at is None:
                goal.planned_at = time.monotonic()
            self._feedback(goal, "running" if goal.state == "running" else state)  # a streamed plan runs first
            return
        if state == "accepted":
            goal.bridge = self._status_publishers("bridge/status")
        if state.startswith("step_") and isinstance(item.get("step"), int):  # step_feedback: the step still runs
            goal.step, goal.step_state = item["step"], "step_started" if state == "step_feedback" else state
        if state in BRIDGE_FINAL:
            if state == "rejected" and reason == "estop":
                self._finish(goal, "estop", "estop", detail)
            else:
                self._finish(goal, state, reason or ("" if state == "completed" else state), detail)
            return
        self._feedback(goal, "running")

    def _on_other_event(self, item_id: str, state: str, topic: object) -> None:
        """A cancel's stop plan finishing ends its goal; a plan of a goal already over is stopped."""
        cancelled = next((g for g in self._goals.values() if g.cancelling == item_id), None)
        if cancelled is not None and topic == "bridge/status" and state in BRIDGE_FINAL:
            self._finish(cancelled, "cancelled", "cancelled", "cancelled before the robot moved for it"
                         if cancelled.bridge is None else "cancelled: the robot was stopped, still standing")
        elif self._ended.get(item_id) in ("cancelled", "preempted") and state == "accepted":
            self._stop(item_id)

    def _feedback(self, goal: _Goal, state: str) -> None:
        goal.state = state
        steps = self.plans.get(goal.id, {}).get("steps", [])
        plan = plan_msg(goal.id, goal.task, steps, final=goal.planned_at is not None)
        goal.handle.publish_feedback(ExecuteTask.Feedback(
            state=state, plan=plan, step=goal.step, step_state=goal.step_state, pose=pose_msg(self.latest_pose())))

    # --- every goal ends ------------------------------------------------------
    def _status_publishers(self, topic: str) -> frozenset[bytes]:
        return frozenset(bytes(info.endpoint_gid) for info in
                         self.get_publishers_info_by_topic(self.resolve_topic_name(topic)))

    def _supervise(self) -> None:
        for goal in list(self._goals.values()):
            if goal.planned_at is None:
                self._send_task(goal)
                if goal.planner and goal.planner != self._status_publishers("planner/status"):
                    self._finish(goal, "error", "planner_lost", "the planner left or restarted while planning the task")
                elif time.monotonic() - goal.started > self.settings.planning_timeout_s:
                    why = "no planner listens on task" if not goal.sent else "the planner has not planned it"
                    self._finish(goal, "error", "planner_timeout",
                                 f"{why} within planning_timeout_s ({self.settings.planning_timeout_s:g} s)")
            elif goal.bridge is not None:
                if goal.bridge != self._status_publishers("bridge/status"):
                    self._finish(goal, "error", "bridge_lost", "the bridge left or restarted while running the plan")
            elif self.others_on("plan") == 0 or time.monotonic() - goal.planned_at > self.settings.accept_timeout_s:
                self._finish(goal, "error", "bridge_lost", "no bridge accepted the plan (none listens on plan, or "
                             f"none answered within accept_timeout_s, {self.settings.accept_timeout_s:g} s)")


def main(args: list[str] | None = None) -> None:
    spin_node(TaskServer, args)


if __name__ == "__main__":
    main()
