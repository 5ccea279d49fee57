"""spin_node stops on SIGINT or SIGTERM with exit 0, whenever the signal comes, and tidies up.

Each case runs a real node in its own interpreter (spin_node owns rclpy's default context and
the process's signal handlers), with messages flowing through its own subscription, so the
signal lands while the executor takes messages. bench/shutdown_stress.py hammers the same on
the real nodes.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time

import pytest

SCRIPT = textwrap.dedent("""
    import ctypes, sys, time
    from std_msgs.msg import String
    from rclpy.node import Node
    import rclpy
    from llm_planner.ros import node_main

    class Chatty(Node):
        def __init__(self):
            if sys.argv[1] == "slow":
                print("constructing", flush=True)
                time.sleep(1.5)  # the stop signal arrives meanwhile
            super().__init__("spin_node_probe")
            self.pub = self.create_publisher(String, "chatter", 10)
            self.sub = self.create_subscription(String, "chatter", self.heard, 10)
            self.create_timer(0.001, lambda: self.pub.publish(String(data="x" * 100)))
            self.heard_count = 0
            if sys.argv[1] == "external":
                self.create_timer(0.5, rclpy.shutdown)

        def heard(self, msg):
            self.heard_count += 1
            if self.heard_count == 20:
                print("up", flush=True)

        def destroy_node(self):
            print("destroyed", flush=True)
            if sys.argv[1] == "stuck":
                ctypes.PyDLL(None).sleep(3600)  # as rcl's node fini once hung inside DDS, holding the GIL
            super().destroy_node()

    node_main.spin_node(Chatty)
    print("returned ok" if not rclpy.ok() else "context still up", flush=True)
""")


def _start(case: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", SCRIPT, case], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def _finish(process: subprocess.Popen) -> tuple[int, list[str], str]:
    out, err = process.communicate(timeout=20)
    return process.returncode, out.split(), err


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_stop_signal_while_messages_flow_exits_0_after_destroying_the_node(signum):
    process = _start("plain")
    assert process.stdout.readline().strip() == "up"
    process.send_signal(signum)
    code, lines, err = _finish(process)
    assert (code, lines) == (0, ["destroyed", "returned", "ok"]), err
    assert "Traceback" not in err


def test_a_stop_signal_while_the_node_is_being_built_stops_it_once_built():
    process = _start("slow")
    assert process.stdout.readline().strip() == "constructing"
    process.send_signal(signal.SIGINT)
    code, lines, err = _finish(process)
    assert (code, lines[-3:]) == (0, ["destroyed", "returned", "ok"]), err
    assert "KeyboardInterrupt" not in err


def test_a_context_shut_down_by_someone_else_ends_the_spin():
    code, lines, err = _finish(_start("external"))
    assert (code, lines[-3:]) == (0, ["destroyed", "returned", "ok"]), err


def test_a_teardown_that_hangs_holding_the_gil_is_given_up_after_its_limit_and_the_node_still_exits_0():
    from llm_planner.ros.node_main import TEARDOWN_LIMIT_S, TEARDOWN_REPORT_S

    process = _start("stuck")
    assert process.stdout.readline().strip() == "up"
    process.send_signal(signal.SIGINT)
    started = time.monotonic()
    code, lines, err = _finish(process)
    assert (code, lines) == (0, ["destroyed"]), err
    assert time.monotonic() - started < TEARDOWN_LIMIT_S + 3.0
    assert f"Timeout (0:00:0{TEARDOWN_REPORT_S:.0f})" in err and "in destroy_node" in err, err


def test_an_exit_timer_ends_the_process_with_0_while_c_code_holds_the_gil_and_can_be_disarmed():
    script = textwrap.dedent("""
        import ctypes, sys, time
        from llm_planner.ros.exit_timer import exit_after
        if sys.argv[1] == "disarmed":
            exit_after(0.2)()
            time.sleep(0.6)
            sys.exit(3)
        exit_after(0.2)
        ctypes.PyDLL(None).sleep(30)
        sys.exit(3)
    """)
    runs = {case: subprocess.run([sys.executable, "-c", script, case], timeout=20) for case in ("armed", "disarmed")}
    assert (runs["armed"].returncode, runs["disarmed"].returncode) == (0, 3)
