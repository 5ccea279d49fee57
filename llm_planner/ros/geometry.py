"""Ground-plane geometry as ROS messages carry it, shared by the bridge (paths) and the simulated robot (odom)."""

from __future__ import annotations

import math

from geometry_msgs.msg import Quaternion


def yaw_quaternion(yaw: float) -> Quaternion:
    """A heading on the ground plane as the rotation about z that ROS messages carry."""
    return Quaternion(z=math.sin(yaw / 2.0), w=math.cos(yaw / 2.0))


def quaternion_yaw(q: Quaternion) -> float:
    """The heading (rotation about z) of any orientation, as odometry from another source may carry it."""
    return math.atan2(2.0 * (q.w * q.z + q.x * q.y), 1.0 - 2.0 * (q.y * q.y + q.z * q.z))
