"""The simulated humanoid as a ROS 2 node, speaking the G1's own interface.

A thin face over `SimController`: typed `unitree_api` requests in on `api/<sport_service>/request`
and `api/arm/request`, responses out on `.../response`; `sportmodestate` (unitree_hg), `odom`
and `arm/action/state` at `state_rate_hz`. The vendor's own clients drive it (test_vendor_sdk.py).
All topic names are relative so each robot can live in a namespace.
"""

from __future__ import annotations

from functools import partial

from builtin_interfaces.msg import Time
from nav_msgs.msg import Odometry
from pydantic import ValidationError
from rclpy.node import Node
from rclpy.qos import QoSProfile, ReliabilityPolicy
from rclpy.timer import Timer
from std_msgs.msg import String
from unitree_api.msg import Request as RequestMsg
from unitree_api.msg import Response as ResponseMsg
from unitree_hg.msg import SportModeState

from llm_planner.ros.geometry import yaw_quaternion
from llm_planner.ros.node_main import spin_node
from llm_planner.ros.params import declare_settings
from robot_bridge.protocol import ARM, SPORT, ControllerState, Response
from robot_bridge.sim.controller import SimController, SimSettings
from robot_bridge.wire import (
    ARM_STATE_TOPIC,
    SPORT_MODE_STATE_TOPIC,
    arm_state_json,
    request_from_msg,
    request_topic,
    response_to_msg,
    response_topic,
    sport_mode_state,
)

try:  # tf2_ros is not on the package index: broadcast TF only where a ROS install has it
    from geometry_msgs.msg import TransformStamped
    from tf2_ros import TransformBroadcaster
except ImportError:
    TransformBroadcaster = None

ODOM_FRAME = "odom"
BASE_FRAME = "base_link"


class SimRobot(Node):
    """Answers controller requests on behalf of a simulated robot and publishes its state."""

    def __init__(self) -> None:
        super().__init__("sim_robot")
        settings = declare_settings(self, SimSettings, on_change=self._on_settings)
        self._controller = SimController(settings, now=self._now())
        reliable = QoSProfile(depth=50, reliability=ReliabilityPolicy.RELIABLE)
        best_effort = QoSProfile(depth=10, reliability=ReliabilityPolicy.BEST_EFFORT)
        names = {SPORT: settings.sport_service, ARM: ARM}  # the service's name on the wire (read at start)
        self._responders = {service: self.create_publisher(ResponseMsg, response_topic(name), reliable)
                            for service, name in names.items()}
        for service, name in names.items():
            self.create_subscription(RequestMsg, request_topic(name), partial(self._on_request, service), reliable)
        self._fsm_pub = self.create_publisher(SportModeState, SPORT_MODE_STATE_TOPIC, best_effort)
        self._arm_pub = self.create_publisher(String, ARM_STATE_TOPIC, best_effort)
        self._odom_pub = self.create_publisher(Odometry, "odom", 10)
        self._tf = TransformBroadcaster(self) if TransformBroadcaster is not None else None
        self._late: set[Timer] = set()
        self.create_timer(1.0 / settings.state_rate_hz, self._publish_state)
        self.get_logger().info(f"simulated robot up in fsm {settings.initial_fsm}, fault {settings.fault}")
        if self._tf is None:
            self.get_logger().info("tf2_ros is not installed: no TF odom->base_link, odometry on `odom` only")

    def _now(self) -> float:
        return self.get_clock().now().nanoseconds * 1e-9

    def _on_settings(self, settings: SimSettings) -> None:
        self._controller.settings = settings

    def _on_request(self, service: str, msg: RequestMsg) -> None:
        try:
            request = request_from_msg(msg)
        except ValidationError as error:
            self.get_logger().warning(f"ignoring a malformed {service} request: {error.errors()[0]['msg']}")
            return
        response = self._controller.handle(service, request, self._now())
        if response is None:
            return
        delay = self._controller.reply_delay_s
        if delay > 0.0:
            self._reply_later(service, response, delay)
        else:
            self._reply(service, response)

    def _reply(self, service: str, response: Response) -> None:
        self._responders[service].publish(response_to_msg(response))

    def _reply_later(self, service: str, response: Response, delay: float) -> None:
        """A one-shot timer, so a slow controller never blocks the executor."""
        def fire() -> None:
            timer.cancel()
            self._late.discard(timer)
            self.destroy_timer(timer)
            self._reply(service, response)

        timer = self.create_timer(delay, fire)
        self._late.add(timer)

    def _publish_state(self) -> None:
        clock_now = self.get_clock().now()
        now = clock_now.nanoseconds * 1e-9
        self._controller.step(now)
        state = self._controller.state(now)
        # FSM and arm first: the bridge assembles its view of the robot when the odometry arrives
        self._fsm_pub.publish(sport_mode_state(state, self._controller.sport_task(now)))
        self._arm_pub.publish(String(data=arm_state_json(state.arm_action)))
        self._publish_odom(state, clock_now.to_msg())

    def _publish_odom(self, state: ControllerState, stamp: Time) -> None:
        odom = Odometry()
        odom.header.stamp = stamp
        odom.header.frame_id = ODOM_FRAME
        odom.child_frame_id = BASE_FRAME
        odom.pose.pose.position.x, odom.pose.pose.position.y, odom.pose.pose.position.z = state.position
        odom.pose.pose.orientation = yaw_quaternion(state.yaw)
        odom.twist.twist.linear.x, odom.twist.twist.linear.y, odom.twist.twist.angular.z = state.velocity
        self._odom_pub.publish(odom)
        if self._tf is not None:
            transform = TransformStamped()
            transform.header = odom.header
            transform.child_frame_id = BASE_FRAME
            transform.transform.translation.x, transform.transform.translation.y = state.position[:2]
            transform.transform.rotation = odom.pose.pose.orientation
            self._tf.sendTransform(transform)


def main(args: list[str] | None = None) -> None:
    spin_node(SimRobot, args)


if __name__ == "__main__":
    main()
