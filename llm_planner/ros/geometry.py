"""Ground-plane geometry as ROS messages carry it, shared by the bridge (paths) and the simulated robot (odom)."""

from __future__ import annotations

import math

from geometry_msgs.msg import Quaternion


def yaw_quaternion(yaw: float) -> Quaternion:
    """A heading on the ground plane as the rotation about z that ROS messages carry."""
    return Quaternion(z=math.sin(yaw / 2.0), w=math.cos(yaw / 2.0))
