"""A stand-in G1 made of the vendor's own server code: `unitree_sdk2py.rpc.server.Server` for `sport`
and `arm`, odometry and arm state written with the vendor's IDL.

Run by test_vendor_sdk.py in its own process, so that our bridge (and, for comparison, the vendor's
LocoClient) drive a server whose request handling is the vendor's. Its robot is deliberately simple
(stand-up is instant, velocity is followed at once and expires after its duration); what matters is
what it receives: every request is printed as `RESULT {"service", "api_id", "parameter"}`.
It publishes no `sportmodestate`, so a bridge must poll the FSM.

    python test/vendor_robot.py DOMAIN_ID
"""

from __future__ import annotations

import json
import math
import signal
import sys
import threading
import time

from unitree_sdk2py.core.channel import ChannelFactoryInitialize, ChannelPublisher
from unitree_sdk2py.idl.default import nav_msgs_msg_dds__Odometry_, std_msgs_msg_dds__String_
from unitree_sdk2py.idl.nav_msgs.msg.dds_ import Odometry_
from unitree_sdk2py.idl.std_msgs.msg.dds_ import String_
from unitree_sdk2py.rpc.server import Server

LOCOMOTION = (200, 500)
ARM_ACTIONS = {11, 12, 13, 15, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27}


class Robot:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.fsm, self.x, self.y, self.yaw = 1, 0.0, 0.0, 0.0
        self.velocity, self.until = (0.0, 0.0, 0.0), 0.0
        self.arm: int | None = None

    # --- the vendor Server calls these with the request's parameter text: (code, data) ---
    def record(self, service: str, api_id: int, parameter: str) -> dict:
        print("RESULT " + json.dumps({"service": service, "api_id": api_id, "parameter": parameter}), flush=True)
        return json.loads(parameter or "{}")

    def handlers(self) -> dict[str, dict[int, object]]:
        def sport(api_id: int, act):
            def handle(parameter: str):
                with self.lock:
                    return act(self.record("sport", api_id, parameter))
            return handle

        def arm(parameter: str):
            with self.lock:
                action = self.record("arm", 7106, parameter)
                action = action.get("data", action.get("action_id"))
                if action == 99:
                    self.arm = None
                elif action not in ARM_ACTIONS:
                    return 7402, ""
                elif self.fsm not in LOCOMOTION:
                    return 7404, ""
                else:
                    self.arm = action
                return 0, ""

        return {
            "sport": {7001: sport(7001, lambda p: (0, json.dumps({"data": self.fsm}))),
                      7002: sport(7002, lambda p: (0, json.dumps({"data": 0}))),
                      7101: sport(7101, self.set_fsm), 7105: sport(7105, self.set_velocity),
                      7106: sport(7106, lambda p: (0, ""))},
            "arm": {7106: arm},
        }

    def set_fsm(self, p: dict):
        self.fsm = int(p["data"])
        if self.fsm not in LOCOMOTION:
            self.velocity, self.arm = (0.0, 0.0, 0.0), None
        return 0, ""

    def set_velocity(self, p: dict):
        if self.fsm in LOCOMOTION:
            self.velocity, self.until = tuple(p["velocity"]), time.monotonic() + float(p["duration"])
        return 0, ""

    def step(self, dt: float) -> None:
        with self.lock:
            if time.monotonic() > self.until:
                self.velocity = (0.0, 0.0, 0.0)
            vx, vy, wz = self.velocity
            self.x += (vx * math.cos(self.yaw) - vy * math.sin(self.yaw)) * dt
            self.y += (vx * math.sin(self.yaw) + vy * math.cos(self.yaw)) * dt
            self.yaw += wz * dt


def main() -> None:
    ChannelFactoryInitialize(int(sys.argv[1]), "lo")
    robot = Robot()
    servers = []
    for name, handlers in robot.handlers().items():
        server = Server(name)
        server.Init()
        for api_id, handler in handlers.items():
            server._RegistHandler(api_id, handler, False)
        server.Start(False)
        servers.append(server)
    odom_pub = ChannelPublisher("rt/odom", Odometry_)
    odom_pub.Init()
    arm_pub = ChannelPublisher("rt/arm/action/state", String_)
    arm_pub.Init()
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    print("RESULT " + json.dumps({"ready": True}), flush=True)
    period = 0.02
    while not stopped.wait(period):
        robot.step(period)
        odom = nav_msgs_msg_dds__Odometry_()
        now = time.time()
        odom.header.stamp.sec, odom.header.stamp.nanosec = int(now), int((now % 1) * 1e9)
        odom.header.frame_id, odom.child_frame_id = "odom", "base_link"
        with robot.lock:
            odom.pose.pose.position.x, odom.pose.pose.position.y = robot.x, robot.y
            orientation = odom.pose.pose.orientation
            orientation.z, orientation.w = math.sin(robot.yaw / 2), math.cos(robot.yaw / 2)
            odom.twist.twist.linear.x, odom.twist.twist.linear.y = robot.velocity[0], robot.velocity[1]
            odom.twist.twist.angular.z = robot.velocity[2]
            arm = {"holding": robot.arm is not None, "id": robot.arm if robot.arm is not None else 0, "name": ""}
        odom_pub.Write(odom)
        state = std_msgs_msg_dds__String_()
        state.data = json.dumps(arm)
        arm_pub.Write(state)


if __name__ == "__main__":
    main()
