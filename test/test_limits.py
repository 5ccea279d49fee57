"""Safety limits: each one is caught, with its machine-readable reason."""

from __future__ import annotations

import math

from llm_planner.plan.limits import Limits, check_plan
from llm_planner.plan.schema import Plan, Turn, Wait, Walk

LIMITS = Limits()


def reasons(plan: Plan, **kwargs) -> list[str]:
    return [v.reason for v in check_plan(plan, LIMITS, **kwargs)]


def test_plan_within_limits_passes():
    assert reasons(Plan(steps=[Walk(direction="forward", distance_m=5), Turn(direction="left", angle_deg=360)])) == []


def test_each_limit_has_its_reason():
    assert reasons(Plan(steps=[Walk(direction="forward", distance_m=5.5)])) == ["distance_limit"]
    assert reasons(Plan(steps=[Walk(direction="left", distance_m=1, speed_mps=0.7)])) == ["speed_limit"]
    assert reasons(Plan(steps=[Turn(direction="right", angle_deg=400)])) == ["angle_limit"]
    assert reasons(Plan(steps=[Turn(direction="right", angle_deg=90, speed_deg_s=90)])) == ["speed_limit"]
    assert reasons(Plan(steps=[Wait(seconds=31)])) == ["wait_limit"]
    assert reasons(Plan(steps=[Wait(seconds=1)] * 9)) == ["too_many_steps"]


def test_workspace_follows_turns_and_start_pose():
    out_and_back = Plan(steps=[Walk(direction="forward", distance_m=5), Walk(direction="forward", distance_m=5),
                               Turn(direction="left", angle_deg=180), Walk(direction="forward", distance_m=5)])
    assert reasons(out_and_back) == []
    assert reasons(out_and_back, start=(1.0, 0.0, 0.0)) == ["workspace_limit"]
    sideways = Plan(steps=[Turn(direction="left", angle_deg=90), Walk(direction="forward", distance_m=5),
                           Walk(direction="backward", distance_m=5)])
    assert reasons(sideways, start=(0.0, 9.0, 0.0)) == ["workspace_limit"]
    assert reasons(sideways, start=(0.0, -9.0, 0.0)) == []
    assert reasons(sideways, start=(0.0, -9.0, math.pi)) == ["workspace_limit"]
