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


def odometry_fields(msg) -> dict:
    """What a nav_msgs/Odometry says of the robot on the ground plane: stamp (s), position, body-frame
    velocity [vx, vy, wz] and yaw (rad); the fields of the bridge's and the tests' view of the robot."""
    pose, twist = msg.pose.pose, msg.twist.twist
    return {"stamp": msg.header.stamp.sec + msg.header.stamp.nanosec * 1e-9,
            "position": [pose.position.x, pose.position.y, pose.position.z],
            "velocity": [twist.linear.x, twist.linear.y, twist.angular.z],
            "yaw": quaternion_yaw(pose.orientation)}
