"""What a disarmed bridge lets through to the robot: FSM queries, the e-stop's Damp and a zero velocity
(it stops the robot), nothing that moves it. test_vendor_sdk.py shows the same over DDS."""

from __future__ import annotations

import pytest

from robot_bridge.bridge_node import _safe_when_disarmed
from robot_bridge.protocol import ARM, SPORT, Request


@pytest.mark.parametrize(("service", "api_id", "parameter", "safe"), [
    (SPORT, 7001, None, True),  # GetFsmId
    (SPORT, 7002, None, True),  # GetFsmMode
    (SPORT, 7101, {"data": 1}, True),  # Damp
    (SPORT, 7105, {"velocity": [0.0, 0.0, 0.0], "duration": 0.2}, True),  # stop
    (SPORT, 7101, {"data": 4}, False),  # stand up
    (SPORT, 7101, {"data": 500}, False),
    (SPORT, 7105, {"velocity": [0.3, 0.0, 0.0], "duration": 0.2}, False),
    (SPORT, 7105, {"velocity": [0.0, 0.0, 1e-9], "duration": 0.2}, False),
    (SPORT, 7106, {"data": 0}, False),  # wave
    (ARM, 7106, {"data": 18}, False),
    (ARM, 7106, {"data": 99}, False),  # even a release is an arm motion
    (ARM, 7001, None, False),  # not the sport service's query
])
def test_only_queries_damp_and_a_zero_velocity_pass(service: str, api_id: int, parameter: dict | None,
                                                     safe: bool) -> None:
    assert _safe_when_disarmed(service, Request.make(1, api_id, parameter)) is safe


def test_a_parameter_that_is_not_json_is_not_safe() -> None:
    request = Request.make(1, 7101)
    request.parameter = '{"data": 1'
    assert not _safe_when_disarmed(SPORT, request)
