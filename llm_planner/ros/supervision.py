"""A node started by a supervisor stops when that supervisor is gone, even if it died by SIGKILL.

The supervisor (`llm_planner.tools.bringup.start_node`) names itself in PARENT_ENV; the node
compares that pid with its parent's every spin. A node started any other way (a shell, ros2
launch, systemd) has no such variable and is never stopped by this. No ROS here: the
supervisor imports it before rclpy.
"""

from __future__ import annotations

import os
from collections.abc import Callable

PARENT_ENV = "LLM_PLANNER_PARENT_PID"


def supervisor_gone() -> Callable[[], bool]:
    """A check that turns true once the supervisor named in PARENT_ENV is no longer our parent."""
    try:
        parent = int(os.environ.get(PARENT_ENV, ""))
    except ValueError:
        return lambda: False
    return lambda: os.getppid() != parent
