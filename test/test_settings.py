"""Settings: config files agree with the models, and ROS parameters are declared and guarded by them."""

from __future__ import annotations

import pytest
from rclpy.parameter import Parameter

from llm_planner.planning.settings import PlannerSettings
from llm_planner.ros.params import declare_settings
from llm_planner.tools.settings import config_dir, load_settings, yaml_parameters
from llm_planner.tools.task_server import TaskServerSettings
from robot_bridge.bridge_settings import BridgeSettings
from robot_bridge.sim.controller import SimSettings

NODES = {"planner_node": PlannerSettings, "bridge_node": BridgeSettings, "sim_robot": SimSettings,
         "task_server": TaskServerSettings}


@pytest.mark.parametrize("node", NODES)
def test_config_file_names_every_setting_with_its_default(node):
    model = NODES[node]
    values = yaml_parameters(config_dir() / f"{node}.yaml", node)
    assert set(values) == set(model.model_fields)
    assert load_settings(model, node) == model()


def test_parameters_are_declared_with_descriptors_and_changes_are_validated(rclpy_session):
    node = rclpy_session.create_node("settings_test")
    seen = []
    try:
        settings = declare_settings(node, BridgeSettings, seen.append)
        assert settings == BridgeSettings()
        descriptor = node.describe_parameter("max_speed_mps")
        assert "walking speed" in descriptor.description
        assert descriptor.floating_point_range[0].to_value == 2.0
        refused = node.set_parameters([Parameter("command_duration_s", value=1.0)])[0]
        assert not refused.successful and refused.reason
        accepted = node.set_parameters([Parameter("max_speed_mps", value=0.3)])[0]
        assert accepted.successful
        assert seen[-1].max_speed_mps == 0.3
        assert node.set_parameters([Parameter("max_steps", value=4)])[0].successful
        assert seen[-1].max_steps == 4
    finally:
        node.destroy_node()


def test_engine_settings_are_read_only_at_run_time_and_limits_are_not(rclpy_session):
    """Changing the model or the backend of a running planner would be silently ignored: refuse it."""
    node = rclpy_session.create_node("planner_settings_test")
    seen = []
    try:
        declare_settings(node, PlannerSettings, seen.append)
        for name, value in [("backend", "openai"), ("openai_url", "http://elsewhere:8080/v1"), ("n_threads", 4),
                            ("model_path", "/other.gguf")]:
            assert node.describe_parameter(name).read_only
            result = node.set_parameters([Parameter(name, value=value)])[0]
            assert not result.successful and "read-only" in result.reason, (name, result.reason)
        assert seen == []
        assert node.set_parameters([Parameter("max_distance_m", value=2.0)])[0].successful
        assert seen[-1].max_distance_m == 2.0 and seen[-1].backend == "local"
    finally:
        node.destroy_node()
