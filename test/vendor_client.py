"""The vendor's own G1 clients drive whatever robot answers on this DDS domain (our simulated one).

Run by test_vendor_sdk.py in its own process: the vendor SDK speaks Cyclone DDS 11, our nodes Fast
DDS with config/fastdds_loopback.xml. Uses only unitree_sdk2py's public clients (LocoClient,
G1ArmActionClient) and its nav_msgs IDL to read `rt/odom`; prints one `RESULT {json}` line per call
and per odometry sample, so the test asserts on what the vendor's code saw.

    python test/vendor_client.py DOMAIN_ID           # drive the robot and report what it answers
    python test/vendor_client.py DOMAIN_ID motions   # only the motions test_vendor_sdk compares with our bridge
"""


import json
import sys
import threading
import time
from dataclasses import dataclass

import cyclonedds.idl as idl
import cyclonedds.idl.types as types
from unitree_sdk2py.core.channel import ChannelFactoryInitialize, ChannelSubscriber
from unitree_sdk2py.g1.arm.g1_arm_action_client import G1ArmActionClient
from unitree_sdk2py.g1.loco.g1_loco_client import LocoClient
from unitree_sdk2py.idl.nav_msgs.msg.dds_ import Odometry_


@dataclass
class SportModeState_(idl.IdlStruct, typename="unitree_hg.msg.dds_.SportModeState_"):
    """The G1's FSM state as the robot's DDS names it (not in this SDK's IDL: declared here)."""

    fsm_id: types.uint32
    fsm_mode: types.uint32
    task_id: types.uint32
    task_time: types.float32


def report(**fields: object) -> None:
    print("RESULT " + json.dumps(fields), flush=True)


class Streams:
    """The latest `rt/odom` (x, forward velocity) and `rt/sportmodestate`, as Cyclone reads them."""

    def __init__(self) -> None:
        self.x: float | None = None
        self.vx = 0.0
        self.fsm: SportModeState_ | None = None
        self._lock = threading.Lock()
        self._odom = ChannelSubscriber("rt/odom", Odometry_)
        self._odom.Init(self._on_odom, 10)
        self._fsm = ChannelSubscriber("rt/sportmodestate", SportModeState_)
        self._fsm.Init(self._on_fsm, 10)

    def _on_odom(self, msg: Odometry_) -> None:
        with self._lock:
            self.x, self.vx = msg.pose.pose.position.x, msg.twist.twist.linear.x

    def _on_fsm(self, msg: SportModeState_) -> None:
        self.fsm = msg


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def main() -> None:
    ChannelFactoryInitialize(int(sys.argv[1]), "lo")  # loopback only, as the vendor's examples do
    loco, arm = LocoClient(), G1ArmActionClient()
    for client in (loco, arm):
        client.SetTimeout(1.0)  # the vendor's default
        client.Init()
    if sys.argv[2:] == ["motions"]:
        same_motions(loco, arm)
        return
    odom = Streams()

    def call(name: str, api_id: int, parameter: dict, client=loco) -> tuple[int, object]:
        """A raw `_Call`, as the named client method makes it, reported with the answer's data."""
        code, data = client._Call(api_id, json.dumps(parameter))
        value = json.loads(data).get("data") if code == 0 and data else None
        report(call=name, api_id=api_id, parameter=parameter, code=code, data=value)
        return code, value

    assert wait_for(lambda: call("LocoClient GetFsmId", 7001, {})[0] == 0, 20.0), "no robot answered"
    report(call="LocoClient.SetFsmId(4) stand up", code=loco.SetFsmId(4))
    wait_for(lambda: call("LocoClient GetFsmMode", 7002, {}) == (0, 0), 5.0)  # mode 0: the stand-up is done
    report(call="LocoClient.SetFsmId(500) start", code=loco.SetFsmId(500))
    call("LocoClient GetFsmId", 7001, {})
    assert wait_for(lambda: odom.x is not None, 5.0), "no rt/odom"
    wait_for(lambda: odom.fsm is not None and odom.fsm.fsm_id == 500, 2.0)
    report(sportmodestate={"fsm_id": odom.fsm.fsm_id, "fsm_mode": odom.fsm.fsm_mode} if odom.fsm else None)
    x0 = odom.x
    started = time.monotonic()
    report(call="LocoClient.Move(0.3, 0, 0) = SetVelocity(0.3, 0, 0, 1 s)", code=loco.SetVelocity(0.3, 0.0, 0.0, 1.0))
    while time.monotonic() - started < 2.5:  # through the 1 s command and well past it
        report(odom_t=round(time.monotonic() - started, 3), x=odom.x - x0, vx=odom.vx)
        time.sleep(0.1)
    report(call="LocoClient.WaveHand() = SetTaskId(0)", code=loco.SetTaskId(0))
    report(call="G1ArmActionClient.ExecuteAction(18) high five, wave still playing", code=arm.ExecuteAction(18))
    report(call="G1ArmActionClient.ExecuteAction(99) release", code=arm.ExecuteAction(99))
    report(call="G1ArmActionClient.ExecuteAction(18) high five", code=arm.ExecuteAction(18))
    report(call="G1ArmActionClient.ExecuteAction(99) release", code=arm.ExecuteAction(99))
    report(call="G1ArmActionClient.ExecuteAction(14) unknown id", code=arm.ExecuteAction(14))
    report(call="G1ArmActionClient.GetActionList()", code=arm.GetActionList()[0])
    call("LocoClient SetFsmId with a string id", 7101, {"data": "500"})
    report(call="LocoClient.Start() = SetFsmId(200), this SDK's id", code=loco.SetFsmId(200))
    report(call="LocoClient.Damp() = SetFsmId(1)", code=loco.SetFsmId(1))
    report(done=True)


def same_motions(loco: LocoClient, arm: G1ArmActionClient) -> None:
    """Stand up, start, walk forward, turn left, high five and release: as the vendor's client sends them."""
    assert wait_for(lambda: loco._Call(7001, "{}")[0] == 0, 20.0), "no robot answered"  # matched first
    report(call="SetFsmId(4)", code=loco.SetFsmId(4))
    report(call="SetFsmId(500)", code=loco.SetFsmId(500))
    report(call="Move(0.3, 0, 0)", code=loco.SetVelocity(0.3, 0.0, 0.0, 1.0))
    report(call="Move(0, 0, 0.5)", code=loco.SetVelocity(0.0, 0.0, 0.5, 1.0))
    report(call="ExecuteAction(18)", code=arm.ExecuteAction(18))
    report(call="ExecuteAction(99)", code=arm.ExecuteAction(99))
    report(done=True)


if __name__ == "__main__":
    main()
